"""Blogger's backup file (Atom): ``importer.py`` reads the older "Back up content" file and
the newer Takeout one, ``exporter.py`` writes the older one, ``atom.py`` names their parts."""

from django.utils.translation import gettext_lazy

from ..base import Format
from .exporter import BloggerExporter
from .importer import BloggerImporter


class Blogger(Format):
    label = gettext_lazy("Blogger backup (Atom)")
    summary = gettext_lazy("readable by Blogger's “Import content”")
    importer = BloggerImporter
    exporter = BloggerExporter
