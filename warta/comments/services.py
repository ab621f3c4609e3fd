"""Writes on comments shared by the reader's form, the desk and account deletion.

Every status change recounts the post's approved comments in the same transaction, so
``Post.comment_count`` is exact however many requests run at once.
"""

from dataclasses import dataclass, replace

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from warta.accounts.models import User
from warta.blogs.models import Blog
from warta.core.ratelimit import rate_limited
from warta.posts.models import Page, Post

from . import spam
from .models import Comment, CommentText, PageComment
from .policy import CommentPolicy, Refusal
from .text import count_links


class CommentRejected(Exception):
    """A submission refused, with a message for the person who sent it."""

    def __init__(self, message, *, code, status=400):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


@dataclass(frozen=True, kw_only=True)
class Submission:
    """What a reader sent with a comment form, and from which address."""

    user: User | AnonymousUser
    ip: str
    body: str
    name: str = ""
    email: str = ""
    url: str = ""


def check_comment(*, blog: Blog, submission: Submission):
    """Raise ``CommentRejected`` when a submission breaks a rate limit or looks like spam."""
    user = submission.user
    ip_hash = spam.hash_ip(submission.ip)
    if user.is_authenticated:
        limited = rate_limited("comment-user", str(user.pk), settings.WARTA_COMMENT_RATE_PER_USER)
    else:
        limited = rate_limited("comment-ip", ip_hash, settings.WARTA_COMMENT_RATE_PER_IP)
    if limited:
        raise CommentRejected(
            _("You are commenting too fast. Please wait a minute and try again."),
            code="rate",
            status=429,
        )
    fields = [submission.name, submission.email, submission.url, submission.body]
    check_content(blog=blog, body=submission.body, ip_hash=ip_hash, fields=fields)
    return ip_hash


def check_content(*, blog: Blog, body: str, ip_hash: str, fields: list[str]) -> None:
    """The link limit, the shipped spam rules and the blog's block list, for a new comment
    and for an edit alike."""
    max_links = settings.WARTA_COMMENT_MAX_LINKS
    if count_links(body) > max_links:
        raise CommentRejected(
            _("A comment may contain at most %(count)d links.") % {"count": max_links},
            code="links",
        )
    if spam.shipped_rule_hit("\n".join(fields)) or spam.blocklist_hit(
        blog.comment_blocklist, ip_hash=ip_hash, fields=fields
    ):
        raise CommentRejected(
            _("Your comment looks like spam and was not posted."), code="spam", status=403
        )


def post_comment(
    *,
    post: Post,
    submission: Submission,
    parent: Comment | None = None,
    notify_replies: bool = False,
) -> Comment:
    """Check the blog's policy and the spam rules, then store the comment (approved or
    pending) and keep the post's count exact."""
    fields = admitted(post, submission)
    if parent is not None and (parent.post_id != post.pk or parent.status != "approved"):
        parent = None
    has_address = bool(fields["author_email"]) or submission.user.is_authenticated
    comment = Comment(
        post=post, parent=parent, notify_replies=notify_replies and has_address, **fields
    )
    pending = comment.status == Comment.Status.PENDING
    with transaction.atomic():
        comment.save()
        if not pending:
            Comment.objects.recount(post)
    from .notifications import comment_arrived

    transaction.on_commit(lambda: comment_arrived(comment))
    return comment


def post_page_comment(
    *, page: Page, submission: Submission, parent: PageComment | None = None
) -> PageComment:
    """A reader's comment on a static page: the post's checks (the blog's policy, the rate
    limits, the spam rules, moderation), stored approved or pending."""
    fields = admitted(page, submission)
    if parent is not None and (parent.page_id != page.pk or parent.status != "approved"):
        parent = None
    comment = PageComment(page=page, parent=parent, **fields)
    comment.save()
    return comment


def admitted(entry, submission: Submission) -> dict:
    """What a reader's comment on ``entry`` (a post or a page) is stored with, once the
    blog's policy and the spam rules let it in: its author, text, stamp and status
    (pending when it must be moderated). Raises ``CommentRejected`` otherwise."""
    blog = entry.blog
    user = submission.user
    policy = CommentPolicy(blog)
    refusal = policy.refusal(entry, user)
    if refusal is not None:
        raise CommentRejected(Refusal.messages[refusal], code=refusal, status=403)
    if user.is_authenticated:
        submission = replace(submission, name="", email="")
    ip_hash = check_comment(blog=blog, submission=submission)
    pending = policy.needs_moderation(entry, user=user, email=submission.email)
    return {
        "blog": blog,
        "user": user if user.is_authenticated else None,
        "author_name": submission.name,
        "author_email": submission.email,
        "author_url": submission.url,
        "body": submission.body,
        "ip_hash": ip_hash,
        "status": CommentText.Status.PENDING if pending else CommentText.Status.APPROVED,
    }


