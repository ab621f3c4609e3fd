"""The desk's export page: a blog's owners and administrators download the whole blog."""

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from warta.desk.access import MANAGERS, desk_view

from .formats import FORMATS


@require_safe
@desk_view(*MANAGERS)
def export_page(request):
    return render(request, "migration/export.html", {"formats": FORMATS.values()})


@require_safe
@desk_view(*MANAGERS)
def export_download(request, file_format):
    """The export as it is written, one record a chunk: a blog of any size streams."""
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in file_format.export(request.blog)),
        content_type=file_format.exporter.content_type,
    )
    response["Content-Disposition"] = f'attachment; filename="{file_format.filename(request.blog)}"'
    response["Cache-Control"] = "private, no-store"
    return response
