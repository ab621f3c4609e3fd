import os
from pathlib import Path

import pytest


def testdata_dir() -> Path:
    """``../shared/testdata`` next to the repository, or ``$WARTA_TESTDATA``."""
    override = os.environ.get("WARTA_TESTDATA")
    path = Path(override) if override else Path(__file__).resolve().parents[3] / ".." / "shared"
    path = path if override else path / "testdata"
    if not path.is_dir():
        pytest.fail(f"Test corpora missing at {path}: set WARTA_TESTDATA to the testdata folder")
    return path.resolve()


@pytest.fixture(scope="session")
def testdata():
    return testdata_dir()


@pytest.fixture
def counts():
    """A snapshot of every row an import can touch, to prove a run changed nothing."""
    from warta.accounts.models import User
    from warta.blogs.models import Blog
    from warta.comments.models import Comment
    from warta.posts.models import Image, Label, Page, Post, Redirect

    def snapshot():
        return {
            model.__name__: sorted(model.objects.values_list("pk", flat=True))
            for model in (Blog, User, Post, Page, Label, Comment, Image, Redirect)
        } | {
            "blogs": list(Blog.objects.order_by("pk").values()),
            "posts": list(Post.objects.order_by("pk").values()),
            "comments": list(Comment.objects.order_by("pk").values()),
            "labels": sorted(Post.labels.through.objects.values_list("post_id", "label_id")),
        }

    return snapshot


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in English; the Indonesian catalogue is checked by fill_po."""
    from django.utils import translation

    with translation.override("en"):
        yield
