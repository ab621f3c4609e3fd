"""The reader's hand-written reads give exactly what the ORM queries give."""

import datetime

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from warta.posts.models import Image, Label, Post, Status
from warta.posts.reads import PublishedPosts, around, label_named, published_article


def orm_article(blog, path):
    return Post.objects.for_blog(blog).filter(status=Status.PUBLISHED).for_reader().get(path=path)


def field_values(instance, *, skip=()):
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.fields
        if field.attname not in skip
    }


def test_the_article_read_matches_the_orm_field_by_field(make_blog, make_post, make_user):
    blog = make_blog()
    author = make_user(display_name="Laras Wening", bio="Wartawan Kabar Kita")
    image = Image.objects.create(blog=blog, remote_url="https://example.org/foto.jpg", width=8)
    post = make_post(
        blog,
        author=author,
        lead_image=image,
        kicker="Suriah",
        source_name="Reuters",
        labels=["Timur Tengah", "Dunia", "Asia"],
    )
    expected = orm_article(blog, post.path)

    with CaptureQueriesContext(connection) as queries:
        article = published_article(blog, post.path)
        assert article.get_deferred_fields() == {"body"}  # the source is not on the page
        assert field_values(article, skip={"body"}) == field_values(expected, skip={"body"})
        assert field_values(article.author) == field_values(expected.author)
        assert field_values(article.lead_image) == field_values(expected.lead_image)
        assert [label.name for label in article.reader_labels] == ["Asia", "Dunia", "Timur Tengah"]
        assert article.blog == blog
        assert article.published_at.tzinfo is not None
        assert article.comments_enabled is True
    assert len(queries) == 1  # the post with its author, image and labels
    assert article.body == expected.body  # read on demand, like any deferred field


def test_labels_come_in_the_orms_order(make_blog, make_post):
    blog = make_blog()
    names = ["Ékonomi", "dunia", "Dunia", "Asia Tenggara", "asia", "Zona 2", "Zona 10"]
    post = make_post(blog, labels=names)
    expected = [label.name for label in orm_article(blog, post.path).labels.all()]
    article = published_article(blog, post.path)
    assert [label.name for label in article.reader_labels] == expected
    assert {label.pk for label in article.reader_labels} == set(
        post.labels.values_list("pk", flat=True)
    )
    assert all(label.blog_id == blog.pk for label in article.reader_labels)


def test_a_post_without_author_or_image_reads_as_none(make_blog, make_post):
    blog = make_blog()
    post = make_post(blog)
    article = published_article(blog, post.path)
    assert article.author is None and article.lead_image is None
    assert article.reader_labels == []


def test_drafts_other_blogs_and_unknown_paths_are_not_articles(make_blog, make_post):
    blog, other = make_blog(), make_blog()
    draft = make_post(blog, status=Status.DRAFT, path="/2026/01/draf.html")
    elsewhere = make_post(other)
    assert published_article(blog, draft.path) is None
    assert published_article(blog, elsewhere.path) is None
    assert published_article(blog, "/2026/01/tidak-ada.html") is None


# ------------------------------------------------------------------ lists and feeds

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def timeline(make_blog, make_post, make_user):
    """A blog's published posts at distinct hours, one pinned, some with an author, image and
    labels, beside what no list may show: a draft, a post due tomorrow, another blog's post."""
    blog = make_blog()
    now = timezone.now()
    author = make_user(display_name="Laras Wening")
    image = Image.objects.create(blog=blog, remote_url="https://example.org/foto.jpg", width=8)
    posts = []
    for number in range(9):
        posts.append(
            make_post(
                blog,
                title=f"Kabar {number}",
                published_at=now - HOUR * (number + 1),
                author=author if number % 2 else None,
                lead_image=image if number % 3 == 0 else None,
                is_sticky=number == 5,
                labels=["Dunia", "asia"][: number % 3],
                byline_names=["Laras Wening", "Reuters"] if number == 4 else [],
            )
        )
    Post.objects.filter(pk=posts[2].pk).update(updated_at=now - HOUR * 30)
    make_post(blog, title="Draf", status=Status.DRAFT)
    make_post(blog, title="Besok", published_at=now + HOUR * 24, labels=["Dunia"])
    make_post(make_blog(), title="Blog lain", labels=["Dunia"])
    return blog, now


SHAPES = {
    "newest": {},
    "pinned first": {"order": ("-is_sticky", "-published_at", "-pk")},
    "oldest": {"order": ("published_at", "pk")},
    "by update": {"order": ("-updated_at", "-pk"), "with_body": True, "with_author": True},
    "labelled": {"label": "Dunia", "with_labels": True},
    "before": {"bounds": [("published_at", "lt", 4)]},
    "after, oldest first": {"bounds": [("published_at", "gt", 6)], "order": ("published_at",)},
    "a month": {"bounds": [("published_at", "gte", 7), ("published_at", "lt", 2)]},
    "updated since": {"bounds": [("updated_at", "gte", 20), ("updated_at", "lte", 0)]},
    "feed": {"with_body": True, "with_author": True, "with_labels": True},
}


