"""Images dropped or pasted into a post's body in the desk's editor.

The file is checked and encoded again by ``warta.core.pictures.clean_picture`` (decoded whole,
size and pixel limits, turned upright, no EXIF). It becomes a ``posts.Image`` of the request's
blog, in the media library too; the editor inserts its address.
"""

from functools import wraps
from urllib.parse import urlsplit

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from warta.core.decorators import blog_required
from warta.core.pictures import clean_picture
from warta.posts.models import Image

from .access import MODERATORS


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


def clean_image(upload):
    """The upload decoded, checked and encoded again (``warta.core.pictures``), or Refused."""
    try:
        return clean_picture(upload)
    except ValidationError as error:
        raise Refused(error.messages[0]) from None


def store_image(request, upload, picture, alt=""):
    """A ``posts.Image`` of the request's blog holding ``picture``; its renditions are made
    at once when it is small, else by the background worker."""
    return Image.objects.store(
        blog=request.blog,
        picture=picture,
        upload_name=upload.name,
        alt=alt[:500],
        uploaded_by=request.user,
    )


@require_POST  # whoever asks: the other methods are refused before anything else
@json_desk_view
def upload_image(request):
    upload = request.FILES.get("image")
    if upload is None:
        return refused(_("Choose an image file to upload."))
    try:
        picture = clean_image(upload)
    except Refused as error:
        return refused(str(error))
    image = store_image(request, upload, picture, request.POST.get("alt", ""))
    width, height = image.width, image.height
    return JsonResponse(
        {"ok": True, "url": image.url, "id": image.pk, "width": width, "height": height},
        status=201,
    )


def refused(message):
    return JsonResponse({"ok": False, "error": message}, status=400)
