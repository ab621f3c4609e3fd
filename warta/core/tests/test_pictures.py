"""``warta.core.pictures.clean_picture``: the one check every image upload goes through.
Real files made with Pillow are decoded, turned upright, stripped of EXIF and encoded again;
anything else is a ValidationError with a code and a message in the active language."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image as Picture

from warta.core.pictures import FORMATS, CleanPicture, clean_picture, picture_name


def picture_bytes(kind, size=(120, 80), **options):
    picture = Picture.new("RGB", size, "blue")
    picture.paste("red", (0, 0, size[0] // 2, size[1]))
    buffer = io.BytesIO()
    picture.save(buffer, kind, **options)
    return buffer.getvalue()


def png_claiming(width, height):
    """A PNG whose header says ``width`` x ``height``: no pixel of it is ever made."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def upload(data, name="foto.jpg"):
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def refusal(data, **options):
    with pytest.raises(ValidationError) as caught:
        clean_picture(upload(data), **options)
    return caught.value


@pytest.mark.parametrize("kind", sorted({stored for stored, _ in FORMATS.values()}))
def test_each_format_comes_back_clean_with_its_size(kind):
    picture = clean_picture(upload(picture_bytes(kind)))
    assert isinstance(picture, CleanPicture)
    assert (picture.format, picture.width, picture.height) == (kind, 120, 80)
    with Picture.open(io.BytesIO(picture.content)) as stored:
        assert stored.format == kind and stored.size == (120, 80)
    assert picture.as_file().read() == picture.content


def test_orientation_is_applied_and_camera_and_location_are_gone():
    exif = Picture.Exif()
    exif[0x010F] = "KameraPonsel"
    exif[0x0112] = 6  # turned: the stored picture is 80 x 120
    exif.get_ifd(0x8825).update({1: "S", 2: (6.0, 10.0, 30.0)})
    picture = clean_picture(upload(picture_bytes("JPEG", exif=exif)))
    assert (picture.width, picture.height) == (80, 120)
    assert b"KameraPonsel" not in picture.content
    with Picture.open(io.BytesIO(picture.content)) as stored:
        assert not stored.getexif()


@pytest.mark.parametrize(
    "data, code",
    [
        (b"Halo, ini bukan gambar.\n" * 10, "not_an_image"),
        (picture_bytes("PNG")[:120], "not_an_image"),  # a real PNG cut short
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "not_an_image",
        ),
        (picture_bytes("BMP"), "not_an_image"),
        (png_claiming(50_000, 50_000), "too_many_pixels"),
    ],
    ids=["text", "truncated-png", "svg-script", "bmp", "bomb"],
)
def test_what_is_not_a_safe_image_is_refused_with_a_code(data, code):
    assert refusal(data).code == code


def test_a_bomb_is_refused_from_its_header_alone():
    # 50,000 x 50,000 pixels would be 7.5 GB decoded; the file is a few dozen bytes.
    data = png_claiming(50_000, 50_000)
    assert len(data) < 200
    with translation.override("id"):
        assert "terlalu banyak piksel" in refusal(data).messages[0]


def test_the_size_limit_is_checked_before_decoding(settings):
    settings.WARTA_IMAGE_MAX_BYTES = 1000
    error = refusal(b"x" * 1001)
    assert error.code == "too_large"
    assert refusal(b"x" * 10, limit_bytes=5).code == "too_large"


def test_messages_are_in_the_active_language():
    with translation.override("id"):
        assert "Berkas ini bukan gambar" in refusal(b"nope").messages[0]
    with translation.override("en"):
        assert "not an image" in refusal(b"nope").messages[0]


def test_formats_can_be_narrowed():
    assert clean_picture(upload(picture_bytes("PNG")), formats=["PNG"]).format == "PNG"
    error = refusal(picture_bytes("JPEG"), formats=["PNG"])
    assert error.code == "not_an_image" and "PNG" in error.messages[0]


def test_animated_gifs_keep_their_frames():
    frames = [Picture.new("RGB", (40, 30), colour) for colour in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=80)
    picture = clean_picture(upload(buffer.getvalue(), "a.gif"))
    assert picture.animated and picture.frames == 3 and picture.extension == "gif"


def test_a_stored_name_is_made_safe():
    assert picture_name("../Foto Banjir (1).JPG", "jpg") == "foto-banjir-1.jpg"
    assert picture_name("", "png") == "image.png"
