"""Big synthetic blogs for benchmarks and scale tests (``warta generate``).

Rows are written in batches (``bulk_create`` on SQLite; ``COPY`` on PostgreSQL) with their
HTML, teaser, path and comment count already what ``Post.save()`` and ``Comment.save()``
would store (``devtools/tests/test_generator.py`` checks it), so a million posts take minutes,
not hours. Signals do not run for bulk writes: the blog's generation is bumped once at the end.
The posts are indexed for search at the end (``warta.search.index.index_missing``).
"""

import contextlib
import datetime
import random

from django.db import connection, transaction
from django.utils import timezone

from warta.blogs.models import Blog
from warta.comments.models import Comment
from warta.posts.models import Label, Post, Status, make_teaser
from warta.search.index import index_missing

from .sql import BulkWriter, CopyWriter, indexes_built_after

WORDS = (
    "warga pemerintah kota desa banjir pasar harga beras cabai nelayan petani sekolah guru "
    "murid rumah sakit dokter jalan tol kereta bandara pelabuhan hujan kemarau gempa laut "
    "sungai hutan kebun kopi teh sawit tambang listrik air bersih bantuan sosial anggaran "
    "daerah provinsi kabupaten bupati gubernur menteri presiden rakyat pemilu partai suara "
    "berita laporan wartawan redaksi kabar informasi terkini pekan bulan tahun minggu senin "
    "selasa rabu kamis jumat sabtu pagi siang sore malam ribuan ratusan puluhan keluarga "
    "anak ibu bapak pemuda komunitas budaya tari musik film buku perpustakaan olahraga "
    "sepak bola bulu tangkis juara pertandingan stadion ekonomi usaha kecil koperasi bank "
    "pajak ekspor impor industri pabrik buruh upah kesehatan vaksin gizi lingkungan sampah "
    "plastik udara polusi energi surya angin teknologi internet ponsel aplikasi digital"
).split()
KICKERS = ["Nasional", "Ekonomi", "Daerah", "Dunia", "Olahraga", "Budaya", "Teknologi"]
NAMES = ["Budi", "Sari", "Wayan", "Rina", "Ucok", "Dewi"]
SOURCES = ["", "", "Antara", "Reuters"]
BATCH = 5000
# From this many posts on, PostgreSQL builds the non-unique indexes once at the end instead
# of updating them row by row (the full-text GIN index above all).
REBUILD_INDEXES_FROM = 50_000
TABLES = ["posts_post", "posts_post_labels", "comments_comment"]
SPACING = datetime.timedelta(minutes=47)


def sentence(rng, words=14):
    text = " ".join(rng.choices(WORDS, k=words))
    return text[0].upper() + text[1:] + "."


class Text:
    """Random sentences drawn once, then combined: choosing 250 words for every post was
    most of the time of a million-post run."""

    def __init__(self, rng, size=20_000):
        self.rng = rng
        self.sentences = [sentence(rng) for _ in range(size)]
        self.remarks = [sentence(rng, rng.randint(6, 30)) for _ in range(size)]

    def paragraph(self, sentences=4):
        return " ".join(self.rng.choices(self.sentences, k=sentences))

    def remark(self):
        return self.rng.choice(self.remarks)


def generate_blog(
    *,
    slug: str,
    posts: int,
    comments: int,
    labels: int,
    seed: int = 5,
    progress=None,
) -> Blog:
    """Create (or extend) blog ``slug`` with ``posts`` published posts, ``labels`` labels
    (two or three per post) and ``comments`` approved comments spread over the new posts."""
    rng = random.Random(seed)
    say = progress or (lambda message: None)
    blog, _ = Blog.objects.get_or_create(
        slug=slug,
        defaults={"title": f"Warta {slug}", "tagline": "Berita dan informasi terkini"},
    )
    label_ids = _labels(blog, labels)
    existing = Post.objects.filter(blog=blog).count()
    writer = CopyWriter() if connection.vendor == "postgresql" else BulkWriter(BATCH)
    rebuild = (
        connection.vendor == "postgresql"
        and posts >= REBUILD_INDEXES_FROM
        and not connection.in_atomic_block
    )
    with indexes_built_after(TABLES, say) if rebuild else contextlib.nullcontext():
        _write(blog, rng, writer, posts, comments, label_ids, existing, say)
    writer.finish()
    say("search index")
    index_missing(blog)
    blog.bump_generation()
    return blog


def _write(blog, rng, writer, posts, comments, label_ids, existing, say):
    now = timezone.now()
    text = Text(rng)
    for start in range(0, posts, BATCH):
        end = min(posts, start + BATCH)
        rows = [
            _post(blog, rng, text, existing + n, now - SPACING * (posts - n))
            for n in range(start, end)
        ]
        # This batch's share of the comments, on random posts of the batch; the counts go
        # into the post rows, so no UPDATE pass is needed (and no dead rows on PostgreSQL).
        share = comments * end // posts - comments * start // posts
        targets = [rng.randrange(len(rows)) for _ in range(share)]
        for index in targets:
            rows[index]["comment_count"] += 1
        with transaction.atomic():
            ids = writer.write(Post, rows)
            writer.write(
                Comment,
                [_comment(blog, rng, text, ids[i], rows[i]["published_at"], now) for i in targets],
            )
            if label_ids:
                writer.write(
                    Post.labels.through,
                    [
                        {"post_id": pk, "label_id": label_id}
                        for pk in ids
                        for label_id in rng.sample(
                            label_ids, min(len(label_ids), rng.choice((2, 3)))
                        )
                    ],
                )
        say(f"posts: {end}/{posts}")


def _labels(blog, count):
    wanted = [f"{KICKERS[n % len(KICKERS)]} {n + 1}" for n in range(count)]
    Label.objects.bulk_create(
        [Label(blog=blog, name=name) for name in wanted], ignore_conflicts=True, batch_size=BATCH
    )
    return list(Label.objects.filter(blog=blog, name__in=wanted).values_list("pk", flat=True))


def _post(blog, rng, text, n, published_at):
    title = sentence(rng, 8).rstrip(".")
    slug = f"kabar-{n + 1}"
    paragraphs = [text.paragraph() for _ in range(rng.randint(3, 6))]
    local = timezone.localtime(published_at, blog.tzinfo)
    return {
        "blog_id": blog.pk,
        "title": title,
        "slug": slug,
        "kicker": rng.choice(KICKERS),
        "body": "\n\n".join(paragraphs),
        # What render_markdown() makes of plain paragraphs, without its 0.2 ms a post.
        "body_html": "".join(f"<p>{part}</p>\n" for part in paragraphs),
        # A paragraph has 56 words, more than a teaser's 40: the first one is enough, and
        # without its tags strip_tags() has nothing to parse.
        "teaser": make_teaser(paragraphs[0]),
        "status": Status.PUBLISHED,
        "published_at": published_at,
        "created_at": published_at,
        "updated_at": published_at,
        "path": f"/{local.year}/{local.month:02d}/{slug}.html",
        "source_name": rng.choice(SOURCES),
        "comment_count": 0,
    }


def _comment(blog, rng, text, post_id, published_at, now):
    body = text.remark()
    created_at = min(now, published_at + datetime.timedelta(minutes=rng.randint(1, 5000)))
    return {
        "blog_id": blog.pk,
        "post_id": post_id,
        "author_name": rng.choice(NAMES),
        "body": body,
        # What render_comment() makes of one plain sentence.
        "body_html": f"<p>{body}</p>",
        "status": Comment.Status.APPROVED,
        "created_at": created_at,
        "updated_at": created_at,
    }
