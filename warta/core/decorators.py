"""View decorators shared by every app that serves a blog's pages."""

from functools import wraps

from django.http import Http404
from django.utils.translation import gettext as _


def blog_required(view):
    """A 404 where the request's host names no blog (``request.blog`` is set once per
    request by ``BlogMiddleware``): the operator's bare host serves accounts and the admin,
    but no blog's pages, feeds, comments or desk."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if getattr(request, "blog", None) is None:
            raise Http404(_("There is no blog at this address."))
        return view(request, *args, **kwargs)

    return wrapped
