"""The forms of the blog's settings in the desk, one per section of the settings screen."""

import zoneinfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from warta.blogs.models import Blog
from warta.core.pictures import clean_picture

HOST_NAME = RegexValidator(
    r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$",
    _("Write a domain name such as “kabarkita.id”, without http:// or a path."),
)


def time_zones():
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class SettingsForm(forms.ModelForm):
    """A section of the settings: saves its own fields only, so the blog's generation and the
    other sections' fields are never written back from an older copy."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # as Django shows a model's own field names
            field.label = capfirst(field.label)

    def save(self, commit=True):
        blog = super().save(commit=False)
        if commit:
            blog.save(update_fields=[*self._meta.fields, "updated_at"])
        return blog


class GeneralForm(SettingsForm):
    time_zone = forms.ChoiceField(label=_("time zone"), choices=time_zones)
    posts_per_page = forms.IntegerField(
        label=_("posts per page"),
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("On the home page, labels and archives: from 1 to 50."),
    )

    class Meta:
        model = Blog
        fields = [
            "title",
            "tagline",
            "description",
            "language",
            "time_zone",
            "posts_per_page",
            "feed_content",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class CommentsForm(SettingsForm):
    moderation_delay_days = forms.IntegerField(
        label=_("moderate comments on posts older than (days)"),
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_("Used when moderation is “Only on posts older than N days”."),
    )

    class Meta:
        model = Blog
        fields = [
            "comment_policy",
            "moderation",
            "moderation_delay_days",
            "comment_blocklist",
            "show_pingbacks",
        ]
        widgets = {
            "comment_policy": forms.RadioSelect,
            "moderation": forms.RadioSelect,
            "comment_blocklist": forms.Textarea(attrs={"rows": 6}),
        }


class MembershipForm(SettingsForm):
    membership_open = forms.TypedChoiceField(
        label=_("who may join"),
        choices=[
            (True, _("Open: any signed-in reader may join")),
            (False, _("By invitation only")),
        ],
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Blog
        fields = ["membership_open"]


class DomainForm(SettingsForm):
    class Meta:
        model = Blog
        fields = ["custom_domain"]

    def clean_custom_domain(self):
        value = (self.cleaned_data.get("custom_domain") or "").strip().lower().rstrip(".")
        if not value:
            return None
        try:
            value = value.encode("idna").decode("ascii")  # “berita.contoh.id” as DNS writes it
        except UnicodeError:
            raise ValidationError(HOST_NAME.message) from None
        HOST_NAME(value)
        value = value.removeprefix("www.")
        domain = settings.WARTA_DOMAIN.lower()
        if value == domain or value.endswith("." + domain):
            raise ValidationError(
                _("“%(value)s” is a name of this server already: choose a domain of your own.")
                % {"value": value}
            )
        return value


class PictureField(forms.FileField):
    """An upload checked by ``core.pictures.clean_picture``: decoded whole, size and pixel
    limits, then encoded again. ``clean`` gives a ``CleanPicture``."""

    widget = forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"})

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return None
        return clean_picture(upload)


class PicturesForm(forms.Form):
    favicon = PictureField(
        label=_("Icon (favicon)"),
        required=False,
        help_text=_("A square picture: browsers show it 32 px wide, phones' home screens 180."),
    )
    remove_favicon = forms.BooleanField(label=_("Remove the icon"), required=False)
    logo = PictureField(
        label=_("Logo"),
        required=False,
        help_text=_("Shown before the title and given to search engines; at most 600 px."),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    share_image = PictureField(
        label=_("Default share image"),
        required=False,
        help_text=_(
            "What a link to the blog or to a post without a lead image shows on WhatsApp, "
            "Facebook or X: cut to 1200 × 630."
        ),
    )
    remove_share_image = forms.BooleanField(label=_("Remove the share image"), required=False)

    KINDS = ("favicon", "logo", "share_image")

    def save(self, blog):
        pictures = {kind: self.cleaned_data[kind] for kind in self.KINDS if self.cleaned_data[kind]}
        removed = [kind for kind in self.KINDS if self.cleaned_data[f"remove_{kind}"]]
        blog.replace_pictures(pictures, [kind for kind in removed if kind not in pictures])
