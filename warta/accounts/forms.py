from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User


class ProfileForm(forms.ModelForm):
    website = forms.URLField(
        label=_("website"), required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = User
        fields = ["display_name", "photo", "bio", "website", "notify_comments"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}


class DeleteAccountForm(forms.Form):
    erase_comments = forms.BooleanField(
        label=_("Also erase the text of my comments"),
        required=False,
        help_text=_("Otherwise they stay, shown as from a deleted user."),
    )
    confirm = forms.BooleanField(label=_("Yes, delete my account"))
