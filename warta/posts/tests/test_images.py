"""Renditions of an uploaded image (warta/posts/images.py): smaller copies at several widths,
never upscaled, in the original's kind and WebP, and a 1200 x 630 share picture; their names
kept on the row so reader pages never open a file; made inline when small, by the
background task when large; every file removed with the image."""

import io
import json

import pytest
from django.core.files.storage import default_storage
from PIL import Image as Picture

from warta.core.pictures import clean_picture
from warta.posts import images
from warta.posts.models import Image, Page, Post


def jpeg(size, colour=(30, 90, 160)):
    buffer = io.BytesIO()
    Picture.new("RGB", size, colour).save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = "Banjir Demak.jpg"
    buffer.size = len(buffer.getvalue())
    return buffer


def stored(blog, size=(2000, 1500), **fields):
    upload = jpeg(size)
    return Image.objects.store(
        blog=blog, picture=clean_picture(upload), upload_name=upload.name, **fields
    )


def opened(name):
    with default_storage.open(name) as file, Picture.open(file) as picture:
        return picture.format, picture.size


def test_widths_are_made_below_the_images_own_and_never_above():
    assert images.widths_for(2000) == [320, 640, 960, 1280, 1600]
    assert images.widths_for(1000) == [320, 640, 960, 1000]
    assert images.widths_for(200) == [200]


def test_a_small_image_gets_its_renditions_at_once(blog):
    image = stored(blog, size=(1000, 750))
    assert image.renditions["fallback"] == "jpg"
    assert sorted(map(int, image.renditions["widths"])) == [320, 640, 960, 1000]
    assert image.renditions["webp"].keys() == image.renditions["widths"].keys()
    for width, name in image.renditions["widths"].items():
        assert opened(name) == ("JPEG", (int(width), round(750 * int(width) / 1000)))
    for width, name in image.renditions["webp"].items():
        assert opened(name)[0] == "WEBP" and opened(name)[1][0] == int(width)
    share = image.renditions["share"]
    assert opened(share["name"]) == ("JPEG", (1000, 525))  # the 1200 x 630 shape, not upscaled
    # Read back from the database, the row alone writes the srcset.
    again = Image.objects.get(pk=image.pk)
    assert (
        again.srcset.split(", ")[0]
        == f"{default_storage.url(again.renditions['widths']['320'])} 320w"
    )
    assert again.webp_srcset.endswith(" 1000w")
    assert again.rendition_url(500).endswith("-640.jpg")
    assert again.rendition_url(5000).endswith("-1000.jpg")


def test_a_large_image_gets_a_1200_by_630_share_picture(blog, settings):
    settings.WARTA_IMAGE_INLINE_PIXELS = 10_000_000
    image = stored(blog, size=(2400, 1600))
    url, width, height = image.share
    assert (width, height) == (1200, 630)
    assert opened(image.renditions["share"]["name"]) == ("JPEG", (1200, 630))
    assert url == default_storage.url(image.renditions["share"]["name"])


def test_a_transparent_png_keeps_its_transparency(blog):
    buffer = io.BytesIO()
    Picture.new("RGBA", (700, 400), (255, 0, 0, 0)).save(buffer, "PNG")
    buffer.seek(0)
    image = Image.objects.store(blog=blog, picture=clean_picture(buffer), upload_name="logo.png")
    assert image.renditions["fallback"] == "png"
    with default_storage.open(image.renditions["widths"]["320"]) as file:
        with Picture.open(file) as picture:
            assert picture.format == "PNG" and picture.mode == "RGBA"


def test_an_animated_gif_has_no_renditions_and_is_shown_as_it_is(blog):
    frames = [Picture.new("RGB", (400, 300), c) for c in ("red", "green")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])
    buffer.seek(0)
    image = Image.objects.store(blog=blog, picture=clean_picture(buffer), upload_name="a.gif")
    assert image.renditions == {} and image.srcset == ""
    assert image.rendition_url(320) == image.url and image.share[0] == image.url


