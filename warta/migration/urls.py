from django.urls import path, register_converter

from . import views
from .formats import FORMATS


class FormatConverter:
    """A format's name in the address, as the registered ``Format``; any other name is a 404.
    The registry is read on each request, so a format added to it needs no new address."""

    regex = r"[\w-]+"

    def to_python(self, value):
        try:
            return FORMATS[value]
        except KeyError:
            raise ValueError(value) from None

    def to_url(self, value):
        return value if isinstance(value, str) else value.name


register_converter(FormatConverter, "export_format")

app_name = "migration"

urlpatterns = [
    path("", views.export_page, name="export"),
    path("<export_format:file_format>/", views.export_download, name="export-download"),
]
