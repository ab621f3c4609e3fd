"""The desk's export page: a blog's owners and administrators download the whole blog."""

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from warta.desk.access import MANAGERS, desk_view

from .export import FORMATS, export_blog, filename_for

CONTENT_TYPES = {
    "blogger": "application/atom+xml; charset=utf-8",
    "wordpress": "application/rss+xml; charset=utf-8",
    "json": "application/jsonl; charset=utf-8",
}


@require_safe
@desk_view(*MANAGERS)
def export_page(request):
    return render(request, "migration/export.html", {"formats": FORMATS})


@require_safe
@desk_view(*MANAGERS)
def export_download(request, kind):
    if kind not in FORMATS:
        raise Http404
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in export_blog(request.blog, kind)),
        content_type=CONTENT_TYPES[kind],
    )
    response["Content-Disposition"] = f'attachment; filename="{filename_for(request.blog, kind)}"'
    response["Cache-Control"] = "private, no-store"
    return response