def test_a_large_image_is_left_to_the_background_task(
    blog, settings, django_capture_on_commit_callbacks
):
    settings.WARTA_IMAGE_INLINE_PIXELS = 1_000_000
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        image = stored(blog, size=(1600, 1200))
    assert Image.objects.get(pk=image.pk).renditions == {}  # nothing made in the request
    task = DBTaskResult.objects.get()
    assert task.task_path == "warta.posts.tasks.make_renditions"
    assert task.args_kwargs["kwargs"] == {"image_id": image.pk}
    # What the worker runs:
    from warta.posts.tasks import make_renditions

    assert make_renditions.call(image_id=image.pk) == 5
    assert sorted(map(int, Image.objects.get(pk=image.pk).renditions["widths"])) == [
        320,
        640,
        960,
        1280,
        1600,
    ]


def test_the_task_runs_after_the_upload_is_committed(
    blog, settings, django_capture_on_commit_callbacks
):
    settings.WARTA_IMAGE_INLINE_PIXELS = 1_000_000  # the immediate backend of the tests
    with django_capture_on_commit_callbacks(execute=True):
        image = stored(blog, size=(1600, 1200))
    assert len(Image.objects.get(pk=image.pk).renditions["widths"]) == 5


def test_deleting_the_files_removes_every_rendition(blog, settings):
    image = stored(blog, size=(1000, 750))
    names = image.stored_names()
    assert len(names) == 2 + 4 * 2 + 1  # file, thumbnail, 4 widths in 2 kinds, share picture
    assert all(default_storage.exists(name) for name in names)
    image.delete_files()
    assert not any(default_storage.exists(name) for name in names)
    files = [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]
    assert files == []


def test_making_renditions_again_replaces_the_old_files(blog):
    image = stored(blog, size=(700, 500))
    old = images.names(image.renditions)
    image.file.storage.delete(old[0])
    image.make_renditions()
    new = images.names(image.renditions)
    assert all(default_storage.exists(name) for name in new)
    assert not any(default_storage.exists(name) for name in set(old) - set(new))


def test_where_an_image_is_used(blog, make_post):
    image = stored(blog, size=(400, 300))
    other = stored(blog, size=(400, 300))
    assert not image.is_used()
    lead = make_post(blog, title="Utama", lead_image=image)
    inline = make_post(blog, title="Di badan", body=f"![banjir]({image.url})")
    page = Page.objects.create(blog=blog, title="Tentang", body=f"![x]({image.url})")
    make_post(blog, title="Lain", body=f"![lain]({other.url})")
    assert image.uses() == ([lead], [inline], [page])
    assert image.is_used()
    Post.objects.filter(pk__in=[lead.pk, inline.pk]).delete()
    page.delete()
    assert not image.is_used()


def test_search_finds_by_alt_text_and_file_name(blog):
    flood = stored(blog, size=(100, 100), alt="Banjir rob di Demak")
    plain = stored(blog, size=(100, 100))
    assert list(Image.objects.search("rob")) == [flood]
    assert set(Image.objects.search("banjir-demak")) == {flood, plain}  # the file names
    assert list(Image.objects.without_alt()) == [plain]


