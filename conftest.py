"""Shared pytest fixtures: factories for blogs, people, posts and comments, and a real
Chromium driven by Playwright for browser tests (``@pytest.mark.browser``)."""

import itertools
import os
import shutil
import tempfile

import pytest

_counter = itertools.count(1)

# Playwright's sync API runs an event loop in the test thread; the ORM calls stay synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
TEST_CACHE_DIR = tempfile.mkdtemp(prefix="warta-test-cache-")


def worker_redis_url(settings):
    from urllib.parse import urlsplit, urlunsplit

    url = urlsplit(settings.CACHES["default"]["LOCATION"])
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return url.geturl()
    base = int(url.path.strip("/") or 0)
    database = (base + 1 + int(worker[2:])) % 16
    return urlunsplit(url._replace(path=f"/{database}"))


@pytest.fixture(autouse=True, scope="session")
def _jinja_pages_report_their_context():
    """Django's test client sees the context of Django templates only; reader pages are
    Jinja2, so their renders send the same ``template_rendered`` signal in tests."""
    from django.template.backends import jinja2 as backend
    from django.test.signals import template_rendered

    original = backend.Template.render

    def render(self, context=None, request=None):
        context = {} if context is None else context
        html = original(self, context, request)  # adds the context processors' values
        template_rendered.send(sender=self, template=self, context=dict(context))
        return html

    backend.Template.render = render
    yield
    backend.Template.render = original


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # No collectstatic before tests; tests never touch a developer's data folder.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        # xdist workers share the Redis server but not their databases, and clearing the
        # cache flushes a whole Redis database: each worker gets a database of its own.
        settings.CACHES = {
            "default": {**settings.CACHES["default"], "LOCATION": worker_redis_url(settings)}
        }
    else:
        settings.CACHES = {
            "default": {
                "BACKEND": "warta.core.cache.FileCache",
                "LOCATION": TEST_CACHE_DIR,
            }
        }
    settings.WARTA_DOMAIN = "localhost"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Tasks run inside the request in tests; the tests of the worker choose the database one.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.cache import cache

    from warta.comments.thread import shared_threads

    # Rolled-back tests reuse primary keys (SQLite): what workers keep in memory goes too.
    cache.clear()
    shared_threads.clear()
    yield
    cache.clear()
    shared_threads.clear()


class Inbox:
    """What a real SMTP server (aiosmtpd, on a free loopback port) was sent."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        import email

        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    """Mail goes to a real SMTP server for the test; its ``messages`` are what arrived."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER = False, ""
    yield inbox
    controller.stop()


@pytest.fixture
def make_user(db):
    from warta.accounts.models import User

    def make(email=None, *, password="rahasia-panjang-123", **fields):
        email = email or f"user{next(_counter)}@example.com"
        fields.setdefault("display_name", email.split("@")[0].title())
        return User.objects.create_user(email, password, **fields)

    return make


@pytest.fixture
def make_blog(db):
    from warta.blogs.models import Blog

    def make(slug=None, **fields):
        slug = slug or f"blog{next(_counter)}"
        fields.setdefault("title", f"Blog {slug}")
        fields.setdefault("tagline", "Berita dan informasi terkini")
        return Blog.objects.create(slug=slug, **fields)

    return make


@pytest.fixture
def blog(make_blog):
    return make_blog("kabar", title="Kabar Kita", language="id")


@pytest.fixture
def make_member(make_user):
    from warta.blogs.models import Membership

    def make(blog, role=Membership.Role.MEMBER, **user_fields):
        user = make_user(**user_fields)
        Membership.objects.create(blog=blog, user=user, role=role)
        return user

    return make


@pytest.fixture
def make_post(db):
    import datetime

    from django.utils import timezone

    from warta.posts.models import Label, Post, Status

    def make(blog, *, labels=(), **fields):
        fields.setdefault("title", f"Kabar nomor {next(_counter)}")
        fields.setdefault("body", 'Isi berita.\n\n> "Kutipan," ujarnya.')
        fields.setdefault("status", Status.PUBLISHED)
        if fields["status"] == Status.PUBLISHED:
            fields.setdefault("published_at", timezone.now() - datetime.timedelta(hours=1))
        post = Post.objects.create(blog=blog, **fields)
        for name in labels:
            label, _ = Label.objects.get_or_create(blog=blog, name=name)
            post.labels.add(label)
        return post

    return make


@pytest.fixture
def make_comment(db):
    from warta.comments.models import Comment

    def make(post, **fields):
        fields.setdefault("body", "Komentar pembaca.")
        if "user" not in fields:
            fields.setdefault("author_name", "Pembaca")
        comment = Comment.objects.create(blog=post.blog, post=post, **fields)
        Comment.objects.recount(post)
        return comment

    return make


@pytest.fixture
def host_client(client):
    """``host_client("kabar").get(path)`` sends the real Host header of a blog."""

    class HostClient:
        def __init__(self, slug):
            self.host = f"{slug}.localhost"

        def get(self, path, **extra):
            return client.get(path, HTTP_HOST=self.host, **extra)

        def post(self, path, data=None, **extra):
            return client.post(path, data, HTTP_HOST=self.host, **extra)

        def head(self, path, **extra):
            return client.head(path, HTTP_HOST=self.host, **extra)

    return HostClient


# ---------------------------------------------------------------- browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def blog_url(live_server):
    """``blog_url(blog, "/path")``: the blog's address on the live server, by subdomain."""
    port = live_server.url.rsplit(":", 1)[1]

    def url(blog, path="/"):
        return f"http://{blog.slug}.localhost:{port}{path}"

    return url


@pytest.fixture
def team(make_blog, make_member):
    """The English blog "tim" and one member of each role, as ``(blog, people)``:
    ``people["editor"]`` is the editor, called "Editor", at editor@tim.example."""
    blog = make_blog("tim", title="Tim Redaksi", language="en")
    people = {
        role: make_member(blog, role=role, email=f"{role}@tim.example", display_name=role.title())
        for role in ["owner", "admin", "editor", "author", "member"]
    }
    return blog, people
