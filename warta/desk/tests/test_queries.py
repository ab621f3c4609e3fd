"""A desk page's queries do not grow with the number of posts, labels or revisions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from warta.posts import services
from warta.posts.models import Status

HOST = "kabar.localhost"


def queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, HTTP_HOST=HOST)
    assert response.status_code == 200, path
    return len(captured)


@pytest.fixture
def grow(blog, make_post, make_member):
    editor = make_member(blog, role="editor")
    authors = [make_member(blog, role="author") for _ in range(3)]

    def add(n):
        posts = []
        for i in range(n):
            post = make_post(
                blog,
                author=authors[i % 3],
                status=Status.DRAFT if i % 2 else Status.PUBLISHED,
                labels=[f"Label {i % 4}", "Nasional"],
            )
            services.save_post(post, by=editor, fields={"body": f"Isi {i}"}, labels=["Nasional"])
            posts.append(post)
        return posts

    return editor, add


@pytest.mark.parametrize(
    "path",
    [
        "/desk/",
        "/desk/?status=published",
        "/desk/?status=published&q=Kabar&label=Nasional",
        "/desk/posts/new/",
        "/desk/posts/{pk}/",
        "/desk/posts/{pk}/revisions/",
    ],
)
def test_desk_pages_make_as_many_queries_with_many_posts_as_with_few(client, grow, path):
    editor, add = grow
    client.force_login(editor)
    first = add(3)[0]
    few = queries(client, path.format(pk=first.pk))
    add(40)
    for _ in range(5):
        services.save_post(first, by=editor, fields={"body": "lagi"})
    many = queries(client, path.format(pk=first.pk))
    assert many == few, (few, many)
    assert many <= 16