@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize("start, count", [(0, 20), (0, 3), (2, 4), (8, 5), (30, 2)])
def test_a_list_read_matches_its_queryset_field_by_field(timeline, shape, start, count):
    blog, now = timeline
    options = dict(SHAPES[shape])
    if "label" in options:
        options["label"] = Label.objects.get(blog=blog, name=options["label"])
    options["bounds"] = [
        (field, lookup, now - HOUR * hours) for field, lookup, hours in options.get("bounds", [])
    ]
    posts = PublishedPosts(blog, **options)
    expected = list(posts.queryset(now=now)[start : start + count])

    with CaptureQueriesContext(connection) as queries:
        rows = posts.page(start, count, now=now)
        hidden = {"body"} if options.get("with_body") else {"body", "body_html"}
        assert [post.pk for post in rows] == [post.pk for post in expected]
        for post, reference in zip(rows, expected, strict=True):
            assert post.get_deferred_fields() == hidden
            assert field_values(post, skip=hidden) == field_values(reference, skip=hidden)
            assert post.blog == blog
            if post.lead_image_id:
                assert field_values(post.lead_image) == field_values(reference.lead_image)
            else:
                assert post.lead_image is None
            if options.get("with_author") and post.author_id:
                assert field_values(post.author) == field_values(reference.author)
    assert len(queries) == (1 if count else 0)
    if options.get("with_labels"):
        for post, reference in zip(rows, expected, strict=True):
            names = [label.name for label in reference.labels.all()]
            assert [label.name for label in post.reader_labels] == names


def test_a_list_is_sliced_as_a_queryset_is(timeline):
    blog, now = timeline
    posts = PublishedPosts(blog)
    assert [post.title for post in posts[0:3]] == ["Kabar 0", "Kabar 1", "Kabar 2"]
    assert [post.title for post in posts[7:20]] == ["Kabar 7", "Kabar 8"]
    assert posts[3:3] == []


def test_a_list_refuses_what_it_cannot_read(make_blog):
    blog = make_blog()
    with pytest.raises(ValueError):
        PublishedPosts(blog, order=("title",))
    with pytest.raises(ValueError):
        PublishedPosts(blog, bounds=[("created_at", "lt", timezone.now())])
    with pytest.raises(ValueError):
        PublishedPosts(blog, bounds=[("published_at", "in", timezone.now())])


def test_a_label_is_found_by_its_exact_name_on_its_own_blog(make_blog, make_post):
    blog, other = make_blog(), make_blog()
    make_post(blog, labels=["Dunia", "dunia"])
    make_post(other, labels=["Asia"])
    for name in ("Dunia", "dunia"):
        expected = Label.objects.get(blog=blog, name=name)
        assert field_values(label_named(blog, name)) == field_values(expected)
    assert label_named(blog, "DUNIA") is None
    assert label_named(blog, "Asia") is None


def orm_around(post, label_ids, related, now):
    """The reference: what ``around`` reads, through the ORM."""
    others = (
        Post.objects.for_blog(post.blog)
        .filter(status=Status.PUBLISHED, published_at__lte=now)
        .exclude(pk=post.pk)
    )
    when, pk = post.published_at, post.pk
    previous = (
        others.filter(published_at__lte=when)
        .filter(Q(published_at__lt=when) | Q(pk__lt=pk))
        .order_by("-published_at", "-pk")
        .first()
    )
    following = (
        others.filter(published_at__gte=when)
        .filter(Q(published_at__gt=when) | Q(pk__gt=pk))
        .order_by("published_at", "pk")
        .first()
    )
    shared = (
        others.filter(labels__in=label_ids)
        .annotate(shared=Count("pk"))
        .order_by("-shared", "-published_at", "-pk")[:related]
    )
    return previous, following, list(shared)


def link_fields(post):
    return None if post is None else (post.pk, post.title, post.path, post.published_at)


def test_what_lies_around_a_post_matches_the_orm(make_blog, make_post):
    blog = make_blog()
    now = timezone.now()
    same_moment = now - HOUR * 5
    posts = [
        make_post(
            blog,
            title=f"Kabar {number}",
            published_at=same_moment if number in (4, 5, 6) else now - HOUR * (number + 1),
            labels=[["Dunia", "Asia"], ["Dunia"], ["Asia", "Banjir"], []][number % 4],
        )
        for number in range(12)
    ]
    make_post(blog, title="Besok", published_at=now + HOUR, labels=["Dunia", "Asia"])
    make_post(blog, title="Draf", status=Status.DRAFT, labels=["Dunia"])
    make_post(make_blog(), title="Blog lain", published_at=now - HOUR * 3, labels=["Dunia"])
    for post in posts:
        label_ids = list(post.labels.values_list("pk", flat=True))
        for related in (1, 4):
            with CaptureQueriesContext(connection) as queries:
                found = around(post, label_ids, related=related, now=now)
            assert len(queries) == 1
            expected = orm_around(post, label_ids, related, now)
            assert link_fields(found[0]) == link_fields(expected[0])
            assert link_fields(found[1]) == link_fields(expected[1])
            assert [link_fields(p) for p in found[2]] == [link_fields(p) for p in expected[2]]
            assert found[2] or not label_ids or related == 0
    first, last = posts[11], posts[0]
    assert around(first, [], now=now)[0] is None
    assert around(last, [], now=now)[1] is None  # the post due in an hour is not next
