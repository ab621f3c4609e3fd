"""WordPress eXtended RSS: ``importer.py`` reads WXR 1.0-1.2, ``exporter.py`` writes WXR 1.2,
``wxr.py`` names their parts."""

from django.utils.translation import gettext_lazy

from ..base import Format
from .exporter import WordPressExporter
from .importer import WordPressImporter


class WordPress(Format):
    label = gettext_lazy("WordPress (WXR 1.2)")
    summary = gettext_lazy("readable by WordPress's importer")
    importer = WordPressImporter
    exporter = WordPressExporter
