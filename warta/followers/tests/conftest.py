import email
import email.header
import re

import pytest

from warta.followers.models import Subscriber
from warta.posts import services
from warta.posts.models import Status

ORIGIN = "http://kabar.localhost"


def subject_of(message):
    return str(email.header.make_header(email.header.decode_header(message["Subject"])))


def parts_of(message):
    """``{"text/plain": str, "text/html": str}`` of a received message."""
    return {
        part.get_content_type(): part.get_payload(decode=True).decode()
        for part in message.walk()
        if not part.is_multipart()
    }


def header(message, name):
    return "".join(message[name].splitlines()).strip()


def link_in(message, kind):
    """The first ``/follow/<kind>/...`` link of a message's plain text, as a path."""
    text = parts_of(message)["text/plain"]
    return re.search(rf"http://kabar\.localhost(/follow/{kind}/\S+)", text).group(1)


@pytest.fixture
def follow(host_client, blog):
    """``follow(email)``: the box's POST from the blog's own page."""

    def send(address, *, frequency="post", slug="kabar", **extra):
        data = {"email": address, "frequency": frequency, "homepage": "", **extra}
        return host_client(slug).post("/follow/", data, HTTP_ORIGIN=f"http://{slug}.localhost")

    return send


@pytest.fixture
def confirmed(blog):
    """``confirmed(email, frequency=...)``: a follower who confirmed long ago."""
    import datetime

    from django.utils import timezone

    def make(address, *, frequency="post", status=Subscriber.Status.CONFIRMED, on=None):
        return Subscriber.objects.create(
            blog=on or blog,
            email=address,
            status=status,
            frequency=frequency,
            confirmed_at=timezone.now() - datetime.timedelta(days=1),
        )

    return make


@pytest.fixture
def publish(make_user, make_post, django_capture_on_commit_callbacks):
    """``publish(blog, title=...)``: a draft published through the desk's service."""
    author = None

    def run(blog, **fields):
        nonlocal author
        author = author or make_user("penulis@example.com")
        post = make_post(blog, status=Status.DRAFT, author=author, **fields)
        with django_capture_on_commit_callbacks(execute=True):
            services.save_post(
                post, by=author, fields={}, status=Status.PUBLISHED, keep_lead_image=True
            )
        return post

    return run
