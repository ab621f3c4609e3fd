import os
from pathlib import Path

import pytest

from warta.blogs.models import Membership

# (role, status) for ``parametrize``: only owners and administrators move a blog's backups.
OWNERS_AND_ADMINISTRATORS_ONLY = [
    (Membership.Role.OWNER, 200),
    (Membership.Role.ADMIN, 200),
    (Membership.Role.EDITOR, 403),
    (Membership.Role.AUTHOR, 403),
    (Membership.Role.MEMBER, 403),
]


def testdata_dir() -> Path:
    """``$WARTA_TESTDATA``, else ``../shared/testdata`` next to the repository, else the
    workplace's ``/work/shared/testdata`` (a clone made elsewhere on this machine)."""
    override = os.environ.get("WARTA_TESTDATA")
    if override:
        candidates = [Path(override)]
    else:
        beside = Path(__file__).resolve().parents[3].parent / "shared" / "testdata"
        candidates = [beside, Path("/work/shared/testdata")]
    for path in candidates:
        if path.is_dir():
            return path.resolve()
    pytest.fail(
        f"Test corpora missing at {', '.join(map(str, candidates))}: "
        "set WARTA_TESTDATA to the testdata folder"
    )


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
def _english(monkeypatch):
    """Messages are compared in English; the Indonesian catalogue is checked by fill_po.
    The commands answer in the language the environment names, so it names English."""
    from django.utils import translation

    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    with translation.override("en"):
        yield
