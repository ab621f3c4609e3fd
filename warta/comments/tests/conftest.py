import time

import pytest

from warta.comments.forms import form_stamp


@pytest.fixture
def comment_form():
    """POST data of a post's comment form as a person sends it, a minute after the page
    loaded."""

    def data(post, **fields):
        fields.setdefault("body", "Terima kasih atas liputannya, sangat membantu.")
        fields.setdefault(
            "stamp", form_stamp(blog_id=post.blog_id, post_id=post.pk, now=time.time() - 60)
        )
        return fields

    return data


@pytest.fixture
def send_comment(client, comment_form):
    """``send_comment(post, user=None, **fields)``: the form posted from the blog's own page."""

    def send(post, *, user=None, HTTP_X_FORWARDED_FOR=None, **fields):
        if user is not None:
            client.force_login(user)
        else:
            client.logout()
        host = f"{post.blog.slug}.localhost"
        if user is None:
            fields.setdefault("name", "Pembaca Setia")
        return client.post(
            f"/comments/post/{post.pk}",
            comment_form(post, **fields),
            HTTP_HOST=host,
            HTTP_ORIGIN=f"http://{host}",
            **({"HTTP_X_FORWARDED_FOR": HTTP_X_FORWARDED_FOR} if HTTP_X_FORWARDED_FOR else {}),
        )

    return send
