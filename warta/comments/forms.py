import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

FORM_SALT = "warta.comments.form"


def stamp_salt(*, blog_id: int, post_id: int, kind: str = "post") -> str:
    """A stamp verifies only under its own blog and post (or page, ``kind="page"``): one
    taken from any page cannot be replayed on every form."""
    if kind != "post":
        return f"{FORM_SALT}:{blog_id}:{kind}:{post_id}"
    return f"{FORM_SALT}:{blog_id}:{post_id}"


def stamp_max_age() -> int:
    # Cached pages are rendered again within minutes; the limit is for a tab left open.
    return settings.WARTA_COMMENT_STAMP_HOURS * 3600


# Signing is a third of the comment section's own work; every page of a post shown within the
# same second carries the same stamp anyway, so each is signed once a second:
# ((second, key), {(blog_id, post_id): stamp}).
_stamps = (None, {})


def form_stamp(*, blog_id: int, post_id: int, now: float | None = None, kind="post") -> str:
    """A signed moment the form of this post was shown: humans need a few seconds to write a
    comment, and the stamp is good on this post's form only, for a few hours."""
    global _stamps
    second = int(now if now is not None else time.time())
    key = (second, settings.SECRET_KEY)
    moment, stamps = _stamps
    if moment != key:
        stamps = {}
        _stamps = (key, stamps)
    stamp = stamps.get((blog_id, post_id, kind))
    if stamp is None:
        salt = stamp_salt(blog_id=blog_id, post_id=post_id, kind=kind)
        stamp = stamps[blog_id, post_id, kind] = signing.dumps(second, salt=salt)
    return stamp


class CommentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-mail (optional, never shown)"), required=False, max_length=254
    )
    url = forms.URLField(label=_("Website"), required=False, max_length=500, assume_scheme="https")
    body = forms.CharField(label=_("Comment"), max_length=5000, widget=forms.Textarea)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    notify_replies = forms.BooleanField(label=_("E-mail me replies"), required=False)
    stamp = forms.CharField(widget=forms.HiddenInput)
    # The honeypot: hidden from people, irresistible to form-filling robots.
    homepage = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args, post, anonymous=True, kind="post", **kwargs):
        super().__init__(*args, **kwargs)
        self.post = post
        self.kind = kind  # "page": the form of a static page
        self.anonymous = anonymous
        if anonymous:
            self.fields["name"].required = True
        else:
            for name in ["name", "email", "url"]:
                del self.fields[name]

    def clean_stamp(self):
        salt = stamp_salt(blog_id=self.post.blog_id, post_id=self.post.pk, kind=self.kind)
        try:
            shown = signing.loads(self.cleaned_data["stamp"], salt=salt, max_age=stamp_max_age())
        except signing.BadSignature as error:
            raise self.stale_stamp() from error
        age = time.time() - shown
        if age > stamp_max_age():
            raise self.stale_stamp()
        if age < settings.WARTA_COMMENT_MIN_SECONDS:
            raise forms.ValidationError(
                _("That was too fast. Please take a moment and send your comment again."),
                code="too_fast",
            )
        return shown

    @staticmethod
    def stale_stamp():
        return forms.ValidationError(
            _(
                "This form has expired or belongs to another page. "
                "Your comment is kept below: please send it again."
            ),
            code="stamp",
        )

    def clean_homepage(self):
        if self.cleaned_data["homepage"]:
            raise forms.ValidationError(_("Leave this field empty."), code="honeypot")
        return ""

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Write a comment first."), code="empty")
        return body


class EditCommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), max_length=5000, widget=forms.Textarea)
