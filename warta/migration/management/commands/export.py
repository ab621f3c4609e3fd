from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from warta.blogs.models import Blog
from warta.migration.formats import FORMATS


class Command(BaseCommand):
    help = _(
        "Export a whole blog: “blogger” (Blogger's backup Atom), “wordpress” (WXR 1.2) or "
        "“json” (Warta's complete format, JSON Lines). Each can be imported back."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(FORMATS), help=_("the format of the file"))
        parser.add_argument("--blog", required=True, help=_("the address (slug) of the blog"))
        parser.add_argument("-o", "--output", required=True, help=_("the file to write"))

    def handle(self, *args, kind, blog, output, **options):
        target = Blog.objects.filter(slug=blog).first()
        if target is None:
            raise CommandError(_("There is no blog “%(slug)s”.") % {"slug": blog})
        with open(output, "w", encoding="utf-8") as stream:
            stream.writelines(FORMATS[kind].export(target))
        self.stdout.write(_("Wrote %(file)s") % {"file": output})
        for note in FORMATS[kind].dropped(target):
            self.stdout.write(_("Not in this format: %(what)s") % {"what": note})
