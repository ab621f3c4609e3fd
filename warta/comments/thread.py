"""A post's comments as a tree, built in Python from one query."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext


@dataclass
class Node:
    comment: object
    depth: int = 0
    children: list["Node"] = field(default_factory=list)
    up: "Node | None" = field(default=None, repr=False)

    @property
    def shown(self):
        """A deleted comment is kept only as the place its replies hang from."""
        return not self.comment.is_deleted or any(child.shown for child in self.children)


def build_thread(comments, *, max_depth: int) -> list[Node]:
    """Replies nest up to ``max_depth`` levels; deeper replies join the deepest level, in
    order, so long conversations stay readable on a phone. A reply whose parent is not shown
    (held for moderation, spam) moves to the top level."""
    nodes = {}
    roots = []
    for comment in comments:  # oldest first, so a parent is always seen before its replies
        parent = nodes.get(comment.parent_id)
        if parent is None:
            node = Node(comment)
            roots.append(node)
        else:
            while parent.depth >= max_depth - 1 and parent.depth > 0:
                parent = parent.up
            node = Node(comment, depth=parent.depth + 1, up=parent)
            parent.children.append(node)
        nodes[comment.pk] = node
    return prune(roots)


def prune(nodes: list[Node]) -> list[Node]:
    kept = []
    for node in nodes:
        node.children = prune(node.children)
        if node.shown:
            kept.append(node)
    return kept


def render_thread(nodes, *, can_reply: bool, editable: set, owned: set) -> str:
    """The thread as HTML. Written in Python rather than a recursive template include:
    the include cost about 0.2 ms a comment, most of an article page's render time."""
    if not nodes:
        return ""
    return format_html(
        '<ol class="comment-list">{}</ol>',
        _render_nodes(nodes, can_reply, editable, owned, _Labels()),
    )


class _Labels:
    """Translated once per thread, in the language of the request."""

    def __init__(self):
        self.deleted = gettext("Comment deleted")
        self.pending = gettext(
            "Your comment is waiting for moderation; only you can see it for now."
        )
        self.reply = gettext("Reply")
        self.edit = gettext("Edit")
        self.delete = gettext("Delete")
        self.months = [""] + [str(MONTHS[number]) for number in range(1, 13)]

    def date(self, when):
        """``j F Y, H:i`` as the date filter writes it, without a formatter per comment."""
        return f"{when.day} {self.months[when.month]} {when.year}, {when:%H:%M}"


def _render_nodes(nodes, can_reply, editable, owned, labels):
    return mark_safe(
        "".join(_render_node(node, can_reply, editable, owned, labels) for node in nodes)
    )


def _render_node(node, can_reply, editable, owned, labels):
    comment = node.comment
    classes = "comment"
    if comment.status == "pending":
        classes += " pending"
    if comment.is_deleted:
        classes += " deleted"
        inner = format_html('<p class="comment-deleted">{}</p>', labels.deleted)
    else:
        name = comment.display_name
        if comment.author_url and not comment.user_id:
            name = format_html(
                '<a href="{}" rel="nofollow ugc noopener">{}</a>', comment.author_url, name
            )
        when = timezone.localtime(comment.created_at)
        inner = format_html(
            '<p class="comment-meta"><strong>{}</strong> · <a href="#{}"><time datetime="{}">{}</time></a></p>',
            name,
            comment.anchor,
            when.isoformat(),
            labels.date(when),
        )
        if comment.status == "pending":
            inner += format_html('<p class="comment-pending">{}</p>', labels.pending)
        inner += format_html('<div class="comment-body">{}</div>', mark_safe(comment.body_html))
        actions = []
        if can_reply and comment.status == "approved":
            actions.append(
                format_html(
                    '<a class="reply" href="?reply={}#respond">{}</a>', comment.pk, labels.reply
                )
            )
        if comment.pk in editable:
            actions.append(
                format_html(
                    '<a class="edit" href="/comments/{}/edit">{}</a>', comment.pk, labels.edit
                )
            )
        if comment.pk in owned:
            actions.append(
                format_html(
                    '<a class="delete" href="/comments/{}/delete">{}</a>', comment.pk, labels.delete
                )
            )
        if actions:
            inner += format_html('<p class="comment-actions">{}</p>', mark_safe(" ".join(actions)))
    if node.children:
        inner += format_html(
            "<ol>{}</ol>", _render_nodes(node.children, can_reply, editable, owned, labels)
        )
    return format_html('<li id="{}" class="{}">{}</li>', comment.anchor, classes, inner)
