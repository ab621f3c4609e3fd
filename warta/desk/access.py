"""Who may open which desk page of the blog named by the Host header."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from warta.blogs.models import Membership
from warta.core.decorators import blog_required


def desk_view(*roles):
    """Only signed-in people with one of ``roles`` in ``request.blog`` (superusers always);
    the membership is put on ``request.membership``."""

    def decorator(view):
        @blog_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = request.blog.membership_of(request.user)
            if not request.user.is_superuser and (
                membership is None or membership.role not in roles
            ):
                raise PermissionDenied
            request.membership = membership
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


MODERATORS = tuple(Membership.WRITING_ROLES)
MANAGERS = (Membership.Role.OWNER, Membership.Role.ADMIN)
