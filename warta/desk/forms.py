from django import forms
from django.utils.translation import gettext_lazy as _

from warta.comments.models import Comment


class CommentFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All"))] + list(Comment.Status.choices),
        required=False,
    )
    post = forms.IntegerField(label=_("Post"), required=False, widget=forms.HiddenInput)
    q = forms.CharField(label=_("Search"), required=False, max_length=200)


class BulkActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            (Comment.Status.APPROVED, _("Approve")),
            (Comment.Status.SPAM, _("Spam")),
            (Comment.Status.TRASHED, _("Trash")),
        ]
    )
    ids = forms.TypedMultipleChoiceField(coerce=int, choices=[])

    def __init__(self, *args, ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(pk, pk) for pk in ids]
