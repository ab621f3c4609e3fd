"""Desk pages: the media library. A grid of the blog's images with search, upload (a plain
form; ``static/desk/media.js`` adds drag and drop and paste), alternative text, where an
image is used, and delete only when it is used nowhere."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from warta.blogs.models import Membership
from warta.core.pictures import clean_picture
from warta.posts.models import Image

from .access import MODERATORS, desk_view

PER_PAGE = 48


class UploadForm(forms.Form):
    image = forms.FileField(
        label=gettext_lazy("Image file"),
        help_text=gettext_lazy("JPEG, PNG, WebP or GIF; you can also drop or paste an image."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    alt = forms.CharField(
        label=gettext_lazy("Alternative text"),
        max_length=500,
        required=False,
        help_text=gettext_lazy("What the image shows, for readers who cannot see it."),
    )

    def clean_image(self):
        upload = self.cleaned_data["image"]
        self.picture = clean_picture(upload)  # ValidationError, in the blog's language
        return upload


class AltForm(forms.ModelForm):
    class Meta:
        model = Image
        fields = ["alt"]
        labels = {"alt": gettext_lazy("Alternative text")}
        help_texts = {"alt": gettext_lazy("What the image shows, for readers who cannot see it.")}


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=200)
    missing_alt = forms.BooleanField(
        label=gettext_lazy("Only without alternative text"), required=False
    )


def images_of(request):
    return Image.objects.for_blog(request.blog).exclude(file="")


def may_delete(request, image):
    """Editors and up delete any image; a writer the images they uploaded."""
    if request.user.is_superuser or request.membership.role in Membership.EDITING_ROLES:
        return True
    return image.uploaded_by_id == request.user.pk


@desk_view(*MODERATORS)
@require_http_methods(["GET", "POST"])
def library(request):
    upload = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if upload.is_valid():
            image = Image.objects.store(
                blog=request.blog,
                picture=upload.picture,
                upload_name=upload.cleaned_data["image"].name,
                alt=upload.cleaned_data["alt"],
                uploaded_by=request.user,
            )
            messages.success(request, _("The image is uploaded."))
            return redirect("desk:media_image", pk=image.pk)
    search = SearchForm(request.GET)
    search.is_valid()
    wanted = search.cleaned_data
    images = images_of(request).search(wanted.get("q"))
    if wanted.get("missing_alt"):
        images = images.without_alt()
    page = Paginator(images.order_by("-created_at", "-pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    status = 400 if upload.errors else 200
    return render(
        request,
        "desk/media.html",
        {
            "upload": upload,
            "search": search,
            "page": page,
            "missing_alt": images_of(request).without_alt().count(),
            "query": search_query(wanted),
        },
        status=status,
    )


def search_query(wanted):
    """The search as the start of a pager link's query: ``q=rob&missing_alt=on&``."""
    kept = {"q": wanted.get("q") or "", "missing_alt": "on" if wanted.get("missing_alt") else ""}
    encoded = urlencode({name: value for name, value in kept.items() if value})
    return f"{encoded}&" if encoded else ""


@desk_view(*MODERATORS)
@require_http_methods(["GET", "POST"])
def image_detail(request, pk):
    image = get_object_or_404(images_of(request), pk=pk)
    form = AltForm(request.POST or None, instance=image)
    if request.method == "POST" and form.is_valid():
        form.save().shown_anew()
        messages.success(request, _("The alternative text is saved."))
        return redirect("desk:media_image", pk=image.pk)
    lead_posts, body_posts, body_pages = image.uses()
    return render(
        request,
        "desk/media_image.html",
        {
            "image": image,
            "form": form,
            "lead_posts": lead_posts,
            "body_posts": body_posts,
            "body_pages": body_pages,
            "used": bool(lead_posts or body_posts or body_pages),
            "may_delete": may_delete(request, image),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@desk_view(*MODERATORS)
def delete_image(request, pk):
    image = get_object_or_404(images_of(request), pk=pk)
    if not may_delete(request, image):
        messages.error(request, _("Only an editor or the writer who uploaded it may delete it."))
        return redirect("desk:media_image", pk=image.pk)
    if image.is_used():
        messages.error(
            request, _("This image is still used; remove it from those posts and pages first.")
        )
        return redirect("desk:media_image", pk=image.pk)
    image.delete_files()
    image.delete()
    messages.success(request, _("The image is deleted."))
    return redirect("desk:media")


urlpatterns = [
    path("media/", library, name="media"),
    path("media/<int:pk>/", image_detail, name="media_image"),
    path("media/<int:pk>/delete/", delete_image, name="delete_image"),
]
