"""Renditions of an uploaded image: smaller copies for phones and a share picture.

Each width of ``WIDTHS`` below the image's own (never upscaled) and the image's own width up
to the largest, in the original's kind (JPEG, or PNG when it has transparency) and in WebP,
plus a 1200 x 630 crop for Open Graph (smaller images give a smaller crop of that shape).
They are written through the image field's storage (local files or S3) and their names kept
on the row, ``Image.renditions``::

    {"fallback": "jpg", "widths": {"320": name, ...}, "webp": {"320": name, ...},
     "share": {"name": name, "width": 1200, "height": 630}}

so a reader page builds its ``srcset`` from the row alone, without opening a file or listing
the storage. Animated images and remote ones have none; pages use the image as it is.
"""

import io
import os
import weakref

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.encoding import filepath_to_uri
from django.utils.functional import empty

from warta.core.pictures import encode

WIDTHS = (320, 640, 960, 1280, 1600)
SHARE_SIZE = (1200, 630)
DEFAULT_INLINE_PIXELS = 2_000_000  # above this, renditions are made by the background worker


def inline_pixels():
    return getattr(settings, "WARTA_IMAGE_INLINE_PIXELS", DEFAULT_INLINE_PIXELS)


def widths_for(width):
    """``WIDTHS`` below ``width``, and ``width`` itself when it is under the largest."""
    chosen = [w for w in WIDTHS if w < width]
    if width <= WIDTHS[-1]:
        chosen.append(width)
    return chosen


def make(image, content=None):
    """The renditions of ``image`` written to its storage; returns the ``renditions`` value
    (``{}`` when it has none). ``content`` is the file's bytes, read from the storage when
    not given."""
    from PIL import Image as Picture
    from PIL import ImageOps

    if not image.file:
        return {}
    storage = image.file.storage
    if content is None:
        with storage.open(image.file.name, "rb") as stored:
            content = stored.read()
    with Picture.open(io.BytesIO(content)) as opened:
        if getattr(opened, "n_frames", 1) > 1:
            return {}
        opened.load()
        picture = ImageOps.exif_transpose(opened)
        info = dict(opened.info)
    has_alpha = picture.mode in ("RGBA", "LA", "PA") or (
        picture.mode == "P" and "transparency" in info
    )
    if has_alpha:
        picture = picture.convert("RGBA")
        fallback, fallback_format = "png", "PNG"
    else:
        picture = picture.convert("RGB")
        fallback, fallback_format = "jpg", "JPEG"
    profile = {"icc_profile": info["icc_profile"]} if info.get("icc_profile") else {}
    stem = os.path.splitext(os.path.basename(image.file.name))[0][:60]
    folder = f"images/r/{image.pk}"
    written = []
    try:
        renditions = {"fallback": fallback, "widths": {}, "webp": {}}
        for width in widths_for(picture.width):
            resized = resize(picture, width)
            for key, kind, extension in (
                ("widths", fallback_format, fallback),
                ("webp", "WEBP", "webp"),
            ):
                data = encode(resized, kind, profile)
                name = storage.save(f"{folder}/{stem}-{width}.{extension}", ContentFile(data))
                written.append(name)
                renditions[key][str(width)] = name
        share = ImageOps.fit(picture.convert("RGB"), share_size(picture.width, picture.height))
        name = storage.save(f"{folder}/{stem}-share.jpg", ContentFile(encode(share, "JPEG")))
        written.append(name)
        renditions["share"] = {"name": name, "width": share.width, "height": share.height}
    except Exception:
        for name in written:
            storage.delete(name)
        raise
    return renditions


def resize(picture, width):
    if width >= picture.width:
        return picture
    height = max(round(picture.height * width / picture.width), 1)
    return picture.resize((width, height), resample=3, reducing_gap=3.0)  # 3: bicubic


def share_size(width, height):
    """1200 x 630, or the largest box of that shape inside a smaller image (not upscaled)."""
    target_w, target_h = SHARE_SIZE
    scale = min(1.0, width / target_w, height / target_h)
    return max(round(target_w * scale), 1), max(round(target_h * scale), 1)


def names(renditions):
    """Every stored name of a ``renditions`` value."""
    found = [*renditions.get("widths", {}).values(), *renditions.get("webp", {}).values()]
    if share := renditions.get("share"):
        found.append(share["name"])
    return found


def srcset(storage, names_by_width):
    return ", ".join(
        f"{url_of(storage, name)} {width}w"
        for width, name in sorted(names_by_width.items(), key=lambda item: int(item[0]))
    )


PROBE = "images/r/0/probe.jpg"
_prefixes = weakref.WeakKeyDictionary()


def url_of(storage, name):
    """``storage.url(name)``, by joining the storage's prefix once learnt: a list of 25
    posts asks for about 275 addresses, and ``FileSystemStorage.url``'s urljoin cost 40 µs
    each. A storage whose address is not prefix + name (signed URLs) is asked every time."""
    real = getattr(storage, "_wrapped", storage)
    if real is empty:
        return storage.url(name)
    known = _prefixes.get(real)
    if known is None or known[0] != settings.MEDIA_URL:
        probe = storage.url(PROBE)
        known = (settings.MEDIA_URL, probe[: -len(PROBE)] if probe.endswith(PROBE) else None)
        _prefixes[real] = known
    prefix = known[1]
    return storage.url(name) if prefix is None else prefix + filepath_to_uri(name)
