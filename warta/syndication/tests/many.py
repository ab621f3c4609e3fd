"""Many published posts at once, as Post.save would make them (body rendered, teaser, path),
in a few queries: a walk through 200 posts should not wait for 200 saves."""

import datetime

from warta.posts.models import Label, Post, Status

START = datetime.datetime(2024, 1, 1, 6, tzinfo=datetime.UTC)


def moment(n):
    """The n-th post's moment: seven hours apart, some with milliseconds, none shared."""
    return START + datetime.timedelta(hours=7 * n, milliseconds=250 * (n % 3))


def publish_many(blog, count, *, authors=(), moments=moment, labels=lambda n: ["Semua"]):
    label_rows = {}
    posts = []
    for n in range(count):
        published = moments(n)
        post = Post(
            blog=blog,
            title=f"Kabar ke-{n}",
            slug=f"kabar-ke-{n}",
            body=f"Isi **lengkap** kabar ke-{n}.\n\nParagraf kedua yang panjang.",
            excerpt=f"Ringkasan kabar ke-{n}." if n % 2 else "",
            author=authors[n % len(authors)] if authors else None,
            status=Status.PUBLISHED,
            published_at=published,
            updated_at=published + datetime.timedelta(days=(n * 37) % 11),
        )
        post.render()
        post.path = post.build_path()
        posts.append(post)
    Post.objects.bulk_create(posts)
    links = []
    for n, post in enumerate(posts):
        for name in labels(n):
            if name not in label_rows:
                label_rows[name] = Label.objects.create(blog=blog, name=name)
            links.append(Post.labels.through(post_id=post.pk, label_id=label_rows[name].pk))
    Post.labels.through.objects.bulk_create(links)
    return posts
