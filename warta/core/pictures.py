"""Uploaded pictures made safe to store: the one check every image upload goes through.

The file is decoded whole by Pillow (a name or a content type proves nothing), refused when
it is larger than ``WARTA_IMAGE_MAX_BYTES`` or has more pixels than ``WARTA_IMAGE_MAX_PIXELS``
(a small file that would unpack into gigabytes), turned upright by its EXIF orientation and
encoded again, so what is stored carries no EXIF (camera, GPS position) and nothing but the
picture and its colour profile.

    picture = clean_picture(request.FILES["image"])   # or ValidationError, translated
    field.save(picture.name_for(upload.name), picture.as_file())

The API (``clean_picture``, ``CleanPicture``, ``picture_name``, ``FORMATS``) is used by the desk's
body images and media library and by the blog settings' favicon, logo and share image.
"""

import io
import os
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000  # 40 megapixels, e.g. 8000 x 5000: more than any camera sends
MAX_FRAMES = 300  # an animated GIF's frames count against the pixel limit too
# Pillow's name of a format -> what it is stored as, and the extension of the stored file.
FORMATS = {
    "JPEG": ("JPEG", "jpg"),
    "MPO": ("JPEG", "jpg"),  # what some phones call a JPEG with a second picture
    "PNG": ("PNG", "png"),
    "WEBP": ("WEBP", "webp"),
    "GIF": ("GIF", "gif"),
}


def _avif_supported():
    from PIL import features

    try:
        return bool(features.check("avif"))
    except ValueError:  # a Pillow that does not know the feature's name
        return False


if _avif_supported():
    FORMATS["AVIF"] = ("AVIF", "avif")

ANIMATED_FORMATS = ("GIF", "WEBP", "AVIF")


@dataclass(frozen=True)
class CleanPicture:
    """A picture decoded, checked and encoded again, ready to store."""

    content: bytes
    format: str  # Pillow's name of the stored format: JPEG, PNG, WEBP, GIF or AVIF
    extension: str  # without the dot
    width: int
    height: int
    frames: int = 1

    @property
    def animated(self):
        return self.frames > 1

    @property
    def size(self):
        return len(self.content)

    def as_file(self):
        return ContentFile(self.content)

    def name_for(self, upload_name):
        return picture_name(upload_name, self.extension)