def moderate_comments(*, comments, status: str, teach: bool = True) -> int:
    """Give comments a new status and recount their posts; marking spam also adds the
    sender's e-mail, address and link domains to the blog's block list (``teach``)."""
    from .notifications import comment_approved

    comments = list(comments)
    approved_now = []
    with transaction.atomic():
        for comment in comments:
            if comment.status == status:
                continue
            if status == Comment.Status.APPROVED and comment.status == Comment.Status.PENDING:
                approved_now.append(comment)
            comment.status = status
            comment.updated_at = timezone.now()
            comment.save(update_fields=["status", "updated_at", "body_html"])
        # Pages count no comments: a page comment's save alone refreshes its page.
        for post in {comment.post for comment in comments if isinstance(comment, Comment)}:
            Comment.objects.recount(post)
        if status == Comment.Status.SPAM and teach:
            for blog in {comment.blog for comment in comments}:
                learn_spam(blog=blog, comments=[c for c in comments if c.blog_id == blog.pk])
    for comment in approved_now:
        if not isinstance(comment, Comment):
            continue  # replies to page comments send no mail yet
        transaction.on_commit(lambda comment=comment: comment_approved(comment))
    return len(comments)


def learn_spam(*, blog: Blog, comments: list[Comment]) -> list[str]:
    """Add what identifies the senders of spam to the blog's block list."""
    entries = [line.strip() for line in blog.comment_blocklist.splitlines() if line.strip()]
    added = []
    for comment in comments:
        candidates = [comment.author_email.lower()] if comment.author_email else []
        if comment.ip_hash:
            candidates.append(f"ip:{comment.ip_hash}")
        candidates += sorted(spam.link_domains(comment.body + " " + comment.author_url))
        for entry in candidates:
            if entry and entry not in entries:
                entries.append(entry)
                added.append(entry)
    if added:
        Blog.objects.filter(pk=blog.pk).update(comment_blocklist="\n".join(entries))
        blog.comment_blocklist = "\n".join(entries)
    return added


def edit_comment(*, comment: Comment, user, body: str, claimed_ids=()) -> Comment:
    """Its author changes the text within the edit window; the same checks apply."""
    if not comment.is_editable_by(user, claimed_ids=claimed_ids):
        raise CommentRejected(
            _("A comment can be changed only by its author, within 15 minutes."),
            code="edit",
            status=403,
        )
    check_content(blog=comment.blog, body=body, ip_hash="", fields=[body])
    comment.body = body
    comment.updated_at = timezone.now()
    comment.save(update_fields=["body", "body_html", "updated_at"])
    return comment


def delete_comment(*, comment: Comment, erase: bool = False) -> None:
    """Take a comment off the page. It stays as a "comment deleted" placeholder while it has
    replies; ``erase`` also wipes its text (the author's wish), and removes it without replies."""
    with transaction.atomic():
        has_replies = comment.replies.exists()
        if erase and not has_replies:
            post = comment.post
            comment.delete()
            Comment.objects.recount(post)
            return
        comment.is_deleted = True
        comment.status = Comment.Status.TRASHED
        if erase:
            comment.body = ""
            comment.author_email = ""
            comment.author_url = ""
        comment.updated_at = timezone.now()
        comment.save()
        Comment.objects.recount(comment.post)


def forget_commenter(*, user, erase: bool) -> None:
    """Before an account is deleted: keep its comments as from a deleted user, or erase them."""
    comments = list(Comment.objects.filter(user=user).select_related("post"))
    for comment in comments:
        if erase:
            delete_comment(comment=comment, erase=True)
    Comment.objects.filter(user=user).update(
        user=None, user_deleted=True, author_name="", author_email=""
    )
    Post.objects.filter(pk__in={comment.post_id for comment in comments}).threads_changed()
    for blog_id in {comment.blog_id for comment in comments}:
        Blog(pk=blog_id).bump_generation()
