"""The messages of follow by e-mail, in the blog's language, as plain text and HTML: the
confirmation, a new post, a digest. Every mail to a follower carries its own manage link and
RFC 8058 one-click unsubscribe headers."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.core.mail.utils import DNS_NAME
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from .models import Mailing, Subscriber
from .tokens import confirmation_token, manage_token

# Stands for a follower's own token in a mailing rendered once for everyone.
TOKEN = "@@WARTA-FOLLOW-TOKEN@@"
SAMPLE_TO = "follower@placeholder.invalid"
SAMPLE_ID = "<placeholder-message-id@placeholder.invalid>"
MAIL_IMAGE_WIDTH = 640


def from_address(blog) -> str:
    from email.utils import formataddr, parseaddr

    return formataddr((blog.title, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))


def list_headers(blog, token: str) -> dict:
    base = blog.base_url
    return {
        "List-Id": f"{blog.title} <{blog.slug}.followers.{blog.host}>",
        "List-Unsubscribe": f"<{base}/follow/unsubscribe/{token}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def confirmation_message(subscriber: Subscriber) -> EmailMultiAlternatives:
    blog = subscriber.blog
    context = {
        "blog": blog,
        "subscriber": subscriber,
        "confirm_url": f"{blog.base_url}/follow/confirm/{confirmation_token(subscriber)}",
        "days": settings.WARTA_FOLLOW_CONFIRM_DAYS,
    }
    with translation.override(blog.language):
        subject = gettext("Confirm that you follow %(blog)s") % {"blog": blog.title}
        text = render_to_string("followers/mail/confirm.txt", context)
        html = render_to_string("followers/mail/confirm.html", context)
    message = EmailMultiAlternatives(
        subject,
        text,
        from_address(blog),
        [subscriber.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    return message


def lead_image_url(post) -> str:
    """The lead image at a width a mail shows well: a rendition when there is one."""
    image = post.lead_image
    if image is None:
        return ""
    url = image.rendition_url(MAIL_IMAGE_WIDTH)
    if url.startswith("/"):
        url = post.blog.base_url + url
    return url


class Letter:
    """A mailing rendered once (subject, text, HTML); ``message_for`` puts in one follower's
    links, so ten thousand copies cost ten thousand string replacements, not renders.
    Subclasses change the templates, ``context``, ``subject_for`` and the follower's token."""

    # One post or a digest's many: the same letter, a list of posts.
    text_template = "followers/mail/posts.txt"
    html_template = "followers/mail/posts.html"

    def __init__(self, mailing: Mailing, posts=()):
        self.blog = mailing.blog
        posts = list(posts)
        context = self.context(mailing, posts)
        with translation.override(self.blog.language):
            self.subject = self.subject_for(mailing, posts)
            self.text = render_to_string(self.text_template, context)
            self.html = render_to_string(self.html_template, context)
        self.sender = from_address(self.blog)
        self._raw = None

    def context(self, mailing: Mailing, posts: list) -> dict:
        blog = self.blog
        for post in posts:
            post.blog = blog
        return {
            "blog": blog,
            "mailing": mailing,
            "posts": [
                {"post": p, "url": blog.base_url + p.path, "image": lead_image_url(p)}
                for p in posts
            ],
            "manage_url": f"{blog.base_url}/follow/manage/{TOKEN}",
        }

    def subject_for(self, mailing: Mailing, posts: list) -> str:
        if mailing.kind == Mailing.Kind.POST:
            return posts[0].title
        if mailing.kind == Mailing.Kind.DAILY:
            return gettext("Yesterday on %(blog)s") % {"blog": self.blog.title}
        return gettext("Last week on %(blog)s") % {"blog": self.blog.title}

    def token_for(self, subscriber: Subscriber) -> str:
        return manage_token(subscriber)

    def extra_headers(self, token: str) -> dict:
        return {**list_headers(self.blog, token), "Precedence": "bulk"}

    def message_for(self, subscriber: Subscriber) -> EmailMultiAlternatives:
        return self._message(subscriber.email, self.token_for(subscriber))

    def _message(self, to: str, token: str, **headers) -> EmailMultiAlternatives:
        message = EmailMultiAlternatives(
            self.subject,
            self.text.replace(TOKEN, token),
            self.sender,
            [to],
            headers={**self.extra_headers(token), **headers},
        )
        message.attach_alternative(self.html.replace(TOKEN, token), "text/html")
        return message

    def raw_for(self, subscriber: Subscriber) -> bytes | None:
        """The copy for ``subscriber`` as SMTP ``DATA``, made from bytes built once (the
        email package's folding and encoding are most of a copy's cost); None when this
        copy cannot be made that way (an address that is not ASCII)."""
        if self._raw is None:
            self._raw = b""
            raw = (
                self._message(SAMPLE_TO, TOKEN, **{"Message-ID": SAMPLE_ID})
                .message()
                .as_bytes(linesep="\r\n")
            )
            # Only when every placeholder came out whole (no encoding split one).
            if raw.count(SAMPLE_TO.encode()) == 1 and raw.count(TOKEN.encode()) >= 2:
                self._raw = raw
        if not self._raw or not subscriber.email.isascii():
            return None
        return (
            self._raw.replace(SAMPLE_TO.encode(), subscriber.email.encode())
            .replace(TOKEN.encode(), self.token_for(subscriber).encode())
            .replace(SAMPLE_ID.encode(), make_msgid(domain=DNS_NAME).encode())
        )


class ConfirmationLetter(Letter):
    """The confirmation request, rendered once for an import's addresses: each copy gets its
    own signed link in place of ``TOKEN``."""

    text_template = "followers/mail/confirm.txt"
    html_template = "followers/mail/confirm.html"

    def context(self, mailing: Mailing, posts: list) -> dict:
        return {
            "blog": self.blog,
            "confirm_url": f"{self.blog.base_url}/follow/confirm/{TOKEN}",
            "days": settings.WARTA_FOLLOW_CONFIRM_DAYS,
        }

    def subject_for(self, mailing: Mailing, posts: list) -> str:
        return gettext("Confirm that you follow %(blog)s") % {"blog": self.blog.title}

    def token_for(self, subscriber: Subscriber) -> str:
        return confirmation_token(subscriber)

    def extra_headers(self, token: str) -> dict:
        return {"Auto-Submitted": "auto-generated"}
