"""Big synthetic blogs for benchmarks and scale tests (``warta generate``).

Rows are written in batches (``bulk_create``; PostgreSQL ``COPY`` for posts and comments)
with their HTML already rendered, so a million posts take minutes, not hours. Signals do
not run for bulk writes: the blog's generation is bumped once at the end.
"""

import datetime
import random

from django.db import connection, transaction
from django.utils import timezone

from warta.blogs.models import Blog
from warta.comments.models import Comment
from warta.posts.models import Label, Post, Status, make_teaser

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
BATCH = 2000


def sentence(rng, words=14):
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng, sentences=4):
    return " ".join(sentence(rng) for _ in range(sentences))


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
    (two or three per post) and ``comments`` approved comments spread over the posts."""
    rng = random.Random(seed)
    say = progress or (lambda message: None)
    blog, _ = Blog.objects.get_or_create(
        slug=slug,
        defaults={"title": f"Warta {slug}", "tagline": "Berita dan informasi terkini"},
    )
    label_objs = _labels(blog, labels)
    first_post_pk = (Post.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    existing = Post.objects.filter(blog=blog).count()
    now = timezone.now()
    for start in range(0, posts, BATCH):
        rows = [
            _post(blog, rng, existing + n, now - datetime.timedelta(minutes=47 * (posts - n)))
            for n in range(start, min(posts, start + BATCH))
        ]
        created = _insert_posts(rows)
        if label_objs:
            links = [
                Post.labels.through(post_id=pk, label_id=label.pk)
                for pk in created
                for label in rng.sample(label_objs, min(len(label_objs), rng.choice((2, 3))))
            ]
            Post.labels.through.objects.bulk_create(links, batch_size=BATCH)
        say(f"posts: {min(posts, start + BATCH)}/{posts}")
    post_ids = list(
        Post.objects.filter(blog=blog, pk__gte=first_post_pk).values_list("pk", "published_at")
    )
    _comments(blog, rng, post_ids, comments, say)
    blog.bump_generation()
    return blog


def _labels(blog, count):
    wanted = [f"{KICKERS[n % len(KICKERS)]} {n + 1}" for n in range(count)]
    Label.objects.bulk_create(
        [Label(blog=blog, name=name) for name in wanted], ignore_conflicts=True, batch_size=BATCH
    )
    return list(Label.objects.filter(blog=blog, name__in=wanted))


def _post(blog, rng, n, published_at):
    title = sentence(rng, 8).rstrip(".")
    slug = f"kabar-{n + 1}"
    body = "\n\n".join(paragraph(rng) for _ in range(rng.randint(3, 6)))
    body_html = "".join(f"<p>{part}</p>\n" for part in body.split("\n\n"))
    local = timezone.localtime(published_at, blog.tzinfo)
    return Post(
        blog=blog,
        title=title,
        slug=slug,
        kicker=rng.choice(KICKERS),
        body=body,
        body_html=body_html,
        teaser=make_teaser(body_html),
        excerpt="",
        status=Status.PUBLISHED,
        published_at=published_at,
        created_at=published_at,
        updated_at=published_at,
        path=f"/{local.year}/{local.month:02d}/{slug}.html",
        source_name=rng.choice(["", "", "Antara", "Reuters"]),
    )


def _insert_posts(rows):
    with transaction.atomic():
        if connection.vendor == "postgresql":
            return _copy(Post, rows)
        return [post.pk for post in Post.objects.bulk_create(rows)]


def _comments(blog, rng, post_ids, count, say):
    if not post_ids or not count:
        return
    counts = {}
    for start in range(0, count, BATCH):
        rows = []
        for _ in range(start, min(count, start + BATCH)):
            post_id, published_at = rng.choice(post_ids)
            counts[post_id] = counts.get(post_id, 0) + 1
            body = sentence(rng, rng.randint(6, 30))
            rows.append(
                Comment(
                    blog=blog,
                    post_id=post_id,
                    author_name=rng.choice(["Budi", "Sari", "Wayan", "Rina", "Ucok", "Dewi"]),
                    body=body,
                    body_html=f"<p>{body}</p>",
                    status=Comment.Status.APPROVED,
                    created_at=published_at + datetime.timedelta(minutes=rng.randint(1, 5000)),
                )
            )
        with transaction.atomic():
            if connection.vendor == "postgresql":
                _copy(Comment, rows)
            else:
                Comment.objects.bulk_create(rows)
        say(f"comments: {min(count, start + BATCH)}/{count}")
    by_count = {}
    for post_id, n in counts.items():
        by_count.setdefault(n, []).append(post_id)
    with transaction.atomic():
        for n, ids in by_count.items():
            for start in range(0, len(ids), BATCH):
                Post.objects.filter(pk__in=ids[start : start + BATCH]).update(comment_count=n)


def _copy(model, rows):
    """PostgreSQL ``COPY ... FROM STDIN``: several times faster than INSERT for big batches.
    Returns the new primary keys (taken from the sequence first)."""
    table = model._meta.db_table
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        names = ["id"] + [f.column for f in fields]
        quoted = ", ".join(connection.ops.quote_name(name) for name in names)
        with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
            for pk, obj in zip(ids, rows, strict=True):
                obj.pk = pk
                copy.write_row(
                    [pk] + [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
                )
    return ids
