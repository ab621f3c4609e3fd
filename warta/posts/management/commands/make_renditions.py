from django.core.management.base import BaseCommand

from warta.posts.models import Image


class Command(BaseCommand):
    help = (
        "Make the renditions (smaller copies, WebP, share picture) of stored images that have "
        "none: images uploaded before renditions existed, or imported with their files."
    )

    def add_arguments(self, parser):
        parser.add_argument("--blog", help="only the images of the blog with this slug")
        parser.add_argument("--all", action="store_true", help="make them again for every image")

    def handle(self, **options):
        images = Image.objects.exclude(file="").order_by("pk")
        if options["blog"]:
            images = images.filter(blog__slug=options["blog"])
        if not options["all"]:
            images = images.filter(renditions={})
        made = 0
        for image in images.iterator():
            image.make_renditions()
            made += bool(image.renditions)
        if options["verbosity"]:
            self.stdout.write(f"{made} image(s) given renditions.")
