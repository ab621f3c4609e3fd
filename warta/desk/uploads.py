"""Images dropped or pasted into a post's body in the desk's editor.

The file is decoded whole by Pillow (a name or a content type proves nothing), refused when
it is larger than ``WARTA_IMAGE_MAX_BYTES`` or has more pixels than ``WARTA_IMAGE_MAX_PIXELS``
(a small file that would unpack into gigabytes), turned upright by its EXIF orientation and
encoded again, so what is stored carries no EXIF (camera, GPS position) and nothing but the
picture. It becomes a ``posts.Image`` of the request's blog; the editor inserts its address.
"""

import io
import os
import warnings
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from warta.core.decorators import blog_required
from warta.posts.models import Image

from .access import MODERATORS

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000  # 40 megapixels, e.g. 8000 x 5000: more than any camera sends
MAX_FRAMES = 300  # an animated GIF's frames count against the pixel limit too
# Pillow's name of a format -> what it is stored as, and the extension of the stored file.
FORMATS = {"JPEG": ("JPEG", "jpg"), "PNG": ("PNG", "png"), "WEBP": ("WEBP", "webp")}
FORMATS["GIF"] = ("GIF", "gif")
FORMATS["MPO"] = ("JPEG", "jpg")  # what some phones call a JPEG with a second picture


class Refused(Exception):
    """An upload that is not stored; the message is shown to the writer."""


def json_desk_view(view):
    """Like ``desk_view(*MODERATORS)``, but answering JSON the editor's script can show:
    401 with the sign-in address when the session is gone, 403 for anyone not a writer."""

    @blog_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            # Back to the editor page the upload came from once signed in again.
            back = urlsplit(request.headers.get("Referer", ""))
            same_host = back.netloc == request.get_host() and back.path.startswith("/desk/")
            login = redirect_to_login(back.path if same_host else "/desk/")
            return JsonResponse(
                {
                    "ok": False,
                    "error": _("Your session has ended. Sign in again to upload images."),
                    "login_url": login["Location"],
                },
                status=401,
            )
        membership = request.blog.membership_of(request.user)
        if not request.user.is_superuser and (
            membership is None or membership.role not in MODERATORS
        ):
            return JsonResponse(
                {"ok": False, "error": _("You may not upload images to this blog.")}, status=403
            )
        request.membership = membership
        return view(request, *args, **kwargs)

    return wrapped


def max_bytes():
    return getattr(settings, "WARTA_IMAGE_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_pixels():
    return getattr(settings, "WARTA_IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS)


def not_an_image():
    return Refused(_("This file is not an image Warta can read: use JPEG, PNG, WebP or GIF."))


def clean_image(upload):
    """The upload decoded, checked and encoded again: ``(bytes, extension, width, height)``."""
    from PIL import Image as Picture
    from PIL import ImageOps, UnidentifiedImageError

    if upload.size > max_bytes():
        raise Refused(
            _("The image is too large (%(size)s); at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes())}
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its own limit and twice it: here that is refused too.
            warnings.simplefilter("error", Picture.DecompressionBombWarning)
            with Picture.open(upload) as picture:
                if picture.format not in FORMATS:
                    raise not_an_image()
                stored_format, extension = FORMATS[picture.format]
                # The size is read from the header, before any pixel is unpacked.
                pixels = picture.width * picture.height
                if pixels > max_pixels():
                    raise bomb(picture.width, picture.height)
                animated = stored_format in ("GIF", "WEBP")
                frames = getattr(picture, "n_frames", 1) if animated else 1
                if pixels * frames > max_pixels() or frames > MAX_FRAMES:
                    raise bomb(picture.width, picture.height)
                if frames > 1:
                    return encode_animation(picture, stored_format, extension)
                picture.load()  # decodes every pixel: a truncated or forged file fails here
                upright = ImageOps.exif_transpose(picture)
                return encode(upright, stored_format, extension, picture.info)
    except (Picture.DecompressionBombError, Picture.DecompressionBombWarning):
        raise bomb() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise not_an_image() from None


def bomb(width=None, height=None):
    limit = round(max_pixels() / 1_000_000)
    if width and height:
        return Refused(
            _("The image has too many pixels (%(width)s × %(height)s); at most %(limit)s million.")
            % {"width": width, "height": height, "limit": limit}
        )
    return Refused(
        _("The image has too many pixels; at most %(limit)s million.") % {"limit": limit}
    )


def encode(picture, stored_format, extension, info):
    """A new file holding only the pixels (and the colour profile, so colours stay right):
    no EXIF, XMP, comments or text chunks."""
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
    elif stored_format == "WEBP":
        if picture.mode not in ("RGB", "RGBA"):
            picture = picture.convert("RGBA" if "A" in picture.mode else "RGB")
        options["quality"] = 85
    elif stored_format == "GIF":
        if picture.mode not in ("P", "L"):
            picture = picture.convert("P", palette=1)
        if "transparency" in info:
            options["transparency"] = info["transparency"]
    picture.info = {}  # Pillow writes some of what it read back out unless it is gone
    buffer = io.BytesIO()
    picture.save(buffer, stored_format, exif=b"", **options)
    return buffer.getvalue(), extension, picture.width, picture.height


def encode_animation(picture, stored_format, extension):
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
    return buffer.getvalue(), extension, picture.width, picture.height


def stored_name(upload, extension):
    stem = slugify(os.path.splitext(os.path.basename(upload.name or ""))[0])[:60].strip("-")
    return f"{stem or 'image'}.{extension}"


@require_POST  # whoever asks: the other methods are refused before anything else
@json_desk_view
def upload_image(request):
    upload = request.FILES.get("image")
    if upload is None:
        return refused(_("Choose an image file to upload."))
    try:
        data, extension, width, height = clean_image(upload)
    except Refused as error:
        return refused(str(error))
    image = Image(
        blog=request.blog,
        alt=request.POST.get("alt", "")[:500],
        uploaded_by=request.user,
        width=width,
        height=height,
    )
    try:
        with transaction.atomic():
            image.file.save(stored_name(upload, extension), ContentFile(data), save=False)
            image.save()  # makes the thumbnail
    except Exception:
        # Neither the picture nor its thumbnail stays behind without its row.
        for field in (image.file, image.thumbnail):
            if field:
                field.storage.delete(field.name)
        raise
    return JsonResponse(
        {"ok": True, "url": image.url, "id": image.pk, "width": width, "height": height},
        status=201,
    )


def refused(message):
    return JsonResponse({"ok": False, "error": message}, status=400)
