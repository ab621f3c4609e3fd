"""posts.services: saving with revisions and versions, bylines, paths and their redirects."""

import datetime

import pytest
from django.utils import timezone

from warta.accounts.signals import public_profile_changed
from warta.posts import services
from warta.posts.models import Post, Redirect, Revision, Status


@pytest.fixture
def writers(blog, make_member):
    return [make_member(blog, role="author", display_name=n) for n in ("Ana", "Budi", "Citra")]


def test_every_save_is_a_revision_and_raises_the_version(blog, writers):
    post = services.save_post(Post(blog=blog), by=writers[0], fields={"title": "A", "body": "1"})
    assert post.version == 1 and post.author == writers[0]
    post = services.save_post(post, by=writers[1], fields={"body": "2"}, version=1)
    assert post.version == 2
    assert [r.data["body"] for r in Revision.objects.order_by("pk")] == ["1", "2"]
    assert [r.created_by for r in Revision.objects.order_by("pk")] == writers[:2]


def test_a_stale_version_writes_nothing(blog, writers):
    post = services.save_post(Post(blog=blog), by=writers[0], fields={"title": "A", "body": "1"})
    services.save_post(post, by=writers[1], fields={"body": "2"}, version=1)
    with pytest.raises(services.StaleVersion) as raised:
        services.save_post(
            Post.objects.get(pk=post.pk), by=writers[2], fields={"body": "3"}, version=1
        )
    assert raised.value.current.body == "2" and raised.value.theirs["body"] == "3"
    assert Post.objects.get(pk=post.pk).body == "2" and Revision.objects.count() == 2


def test_bylines_keep_their_order_and_follow_a_rename(blog, writers):
    ana, budi, citra = writers
    post = services.save_post(
        Post(blog=blog), by=ana, fields={"title": "A"}, authors=[citra, ana, budi]
    )
    assert post.author == citra and post.byline_names == ["Citra", "Ana", "Budi"]
    post = services.save_post(post, by=ana, fields={}, authors=[citra, budi, ana])
    assert post.byline_names == ["Citra", "Budi", "Ana"]
    budi.display_name = "Budi Santoso"
    budi.save()
    public_profile_changed.send(sender=type(budi), instance=budi)
    assert Post.objects.get(pk=post.pk).byline_names == ["Citra", "Budi Santoso", "Ana"]


def test_the_old_address_follows_the_post_in_one_hop(blog, writers):
    when = timezone.now() - datetime.timedelta(days=1)
    post = services.save_post(
        Post(blog=blog),
        by=writers[0],
        fields={"title": "Satu"},
        status=Status.PUBLISHED,
        published_at=when,
    )
    first = post.path
    post = services.save_post(post, by=writers[0], fields={"slug": "dua"})
    second = post.path
    post = services.save_post(post, by=writers[0], fields={"slug": "tiga"})
    assert dict(Redirect.objects.values_list("old_path", "new_path")) == {
        first: post.path,
        second: post.path,
    }
    # Back to an earlier slug: that address is the post's again, not a redirect.
    post = services.save_post(post, by=writers[0], fields={"slug": "satu"})
    assert post.path == first
    assert first not in set(Redirect.objects.values_list("old_path", flat=True))


def test_a_draft_has_no_address_and_changing_it_leaves_no_redirect(blog, writers):
    post = services.save_post(Post(blog=blog), by=writers[0], fields={"title": "Draf"})
    assert post.path == ""
    services.save_post(post, by=writers[0], fields={"slug": "lain"})
    assert not Redirect.objects.exists()
