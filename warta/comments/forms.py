import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

FORM_SALT = "warta.comments.form"
# A cached page carries the stamp it was rendered with, so it may be days old.
FORM_MAX_AGE = 30 * 24 * 3600


# Signing is a third of the comment section's own work; every page shown within the same
# second carries the same stamp anyway, so it is signed once: ((second, key), stamp).
_last_stamp = (None, "")


def form_stamp(now: float | None = None) -> str:
    """A signed moment the form was shown: humans need a few seconds to write a comment."""
    global _last_stamp
    second = int(now if now is not None else time.time())
    key = (second, settings.SECRET_KEY)
    last = _last_stamp
    if last[0] != key:
        last = _last_stamp = (key, signing.dumps(second, salt=FORM_SALT))
    return last[1]


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

    def __init__(self, *args, anonymous=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.anonymous = anonymous
        if anonymous:
            self.fields["name"].required = True
        else:
            for name in ["name", "email", "url"]:
                del self.fields[name]

    def clean_stamp(self):
        try:
            shown = signing.loads(self.cleaned_data["stamp"], salt=FORM_SALT, max_age=FORM_MAX_AGE)
        except signing.BadSignature as error:
            raise forms.ValidationError(
                _("This form has expired. Please reload the page and try again."), code="stamp"
            ) from error
        if time.time() - shown < settings.WARTA_COMMENT_MIN_SECONDS:
            raise forms.ValidationError(
                _("That was too fast. Please take a moment and send your comment again."),
                code="too_fast",
            )
        return shown

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
