from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Subscriber


class FollowForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        error_messages={"invalid": _("That is not an e-mail address, e.g. nama@contoh.id.")},
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Subscriber.Frequency.choices,
        initial=Subscriber.Frequency.EACH_POST,
        widget=forms.RadioSelect,
    )
    # The honeypot: hidden from people, irresistible to form-filling robots.
    homepage = forms.CharField(required=False, label=_("Leave this field empty"))

    def clean_homepage(self):
        if self.cleaned_data["homepage"]:
            raise forms.ValidationError(_("Leave this field empty."), code="honeypot")
        return ""


class MemberFollowForm(forms.Form):
    frequency = forms.ChoiceField(
        choices=Subscriber.Frequency.choices, initial=Subscriber.Frequency.EACH_POST, required=False
    )


class ManageForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("How often"), choices=Subscriber.Frequency.choices, widget=forms.RadioSelect
    )
