import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from warta.migration.errors import ImportFailed
from warta.migration.formats import FORMATS
from warta.migration.report import Progress, command_language


class Command(BaseCommand):
    help = _(
        "Import a Blogger backup (Atom), a WordPress export (WXR) or a Warta JSON export into a "
        "blog, creating the blog when it does not exist. The import is one transaction: on any "
        "error or Ctrl-C the blog stays as it was. Entries imported before are skipped, so "
        "running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(FORMATS), help=_("the format of the file"))
        parser.add_argument("file", help=_("the exported file"))
        parser.add_argument(
            "--blog", required=True, help=_("the address (slug) of the blog to import into")
        )
        parser.add_argument(
            "--fetch-media",
            action="store_true",
            help=_("download referenced images into the media library where reachable"),
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help=_("the language of the report (default: the one LC_ALL or LANG names)"),
        )
        parser.add_argument(
            "--resume",
            action="store_true",
            help=_(
                "continue an interrupted import: entries already in the blog are skipped "
                "(this is also what a plain second run does)"
            ),
        )

    def handle(self, *args, language=None, **options):
        with translation.override(language or command_language()):
            self.import_file(**options)

    def import_file(self, *, kind, file, blog, fetch_media, resume, **options):
        if not os.path.isfile(file):
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        progress = Progress(self.stderr._out, total_bytes=os.path.getsize(file))
        try:
            report = FORMATS[kind].import_file(
                path=file, blog_slug=blog, fetch_media=fetch_media, progress=progress
            )
        except ImportFailed as error:
            progress.done()
            raise CommandError(
                _("%(file)s: %(error)s Nothing was changed.") % {"file": file, "error": error}
            ) from error
        self.stdout.write(report.summary())
