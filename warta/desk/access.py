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


class Rights:
    """What the signed-in writer may do with posts of ``request.blog``: owner and admin
    everything; editor edits and publishes every post; author their own posts, publishing
    only where the blog allows (else they submit for review); a member nothing here."""

    def __init__(self, request):
        self.user = request.user
        self.blog = request.blog
        membership = getattr(request, "membership", None)
        self.role = "owner" if request.user.is_superuser else getattr(membership, "role", None)

    @property
    def edits_all(self):
        return self.role in Membership.EDITING_ROLES

    @property
    def writes(self):
        return self.role in Membership.WRITING_ROLES

    def can_edit(self, post):
        if self.edits_all:
            return True
        if self.role != Membership.Role.AUTHOR:
            return False
        return (
            post.pk is None
            or post.author_id == self.user.pk
            or post.coauthors.filter(pk=self.user.pk).exists()
        )

    @property
    def can_publish(self):
        return self.edits_all or (
            self.role == Membership.Role.AUTHOR and self.blog.authors_may_publish
        )

    @property
    def can_delete(self):
        return self.role in MANAGERS

    @property
    def can_correct(self):
        return self.edits_all
