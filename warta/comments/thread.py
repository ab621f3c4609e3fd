"""A post's comments as a tree, built in Python from one query (``reads.py``), and the
shared thread that every reader without comments of their own sees, kept rendered in memory."""

from dataclasses import dataclass, field
from functools import cache
from html import escape

from django.conf import settings
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from warta.core.dates import DateWords
from warta.core.memory import BoundedMemory

from .reads import visible_comments


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
    the include cost about 0.2 ms a comment, most of an article page's render time; plain
    ``escape`` and string joins instead of ``format_html`` cost a fifth of that again."""
    if not nodes:
        return ""
    labels = _Labels.of(translation.get_language())
    zone = timezone.get_current_timezone()
    parts = ['<ol class="comment-list">']
    for node in nodes:
        _render_node(node, parts, can_reply, editable, owned, labels, zone)
    parts.append("</ol>")
    return mark_safe("".join(parts))


class _Labels:
    """The thread's words in one language, translated once per process and language."""

    def __init__(self, language):
        with translation.override(language):
            self.deleted = escape(gettext("Comment deleted"))
            self.pending = escape(
                gettext("Your comment is waiting for moderation; only you can see it for now.")
            )
            self.reply = escape(gettext("Reply"))
            self.edit = escape(gettext("Edit"))
            self.delete = escape(gettext("Delete"))
        self.words = DateWords.of(language)

    @classmethod
    @cache
    def of(cls, language):
        return cls(language)

    def date(self, when):
        return escape(self.words.date_time(when))


def _render_node(node, parts, can_reply, editable, owned, labels, zone):
    comment = node.comment
    anchor = escape(comment.anchor)
    classes = "comment"
    if comment.status == "pending":
        classes += " pending"
    if comment.is_deleted:
        classes += " deleted"
    parts.append(f'<li id="{anchor}" class="{classes}">')
    if comment.legacy_id:  # WordPress's #comment-N links (anchor names: see Comment)
        parts.append(f'<span id="{escape(comment.wordpress_anchor)}"></span>')
    if comment.is_deleted:
        parts.append(f'<p class="comment-deleted">{labels.deleted}</p>')
    else:
        name = escape(str(comment.display_name))
        if comment.author_url and not comment.user_id:
            name = f'<a href="{escape(comment.author_url)}" rel="nofollow ugc noopener">{name}</a>'
        when = comment.created_at.astimezone(zone)
        parts.append(
            f'<p class="comment-meta"><strong>{name}</strong> · <a href="#{anchor}">'
            f'<time datetime="{when.isoformat()}">{labels.date(when)}</time></a></p>'
        )
        if comment.status == "pending":
            parts.append(f'<p class="comment-pending">{labels.pending}</p>')
        # body_html was made safe when the comment was saved (see text.render_comment).
        parts.append(f'<div class="comment-body">{comment.body_html}</div>')
        actions = []
        if can_reply and comment.status == "approved":
            actions.append(
                f'<a class="reply" href="?reply={comment.pk}#respond">{labels.reply}</a>'
            )
        if comment.pk in editable:
            actions.append(f'<a class="edit" href="/comments/{comment.pk}/edit">{labels.edit}</a>')
        if comment.pk in owned:
            actions.append(
                f'<a class="delete" href="/comments/{comment.pk}/delete">{labels.delete}</a>'
            )
        if actions:
            parts.append(f'<p class="comment-actions">{" ".join(actions)}</p>')
    if node.children:
        parts.append("<ol>")
        for child in node.children:
            _render_node(child, parts, can_reply, editable, owned, labels, zone)
        parts.append("</ol>")
    parts.append("</li>")


# Each post's thread as a reader with no comments of their own sees it, rendered once per
# worker. The key holds everything that HTML depends on: ``Post.thread_version`` (bumped by
# every change to the post's comments and to a commenter's public profile), the language,
# the time zone, whether replies are open and the nesting depth. Read from the post's row on
# every request, the key never comes back with other content, so nothing needs
# invalidating: entries past the bound go, oldest first. A page-cache miss on a post whose
# comments did not change (after a write elsewhere on the blog, the usual reason) then
# costs no comment query and no rendering.
shared_threads = BoundedMemory(16 * 1024 * 1024)


def shared_thread(post, *, can_reply: bool, pingbacks: bool = True) -> str:
    """The thread of ``post`` for readers with nothing of their own in it (not signed in,
    no pending or claimed comments): the same HTML for all of them."""
    depth = settings.WARTA_COMMENT_MAX_DEPTH
    key = (
        post.pk,
        post.thread_version,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        can_reply,
        depth,
        pingbacks,
    )
    html = shared_threads.get(key)
    if html is None:
        nodes = build_thread(visible_comments(post, pingbacks=pingbacks), max_depth=depth)
        html = render_thread(nodes, can_reply=can_reply, editable=set(), owned=set())
        shared_threads.put(key, html)
    return html
