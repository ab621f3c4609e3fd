"""The editor's form and the desk home's filters."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from warta.blogs.models import Membership
from warta.core.pictures import clean_picture
from warta.posts.models import BodyFormat, Image, Post
from warta.posts.services import CONTENT_FIELDS

IMAGES_SHOWN = 60


def image_label(image):
    name = image.alt or (image.file.name if image.file else image.remote_url)
    label = f"{name.rsplit('/', 1)[-1][:80]} ({image.width or '?'}×{image.height or '?'})"
    if not image.alt:
        label += " — " + str(_("no alternative text"))
    return label


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        if isinstance(value, datetime.datetime):
            return value.strftime("%Y-%m-%dT%H:%M")
        return value


class AuthorChoice(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.name


class AuthorMultipleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.name


class PostForm(forms.ModelForm):
    """Every field of a post as a plain form; labels as comma-separated names (new ones are
    created), the publishing time in the blog's time zone."""

    labels = forms.CharField(
        label=_("Labels"),
        required=False,
        max_length=2000,
        help_text=_("Separate with commas; a new label is created, e.g. “Nasional, Suriah”."),
        widget=forms.TextInput(attrs={"list": "label-names", "autocomplete": "off"}),
    )
    main_author = AuthorChoice(
        label=_("Author"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("The first byline."),
    )
    coauthors = AuthorMultipleChoice(
        label=_("Other authors"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("More bylines, if several wrote it (Ctrl or ⌘ to choose several)."),
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    lead_image = forms.IntegerField(
        label=_("Lead image: pick an uploaded one"),
        required=False,
        widget=forms.Select,
        help_text=_("The most recent images of the blog's media library."),
    )
    lead_image_upload = forms.FileField(
        label=_("Lead image: upload a new one"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    publish_at = forms.DateTimeField(
        label=_("Publishing date and time"),
        required=False,
        widget=LocalDateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        help_text=_("In the blog's time zone. Needed to schedule; empty publishes now."),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    source_url = forms.URLField(
        label=_("source address"), required=False, max_length=1000, assume_scheme="https"
    )

    class Meta:
        model = Post
        fields = CONTENT_FIELDS
        widgets = {
            "body": forms.Textarea(attrs={"rows": 20, "data-rich-editor": ""}),
            "excerpt": forms.Textarea(attrs={"rows": 3}),
            "body_format": forms.HiddenInput,
            "title": forms.TextInput(attrs={"autofocus": True}),
        }
        help_texts = {
            "slug": _("Part of the address; made from the title when empty."),
            "body": _("Markdown: **bold**, *italic*, ## heading, > quote, - list, [link](url)."),
        }

    def __init__(self, *args, blog, **kwargs):
        super().__init__(*args, **kwargs)
        self.blog = blog
        self.fields["slug"].required = False
        self.fields["body_format"].required = False
        writers = Membership.objects.filter(blog=blog, role__in=Membership.WRITING_ROLES)
        people = get_user_model().objects.filter(pk__in=writers.values("user_id"))
        self.fields["main_author"].queryset = people.order_by("display_name", "pk")
        self.fields["coauthors"].queryset = people.order_by("display_name", "pk")
        post = self.instance
        # The newest images and the post's own: a select of every image of a big blog
        # would grow the page with the blog. Any image of the blog is accepted by id.
        shown = list(Image.objects.filter(blog=blog).order_by("-pk")[:IMAGES_SHOWN])
        if post.lead_image_id and post.lead_image_id not in {i.pk for i in shown}:
            shown.insert(0, post.lead_image)
        self.fields["lead_image"].widget.choices = [("", "—")] + [
            (image.pk, image_label(image)) for image in shown
        ]
        if post.pk and not self.is_bound:
            self.initial.setdefault("labels", ", ".join(label.name for label in post.labels.all()))
            self.initial.setdefault("main_author", post.author_id)
            self.initial.setdefault("coauthors", (post.byline_ids or [])[1:])
            self.initial.setdefault("lead_image", post.lead_image_id)
            self.initial.setdefault("version", post.version)
            if post.published_at:
                self.initial.setdefault(
                    "publish_at", timezone.localtime(post.published_at, blog.tzinfo)
                )

    def clean_lead_image(self):
        pk = self.cleaned_data.get("lead_image")
        if pk is None:
            return None
        image = Image.objects.filter(blog=self.blog, pk=pk).first()
        if image is None:
            raise forms.ValidationError(_("There is no such image on this blog."))
        return image

    def clean_lead_image_upload(self):
        """Checked and encoded again as every upload is (``warta.core.pictures``); the clean
        picture waits in ``self.lead_picture`` until the post is saved."""
        upload = self.cleaned_data.get("lead_image_upload")
        self.lead_picture = clean_picture(upload) if upload else None
        return upload

    def lead_image_lacks_alt(self):
        """The lead image chosen has no alternative text, neither its own nor the post's."""
        if self.is_bound:
            image = getattr(self, "cleaned_data", {}).get("lead_image")
        else:
            image = self.instance.lead_image if self.instance.lead_image_id else None
        alt = (self.data.get("lead_alt") if self.is_bound else self.instance.lead_alt) or ""
        return bool(image and not image.alt and not alt.strip())

    def clean_body_format(self):
        return self.cleaned_data.get("body_format") or BodyFormat.MARKDOWN

    def clean_publish_at(self):
        value = self.cleaned_data.get("publish_at")
        if value is None:
            return None
        if timezone.is_aware(value):
            value = timezone.make_naive(value, timezone.get_current_timezone())
        return timezone.make_aware(value, self.blog.tzinfo)

    def authors(self):
        """The bylines in order: the main author, then the others."""
        main = self.cleaned_data.get("main_author")
        others = [u for u in self.cleaned_data.get("coauthors") or [] if u != main]
        return ([main] if main else []) + others

    def label_names(self):
        return [name.strip() for name in self.cleaned_data.get("labels", "").split(",")]

    def content(self):
        return {
            name: self.cleaned_data[name] for name in CONTENT_FIELDS if name in self.cleaned_data
        }


class PostFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    author = forms.IntegerField(label=_("Author"), required=False)
    label = forms.CharField(label=_("Label"), required=False, max_length=200)


class CorrectionForm(forms.Form):
    text = forms.CharField(
        label=_("Correction"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Dated today and shown to readers under the post."),
    )
