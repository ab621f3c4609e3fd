"""Images dropped or pasted into the editor: real files made with Pillow here are decoded,
turned upright, stripped of EXIF and stored as the blog's images; anything else is refused
with a message in the blog's language and leaves no file behind."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as Picture
from PIL import ImageDraw

from warta.posts.models import Image

HOST = "kabar.localhost"
URL = "/desk/images/upload/"
GPS_IFD = 0x8825
ORIENTATION = 0x0112


def picture_bytes(kind, size=(120, 80), *, exif=None, mode="RGB"):
    """A real image: the left half red, the right half blue, so turning it can be seen."""
    picture = Picture.new(mode, size, "blue")
    ImageDraw.Draw(picture).rectangle((0, 0, size[0] // 2 - 1, size[1]), fill="red")
    buffer = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    picture.save(buffer, kind, **options)
    return buffer.getvalue()


def gps_exif(orientation=None):
    exif = Picture.Exif()
    exif[0x010F] = "KameraPonsel"  # Make
    exif.get_ifd(GPS_IFD).update({1: "S", 2: (6.0, 10.0, 30.0), 3: "E", 4: (106.0, 49.0, 0.0)})
    if orientation:
        exif[ORIENTATION] = orientation
    return exif


def upload(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def writer(client, blog, make_member):
    user = make_member(blog, role="author")
    client.force_login(user)
    return user


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def post(client, data):
    return client.post(URL, data, HTTP_HOST=HOST)


@pytest.mark.parametrize(
    "kind, name, ext",
    [("JPEG", "Foto Banjir.jpg", "jpg"), ("PNG", "peta.png", "png"), ("WEBP", "x.webp", "webp")],
)
def test_an_image_is_stored_as_the_blogs_image(client, blog, writer, settings, kind, name, ext):
    response = post(client, {"image": upload(name, picture_bytes(kind)), "alt": "Banjir"})
    assert response.status_code == 201
    answer = response.json()
    image = Image.objects.get()
    assert answer == {"ok": True, "url": image.url, "id": image.pk, "width": 120, "height": 80}
    assert (image.blog, image.uploaded_by, image.alt) == (blog, writer, "Banjir")
    assert image.url.startswith(settings.MEDIA_URL) and image.url.endswith("." + ext)
    with Picture.open(image.file.path) as stored:
        assert stored.format == kind
        assert stored.size == (120, 80)
        assert stored.getpixel((10, 40))[:3][0] > 200  # still red on the left
    assert image.thumbnail  # lists get their small copy like any other image


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP"])
def test_exif_and_its_gps_position_are_stripped(client, blog, writer, kind):
    original = picture_bytes(kind, exif=gps_exif())
    with Picture.open(io.BytesIO(original)) as check:  # the test file really carries them
        assert check.getexif().get_ifd(GPS_IFD)
    response = post(client, {"image": upload(f"gps.{kind.lower()}", original)})
    assert response.status_code == 201
    image = Image.objects.get()
    stored = image.file.read()
    with Picture.open(io.BytesIO(stored)) as picture:
        assert not picture.getexif()
        assert "exif" not in picture.info
    assert b"KameraPonsel" not in stored


def test_the_exif_orientation_is_applied(client, blog, writer):
    # Orientation 6: the camera was turned; the picture must be shown turned 90° clockwise.
    original = picture_bytes("JPEG", size=(120, 80), exif=gps_exif(orientation=6))
    response = post(client, {"image": upload("tegak.jpg", original)})
    assert response.json()["width"] == 80 and response.json()["height"] == 120
    with Picture.open(Image.objects.get().file.path) as stored:
        assert stored.size == (80, 120)
        assert ORIENTATION not in stored.getexif()
        assert stored.getpixel((40, 10))[0] > 200  # the red left half is now on top
        assert stored.getpixel((40, 110))[2] > 200


def test_a_gif_is_stored_as_a_gif(client, blog, writer):
    frames = [Picture.new("RGB", (40, 30), colour) for colour in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=200)
    response = post(client, {"image": upload("gerak.gif", buffer.getvalue(), "image/gif")})
    assert response.status_code == 201
    with Picture.open(Image.objects.get().file.path) as stored:
        assert stored.format == "GIF" and stored.n_frames == 3


def test_a_still_gif_is_stored(client, blog, writer):
    response = post(client, {"image": upload("a.gif", picture_bytes("GIF"), "image/gif")})
    assert response.status_code == 201
    assert Image.objects.get().file.name.endswith(".gif")


def refused_with(response, text):
    assert response.status_code == 400
    answer = response.json()
    assert answer["ok"] is False
    assert text in answer["error"]


@pytest.mark.parametrize(
    "data",
    [
        b"<script>alert(1)</script>",  # a script with an image's name
        b"\xff\xd8\xff\xe0" + b"\x00" * 400,  # a JPEG's first bytes and nothing behind them
        picture_bytes("JPEG")[:300],  # a real JPEG cut short: its pixels cannot be decoded
        picture_bytes("BMP"),  # a real image of a format the web does not want
    ],
    ids=["script", "forged-header", "truncated", "bmp"],
)
def test_what_is_not_a_usable_image_is_refused_and_leaves_no_file(
    client, blog, writer, settings, data
):
    response = post(client, {"image": upload("foto.jpg", data)})
    refused_with(response, "Berkas ini bukan gambar")  # the blog is in Indonesian
    assert not Image.objects.exists()
    assert stored_files(settings) == []


def test_the_error_is_in_the_blogs_language(client, make_blog, make_member):
    english = make_blog("news", language="en")
    client.force_login(make_member(english, role="editor"))
    response = client.post(URL, {"image": upload("x.jpg", b"nope")}, HTTP_HOST="news.localhost")
    refused_with(response, "This file is not an image")


def test_a_file_over_the_size_limit_is_refused(client, blog, writer, settings):
    settings.WARTA_IMAGE_MAX_BYTES = 50_000
    noisy = Picture.frombytes("RGB", (300, 300), os.urandom(300 * 300 * 3))  # will not shrink
    buffer = io.BytesIO()
    noisy.save(buffer, "PNG")
    data = buffer.getvalue()
    assert len(data) > 50_000
    refused_with(post(client, {"image": upload("besar.png", data)}), "terlalu besar")
    assert stored_files(settings) == [] and not Image.objects.exists()


def test_the_default_size_limit_is_ten_megabytes(client, blog, writer, settings):
    del settings.WARTA_IMAGE_MAX_BYTES  # the default in uploads.py, not the setting's
    data = picture_bytes("PNG") + b"\x00" * (10 * 1024 * 1024)  # 10 MB and a bit
    refused_with(post(client, {"image": upload("besar.png", data)}), "10,0\xa0MB")
    assert stored_files(settings) == []


def test_a_decompression_bomb_is_refused_before_it_is_unpacked(client, blog, writer, settings):
    # 12,000 x 12,000 pixels of one colour: a PNG of a few hundred kilobytes that would need
    # over 400 MB of memory once decoded.
    bomb = Picture.new("L", (12_000, 12_000), 0)
    buffer = io.BytesIO()
    bomb.save(buffer, "PNG", optimize=True)
    assert len(buffer.getvalue()) < 1024 * 1024
    response = post(client, {"image": upload("bom.png", buffer.getvalue(), "image/png")})
    refused_with(response, "terlalu banyak piksel")
    assert stored_files(settings) == [] and not Image.objects.exists()


def test_the_pixel_limit_is_a_setting(client, blog, writer, settings):
    settings.WARTA_IMAGE_MAX_PIXELS = 100 * 100
    response = post(client, {"image": upload("a.jpg", picture_bytes("JPEG", size=(101, 100)))})
    refused_with(response, "101 × 100")
    settings.WARTA_IMAGE_MAX_PIXELS = 101 * 100
    response = post(client, {"image": upload("a.jpg", picture_bytes("JPEG", size=(101, 100)))})
    assert response.status_code == 201


def test_no_file_is_refused(client, blog, writer):
    refused_with(post(client, {"alt": "x"}), "Pilih berkas gambar")


def test_a_signed_out_writer_is_told_to_sign_in_again(client, blog, settings):
    response = client.post(
        URL,
        {"image": upload("a.jpg", picture_bytes("JPEG"))},
        HTTP_HOST=HOST,
        HTTP_REFERER="http://kabar.localhost/desk/posts/new/",
    )
    assert response.status_code == 401
    answer = response.json()
    assert answer["ok"] is False and answer["error"]
    assert answer["login_url"] == "/accounts/login/?next=/desk/posts/new/"
    assert stored_files(settings) == []


@pytest.mark.parametrize("who", ["member", "non_member", "writer_of_another_blog"])
def test_others_are_refused(client, blog, make_blog, make_member, make_user, settings, who):
    if who == "member":
        user = make_member(blog, role="member")
    elif who == "non_member":
        user = make_user()
    else:
        user = make_member(make_blog("lain"), role="owner")
    client.force_login(user)
    response = post(client, {"image": upload("a.jpg", picture_bytes("JPEG"))})
    assert response.status_code == 403
    assert response.json()["ok"] is False
    assert not Image.objects.exists() and stored_files(settings) == []


@pytest.mark.parametrize("role", ["owner", "admin", "editor", "author"])
def test_every_writer_may_upload(client, blog, make_member, role):
    client.force_login(make_member(blog, role=role))
    assert post(client, {"image": upload("a.png", picture_bytes("PNG"))}).status_code == 201


def test_an_image_goes_to_the_blog_of_the_host(client, blog, make_blog, make_member):
    other = make_blog("lain")
    user = make_member(blog, role="editor")
    client.force_login(user)
    post(client, {"image": upload("a.png", picture_bytes("PNG"))})
    assert Image.objects.get().blog == blog
    assert not other.images.exists()


def test_only_post_is_answered(client, blog, writer):
    assert client.get(URL, HTTP_HOST=HOST).status_code == 405
    client.logout()
    assert client.get(URL, HTTP_HOST=HOST).status_code == 405


def test_the_upload_needs_the_csrf_token(blog, make_member, settings):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_member(blog, role="editor"))
    response = post(client, {"image": upload("a.png", picture_bytes("PNG"))})
    assert response.status_code == 403
    assert stored_files(settings) == []
