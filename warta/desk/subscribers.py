"""Desk pages: the blog's followers by e-mail (owners and admins): who, with what status,
counts, a CSV export, and an import from FeedBurner or Mailchimp."""

import csv

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from warta.followers import services
from warta.followers.csvimport import BadList, read_addresses
from warta.followers.models import Subscriber

from .access import MANAGERS, desk_view


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "Mailchimp's “subscribed” export or FeedBurner's subscriber export. Each address "
            "is sent a confirmation and gets nothing else until it confirms."
        ),
    )


def counts_of(blog) -> list[tuple[str, str, int]]:
    found = dict(
        Subscriber.objects.for_blog(blog)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [(value, label, found.get(value, 0)) for value, label in Subscriber.Status.choices]


@desk_view(*MANAGERS)
@require_http_methods(["GET", "POST"])
def subscriber_list(request):
    blog = request.blog
    form = ImportForm()
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                addresses = read_addresses(form.cleaned_data["file"].read())
            except BadList as refusal:
                form.add_error("file", refusal.message)
            else:
                added = services.import_addresses(blog=blog, addresses=addresses)
                messages.success(
                    request,
                    ngettext(
                        "%(count)d address imported; it was sent a confirmation.",
                        "%(count)d addresses imported; each was sent a confirmation.",
                        added,
                    )
                    % {"count": added},
                )
                return redirect("desk:subscribers")
    wanted = request.GET.get("status", "")
    subscribers = Subscriber.objects.for_blog(blog).order_by("-created_at", "-pk")
    if wanted in Subscriber.Status.values:
        subscribers = subscribers.filter(status=wanted)
    page = Paginator(subscribers, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "desk/subscribers.html",
        {
            "counts": counts_of(blog),
            "total": sum(n for _value, _label, n in counts_of(blog)),
            "page": page,
            "wanted": wanted,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


class Echo:
    def write(self, value):
        return value


EXPORT_FIELDS = ["email", "status", "frequency", "source", "created_at", "confirmed_at"]


@desk_view(*MANAGERS)
def subscriber_export(request):
    rows = Subscriber.objects.for_blog(request.blog).order_by("pk").values_list(*EXPORT_FIELDS)
    writer = csv.writer(Echo())

    def lines():
        yield writer.writerow(EXPORT_FIELDS)
        for row in rows.iterator(chunk_size=1000):
            yield writer.writerow(
                [value.isoformat() if hasattr(value, "isoformat") else value for value in row]
            )

    day = timezone.localdate()
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{request.blog.slug}-subscribers-{day:%Y-%m-%d}.csv"'
    )
    return response


urlpatterns = [
    path("subscribers/", subscriber_list, name="subscribers"),
    path("subscribers/export.csv", subscriber_export, name="subscribers_export"),
]
