"""Comment mail: the post's author hears of new comments, a commenter of replies they asked
for. Sent by django-tasks workers over SMTP, each with a one-click unsubscribe link."""

from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy
from django_tasks import task

from .models import Comment

UNSUBSCRIBE_SALT = "warta.comments.unsubscribe"


def unsubscribe_token(kind: str, pk: int) -> str:
    """``kind`` is "author" (a user's new-comment mail) or "replies" (one comment's replies)."""
    return signing.dumps({"k": kind, "id": pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> dict:
    return signing.loads(token, salt=UNSUBSCRIBE_SALT)


def comment_arrived(comment: Comment) -> None:
    """After a new comment is committed: tell the post's author; replies once approved."""
    post = comment.post
    author = post.author
    if (
        author is not None
        and author.notify_comments
        and not author.is_profile_only
        and author.pk != comment.user_id
    ):
        notify_post_author.enqueue(comment_id=comment.pk)
    if comment.status == Comment.Status.APPROVED:
        comment_approved(comment, author_told=True)


def comment_approved(comment: Comment, *, author_told: bool = True) -> None:
    parent = comment.parent
    if parent is not None and parent.notify_replies and parent.notify_address:
        same_person = (parent.user_id and parent.user_id == comment.user_id) or (
            not parent.user_id
            and comment.author_email
            and parent.author_email.lower() == comment.author_email.lower()
        )
        if not same_person:
            notify_reply.enqueue(comment_id=comment.pk)


# What each kind of mail says: a lazy subject with the post's ``%(title)s``, and its text.
MAILS = {
    "author": (
        gettext_lazy("New comment on “%(title)s”"),
        "comments/mail/new_comment.txt",
    ),
    "replies": (
        gettext_lazy("New reply to your comment on “%(title)s”"),
        "comments/mail/reply.txt",
    ),
}


def send(comment: Comment, kind: str, *, to: str, unsubscribe_id: int) -> None:
    """Mail of ``kind`` (see ``MAILS``) about ``comment``, in its blog's language, with a
    link that unsubscribes ``unsubscribe_id`` (a user for "author", a comment for "replies")."""
    subject, template = MAILS[kind]
    token = unsubscribe_token(kind, unsubscribe_id)
    blog = comment.blog
    base = blog.base_url
    unsubscribe_url = f"{base}/comments/unsubscribe/{token}"
    with translation.override(blog.language):
        body = render_to_string(
            template,
            {
                "comment": comment,
                "blog": blog,
                "post": comment.post,
                "comment_url": base + comment.get_absolute_url(),
                "unsubscribe_url": unsubscribe_url,
            },
        )
        message = EmailMessage(
            subject=subject % {"title": comment.post.title},
            body=body,
            to=[to],
            headers={
                "List-Unsubscribe": f"<{unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        message.send()


@task()
def notify_post_author(*, comment_id: int) -> None:
    comment = Comment.objects.select_related("post__author", "blog", "user").get(pk=comment_id)
    author = comment.post.author
    send(comment, "author", to=author.email, unsubscribe_id=author.pk)


@task()
def notify_reply(*, comment_id: int) -> None:
    comment = Comment.objects.select_related("post", "blog", "user", "parent__user").get(
        pk=comment_id
    )
    parent = comment.parent
    if not parent.notify_replies:
        return
    send(comment, "replies", to=parent.notify_address, unsubscribe_id=parent.pk)
