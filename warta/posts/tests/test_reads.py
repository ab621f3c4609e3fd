"""The article page's hand-written read gives exactly what the ORM query gives."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from warta.posts.models import Image, Post, Status
from warta.posts.reads import published_article


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
