"""The blog's icon, logo and default share image, uploaded in the desk's settings: checked
by ``core.pictures`` (a real image, decoded whole), made into the sizes readers' browsers,
phones and link previews ask for, shown on reader pages; a refused upload stores nothing."""

import io
import os

import pytest
from PIL import Image as Picture

from warta.blogs.models import Blog

HOST = "meja.localhost"
PICTURES = "/desk/settings/pictures/"


def png(size=(400, 300), colour=(200, 30, 30), name="ikon.png"):
    buffer = io.BytesIO()
    Picture.new("RGB", size, colour).save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = name
    return buffer


def upload(client, **files):
    return client.post(PICTURES, files, HTTP_HOST=HOST)


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(
        os.path.relpath(os.path.join(folder, name), root)
        for folder, _dirs, names in os.walk(root)
        for name in names
    )


def test_a_png_becomes_a_32_px_icon_and_a_180_px_touch_icon(owner, newsroom, host_client):
    assert upload(owner, favicon=png()).status_code == 302
    blog = Blog.objects.get(pk=newsroom[0].pk)
    with blog.favicon.open() as icon, Picture.open(icon) as picture:
        assert (picture.format, picture.size) == ("PNG", (32, 32))
    with blog.touch_icon.open() as icon, Picture.open(icon) as picture:
        assert (picture.format, picture.size) == ("PNG", (180, 180))
    html = host_client("meja").get("/").text
    assert f'<link rel="icon" href="{blog.favicon_url}" sizes="32x32" type="image/png">' in html
    assert f'<link rel="apple-touch-icon" href="{blog.touch_icon_url}">' in html
    assert host_client("meja").get("/favicon.ico")["Location"] == blog.favicon_url


def test_a_logo_and_a_share_image_reach_the_readers_page(owner, newsroom, host_client):
    response = upload(owner, logo=png((1200, 300)), share_image=png((1600, 1200)))
    assert response.status_code == 302
    blog = Blog.objects.get(pk=newsroom[0].pk)
    assert (blog.logo_width, blog.logo_height) == (600, 150)
    with blog.share_image.open() as image, Picture.open(image) as picture:
        assert (picture.format, picture.size) == ("JPEG", (1200, 630))
    html = host_client("meja").get("/").text
    assert f'src="{blog.logo_url}" alt="" width="600" height="150"' in html
    assert f'content="http://meja.localhost{blog.share_image_url}"' in html


@pytest.mark.parametrize(
    "bad",
    [
        lambda: io.BytesIO(b"bukan gambar sama sekali"),
        lambda: io.BytesIO(png().getvalue()[:200]),  # truncated
        lambda: io.BytesIO(
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
        ),
    ],
    ids=["text", "truncated", "svg"],
)
def test_a_file_that_is_no_image_is_refused_and_nothing_is_stored(owner, newsroom, settings, bad):
    file = bad()
    file.name = "ikon.png"
    response = upload(owner, favicon=file)
    assert response.status_code == 400
    assert "not an image Warta can read" in response.text
    blog = Blog.objects.get(pk=newsroom[0].pk)
    assert not blog.favicon and not blog.touch_icon
    assert stored_files(settings) == []


def test_a_refused_upload_beside_a_good_one_stores_neither(owner, newsroom, settings):
    bad = io.BytesIO(b"bukan gambar")
    bad.name = "logo.png"
    assert upload(owner, favicon=png(), logo=bad).status_code == 400
    assert not Blog.objects.get(pk=newsroom[0].pk).favicon
    assert stored_files(settings) == []


def test_an_image_too_large_is_refused(owner, newsroom, settings):
    settings.WARTA_IMAGE_MAX_BYTES = 1000
    response = upload(owner, favicon=png((800, 800), (1, 2, 3)))
    assert response.status_code == 400
    assert "too large" in response.text
    assert stored_files(settings) == []


def test_a_replaced_icon_leaves_no_old_file_and_a_removed_one_none(
    owner, newsroom, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(owner, favicon=png())
    first = stored_files(settings)
    assert len(first) == 2
    with django_capture_on_commit_callbacks(execute=True):
        upload(owner, favicon=png(colour=(0, 0, 200)))
    second = stored_files(settings)
    assert len(second) == 2 and not set(first) & set(second)
    with django_capture_on_commit_callbacks(execute=True):
        owner.post(PICTURES, {"remove_favicon": "on"}, HTTP_HOST=HOST)
    assert stored_files(settings) == []
    assert Blog.objects.get(pk=newsroom[0].pk).favicon_url == ""


@pytest.mark.parametrize("role", ["editor", "author", "member"])
def test_other_roles_cannot_upload(client, newsroom, make_member, settings, role):
    client.force_login(make_member(newsroom[0], role=role))
    assert upload(client, favicon=png()).status_code == 403
    assert stored_files(settings) == []
