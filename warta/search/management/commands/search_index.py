from django.core.management.base import BaseCommand

from warta.blogs.models import Blog
from warta.search.index import index_missing, reindex_blog


class Command(BaseCommand):
    help = (
        "Bring the search index up to date: index every published post and page that has no "
        "document (after a bulk import), or with --rebuild make every document again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--blog", help="slug of one blog (default: every blog)")
        parser.add_argument("--rebuild", action="store_true", help="re-index everything")

    def handle(self, *, blog, rebuild, verbosity, **options):
        blogs = Blog.objects.all()
        if blog:
            blogs = blogs.filter(slug=blog)
        for each in blogs.order_by("pk"):
            if rebuild:
                reindex_blog(each)
            else:
                index_missing(each)
            if verbosity:
                self.stdout.write(f"{each.slug}: indexed")