def max_bytes():
    return getattr(settings, "WARTA_IMAGE_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_pixels():
    return getattr(settings, "WARTA_IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS)


def format_names(formats=None):
    names = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF", "AVIF": "AVIF"}
    shown = [names[name] for name in names if name in (formats or FORMATS)]
    return ", ".join(shown)


def not_a_picture(formats=None):
    if formats is None or {"JPEG", "PNG", "WEBP", "GIF"} <= set(formats):
        message = _("This file is not an image Warta can read: use JPEG, PNG, WebP or GIF.")
    else:
        message = _("This file is not an image Warta can read: use %(formats)s.") % {
            "formats": format_names(formats)
        }
    return ValidationError(message, code="not_an_image")


def too_large(size, limit):
    return ValidationError(
        _("The image is too large (%(size)s); at most %(limit)s.")
        % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
        code="too_large",
    )


def bomb(width=None, height=None, limit_pixels=None):
    limit = round((limit_pixels or max_pixels()) / 1_000_000)
    if width and height:
        message = _(
            "The image has too many pixels (%(width)s × %(height)s); at most %(limit)s million."
        ) % {"width": width, "height": height, "limit": limit}
    else:
        message = _("The image has too many pixels; at most %(limit)s million.") % {"limit": limit}
    return ValidationError(message, code="too_many_pixels")


def clean_picture(upload, *, formats=None, limit_bytes=None, limit_pixels=None):
    """``upload`` (an uploaded file, or any file object with ``size`` or seekable) decoded,
    checked and encoded again, as a ``CleanPicture``. ``formats`` narrows the Pillow formats
    accepted (keys of ``FORMATS``). Raises ``ValidationError`` with a message in the active
    language and a code: ``too_large``, ``too_many_pixels`` or ``not_an_image``."""
    from PIL import Image as Picture
    from PIL import ImageOps, UnidentifiedImageError

    accepted = {name: FORMATS[name] for name in (formats or FORMATS) if name in FORMATS}
    limit_bytes = limit_bytes or max_bytes()
    limit_pixels = limit_pixels or max_pixels()
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, os.SEEK_END)
        size = upload.tell()
    if size > limit_bytes:
        raise too_large(size, limit_bytes)
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its own limit and twice it: here that is refused too.
            warnings.simplefilter("error", Picture.DecompressionBombWarning)
            with Picture.open(upload) as picture:
                if picture.format not in accepted:
                    raise not_a_picture(accepted)
                stored_format, extension = accepted[picture.format]
                # The size is read from the header, before any pixel is unpacked.
                pixels = picture.width * picture.height
                if pixels > limit_pixels:
                    raise bomb(picture.width, picture.height, limit_pixels)
                animated = stored_format in ANIMATED_FORMATS
                frames = getattr(picture, "n_frames", 1) if animated else 1
                if pixels * frames > limit_pixels or frames > MAX_FRAMES:
                    raise bomb(picture.width, picture.height, limit_pixels)
                if frames > 1:
                    content = encode_animation(picture, stored_format)
                    return CleanPicture(
                        content, stored_format, extension, picture.width, picture.height, frames
                    )
                picture.load()  # decodes every pixel: a truncated or forged file fails here
                upright = ImageOps.exif_transpose(picture)
                content = encode(upright, stored_format, picture.info)
                return CleanPicture(
                    content, stored_format, extension, upright.width, upright.height
                )
    except (Picture.DecompressionBombError, Picture.DecompressionBombWarning):
        raise bomb(limit_pixels=limit_pixels) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise not_a_picture(accepted) from None


def encode(picture, stored_format, info=None, **extra):
    """A new file holding only the pixels (and the colour profile, so colours stay right):
    no EXIF, XMP, comments or text chunks."""
    info = info or {}
    options = {}
    if icc := info.get("icc_profile"):
        options["icc_profile"] = icc
    if stored_format == "JPEG":
        if picture.mode not in ("RGB", "L"):
            picture = picture.convert("RGB")
        options.update(quality=85, optimize=True, progressive=True)
    elif stored_format == "PNG":
        if picture.mode not in ("RGB", "RGBA", "L", "LA", "P", "1"):
            picture = picture.convert("RGBA")
        if picture.mode == "P" and "transparency" in info:
            options["transparency"] = info["transparency"]
        options["optimize"] = True
    elif stored_format in ("WEBP", "AVIF"):
        if picture.mode not in ("RGB", "RGBA"):
            picture = picture.convert("RGBA" if "A" in picture.mode else "RGB")
        options["quality"] = 80 if stored_format == "WEBP" else 60
    elif stored_format == "GIF":
        if picture.mode not in ("P", "L"):
            picture = picture.convert("P", palette=1)
        if "transparency" in info:
            options["transparency"] = info["transparency"]
    options.update(extra)
    picture.info = {}  # Pillow writes some of what it read back out unless it is gone
    buffer = io.BytesIO()
    picture.save(buffer, stored_format, exif=b"", **options)
    return buffer.getvalue()


def encode_animation(picture, stored_format):
    """Every frame decoded and written again; EXIF orientation does not apply to these."""
    from PIL import ImageSequence

    frames, durations = [], []
    for frame in ImageSequence.Iterator(picture):
        frame.load()
        durations.append(frame.info.get("duration", 100))
        frames.append(frame.convert("RGBA"))
    options = {"save_all": True, "append_images": frames[1:], "duration": durations, "loop": 0}
    if stored_format == "GIF":
        options["disposal"] = 2
    buffer = io.BytesIO()
    frames[0].save(buffer, stored_format, **options)
    return buffer.getvalue()


def picture_name(upload_name, extension):
    """A safe file name from what the browser sent: ``My Photo (1).JPG`` -> ``my-photo-1.jpg``."""
    stem = slugify(os.path.splitext(os.path.basename(upload_name or ""))[0])[:60].strip("-")
    return f"{stem or 'image'}.{extension}"
