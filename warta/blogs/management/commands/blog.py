"""``warta blog create SLUG --title "…" --owner EMAIL``: a new blog, its owner, and a
one-time link that signs the owner in to the blog's desk. ``warta blog link SLUG`` prints
such a link again (``make run`` does, for the demo blog's owner, until they have signed in)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from warta.blogs.models import Blog, Membership
from warta.blogs.signin import sign_in_path


class Command(BaseCommand):
    help = "Create a blog with its owner, or print a one-time sign-in link to a blog's desk."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="a new blog and its owner")
        create.add_argument("slug", help="the blog's address, e.g. kabar")
        create.add_argument("--title", required=True)
        create.add_argument("--owner", required=True, metavar="EMAIL")
        create.add_argument("--language", default=Blog.Language.INDONESIAN)
        create.add_argument("--time-zone", default="Asia/Jakarta")
        link = actions.add_parser("link", help="a one-time sign-in link for a blog's owner")
        link.add_argument("slug")
        link.add_argument("--email", help="whose link (default: the blog's first owner)")
        link.add_argument(
            "--if-never-signed-in",
            action="store_true",
            help="print nothing when that person has signed in before",
        )
        for sub in (create, link):
            sub.add_argument(
                "--base-url",
                help="the address people open, e.g. http://127.0.0.1:8000 (default: the blog's)",
            )

    def handle(self, *, action, slug, base_url=None, **options):
        if action == "create":
            blog, owner = self.create(slug, **options)
            self.stdout.write(f"Blog “{blog.title}” created; owner {owner.email}.")
        else:
            blog = Blog.objects.filter(slug=slug).first()
            if blog is None:
                raise CommandError(f"There is no blog “{slug}”.")
            owner = self.person(blog, options.get("email"))
            if options["if_never_signed_in"] and owner.last_login is not None:
                return
        url = (base_url or blog.base_url).rstrip("/") + sign_in_path(owner)
        self.stdout.write(f"Sign in to the desk of “{blog.title}” (one-time link): {url}")

    @transaction.atomic
    def create(self, slug, *, title, owner, language, time_zone, **options):
        blog = Blog(slug=slug, title=title, language=language, time_zone=time_zone)
        try:
            blog.full_clean()
        except ValidationError as error:
            messages = (m for ms in error.message_dict.values() for m in ms)
            raise CommandError("; ".join(messages)) from None
        blog.save()
        User = get_user_model()
        user = User.objects.filter(email__iexact=owner).first()
        if user is None:
            user = User.objects.create_user(owner.strip().lower(), None)
        Membership.objects.create(blog=blog, user=user, role=Membership.Role.OWNER)
        return blog, user

    def person(self, blog, email):
        owners = blog.memberships.select_related("user").order_by("pk")
        if email:
            membership = owners.filter(user__email__iexact=email).first()
        else:
            membership = owners.filter(role=Membership.Role.OWNER).first()
        if membership is None:
            raise CommandError("Nobody to sign in: no such member of this blog.")
        return membership.user
