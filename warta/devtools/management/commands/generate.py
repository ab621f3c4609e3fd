import time

from django.core.management.base import BaseCommand

from warta.devtools.generator import generate_blog


class Command(BaseCommand):
    help = "Fill a blog with synthetic published posts, labels and comments (benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--blog", default="bench", help="slug; created when missing")
        parser.add_argument("--posts", type=int, default=10_000)
        parser.add_argument("--comments", type=int, default=100_000)
        parser.add_argument("--labels", type=int, default=200)
        parser.add_argument("--seed", type=int, default=5)

    def handle(self, *, blog, posts, comments, labels, seed, verbosity, **options):
        started = time.monotonic()

        def say(message):
            if verbosity > 1:
                self.stdout.write(message)

        generate_blog(
            slug=blog, posts=posts, comments=comments, labels=labels, seed=seed, progress=say
        )
        if verbosity:
            self.stdout.write(
                f"{blog}: {posts} posts, {labels} labels, {comments} comments "
                f"in {time.monotonic() - started:.1f} s"
            )
