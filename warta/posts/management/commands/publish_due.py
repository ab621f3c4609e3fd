from django.core.management.base import BaseCommand

from warta.posts.services import publish_due


class Command(BaseCommand):
    help = "Publish the scheduled posts whose time has come (for cron, when no task worker runs)."

    def handle(self, **options):
        published = publish_due()
        if options["verbosity"]:
            self.stdout.write(f"{len(published)} post(s) published.")