@pytest.fixture
def s3(settings, monkeypatch):
    """A real S3 API over HTTP on loopback (moto's server) as the default storage."""
    import boto3
    from moto.server import ThreadedMotoServer

    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    client.create_bucket(Bucket="warta-media")
    # Readers fetch media straight from the bucket: it is readable by anyone, as deployed.
    public_read = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::warta-media/*",
            }
        ],
    }
    client.put_bucket_policy(Bucket="warta-media", Policy=json.dumps(public_read))
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "warta-media",
                "endpoint_url": endpoint,
                "querystring_auth": False,
            },
        },
    }

    def keys():
        listed = client.list_objects_v2(Bucket="warta-media")
        return sorted(item["Key"] for item in listed.get("Contents", []))

    client.keys = keys
    client.endpoint = endpoint
    yield client
    server.stop()


def test_renditions_on_s3_storage_are_served_and_deleted(s3, blog, settings):
    import urllib.request

    image = stored(blog, size=(1000, 750))
    assert image.file.storage.__class__.__name__ == "S3Storage"
    assert s3.keys() == sorted(image.stored_names())
    assert [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()] == []  # nothing local
    for candidate in image.webp_srcset.split(", "):
        url, width = candidate.split(" ")
        assert url.startswith(s3.endpoint + "/warta-media/images/r/")
        with urllib.request.urlopen(url) as answer:
            assert answer.status == 200
            assert Picture.open(io.BytesIO(answer.read())).width == int(width[:-1])
    image.delete_files()
    image.delete()
    assert s3.keys() == []


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_process_makes_the_renditions_of_a_large_upload(blog, settings, tmp_path):
    """``warta db_worker`` on the test database, as ``warta serve`` starts it."""
    import os
    import subprocess
    import sys
    import time
    from pathlib import Path

    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("the test database is in memory; a worker process cannot reach it")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert settings.MEDIA_ROOT == tmp_path / "media"  # where the worker writes too
    image = stored(blog, size=(2400, 1600))  # 3.8 megapixels: over the inline limit
    assert Image.objects.get(pk=image.pk).renditions == {}
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    env = dict(
        os.environ,
        WARTA_DATABASE_URL=url,
        WARTA_DATA_DIR=str(tmp_path),
        WARTA_TASKS_BACKEND="django_tasks_db.DatabaseBackend",
    )
    warta = str(Path(sys.executable).parent / "warta")
    command = [warta, "db_worker", "--no-reload", "--interval", "0.5", "--no-startup-delay"]
    worker = subprocess.Popen([*command, "-v", "0"], env=env)
    try:
        deadline = time.monotonic() + 60
        while not Image.objects.get(pk=image.pk).renditions:
            assert time.monotonic() < deadline, "the worker made no renditions"
            time.sleep(0.3)
    finally:
        worker.terminate()
        worker.wait(10)
    made = Image.objects.get(pk=image.pk)
    assert sorted(map(int, made.renditions["widths"])) == [320, 640, 960, 1280, 1600]
    assert all(default_storage.exists(name) for name in made.stored_names())
    assert opened(made.renditions["share"]["name"]) == ("JPEG", (1200, 630))


def test_images_stored_before_renditions_get_them_from_the_command(blog, settings):
    import io as _io

    from django.core.management import call_command

    image = stored(blog, size=(700, 500))
    image.delete_files()
    Image.objects.filter(pk=image.pk).update(renditions={})
    older = stored(blog, size=(700, 500))
    Image.objects.filter(pk=older.pk).update(renditions={})
    image.delete()
    out = _io.StringIO()
    call_command("make_renditions", "--blog", blog.slug, stdout=out)
    assert out.getvalue().strip() == "1 image(s) given renditions."
    made = Image.objects.get(pk=older.pk)
    assert sorted(map(int, made.renditions["widths"])) == [320, 640, 700]
    assert all(default_storage.exists(name) for name in made.stored_names())


def test_an_article_with_renditions_keeps_its_query_budget(
    blog, make_post, host_client, django_assert_max_num_queries
):
    """The renditions come in the lead image's row of the article's one SQL read: the page
    needs no query more than warta/reader/tests/test_query_budget.py allows."""
    from warta.reader.tests.test_query_budget import ARTICLE_BUDGET

    image = stored(blog, size=(1000, 750), alt="Perahu")
    post = make_post(blog, title="Banjir", lead_image=image)
    reader = host_client("kabar")
    reader.get(post.path)  # what to read on around it is kept from the first visit
    with django_assert_max_num_queries(ARTICLE_BUDGET):
        article = reader.get(post.path + "?nocache=1").content.decode()  # rendered again
    assert image.webp_srcset in article and image.srcset in article
