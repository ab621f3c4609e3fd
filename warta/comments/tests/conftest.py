import time

import pytest

from warta.comments.forms import form_stamp
from warta.posts.models import Page


def kind_of(entry) -> str:
    """Which comment form ``entry`` has: a post's or a static page's."""
    return "page" if isinstance(entry, Page) else "post"


@pytest.fixture
def comment_form():
    """POST data of a post's (or a page's) comment form as a person sends it, a minute after
    the page loaded."""

    def data(entry, **fields):
        fields.setdefault("body", "Terima kasih atas liputannya, sangat membantu.")
        fields.setdefault(
            "stamp",
            form_stamp(
                blog_id=entry.blog_id, post_id=entry.pk, kind=kind_of(entry), now=time.time() - 60
            ),
        )
        return fields

    return data


@pytest.fixture
def send_comment(client, comment_form):
    """``send_comment(entry, user=None, **fields)``: the form of a post or a page, posted
    from the blog's own page."""

    def send(entry, *, user=None, HTTP_X_FORWARDED_FOR=None, **fields):
        if user is not None:
            client.force_login(user)
        else:
            client.logout()
        host = f"{entry.blog.slug}.localhost"
        if user is None:
            fields.setdefault("name", "Pembaca Setia")
        return client.post(
            f"/comments/{kind_of(entry)}/{entry.pk}",
            comment_form(entry, **fields),
            HTTP_HOST=host,
            HTTP_ORIGIN=f"http://{host}",
            **({"HTTP_X_FORWARDED_FOR": HTTP_X_FORWARDED_FOR} if HTTP_X_FORWARDED_FOR else {}),
        )

    return send
