import copy

from django.http import HttpResponseBadRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from warta.core import hosts
from warta.pagecache.worker import current_generation, token_for

from .models import Blog


class BlogMiddleware:
    """Resolve the Host header to ``request.blog`` once, and speak that blog's language.

    Custom domains, subdomains of ``WARTA_DOMAIN`` and the bare domain (the default blog)
    are all looked up here, so no view ever parses the host again; any other host gets a 400,
    as Django answers one outside ``ALLOWED_HOSTS``, before a view could build a link from
    it, such as a reset link in a mail. A host seen before is answered from this worker's
    memory while the blog's page-cache token is unchanged: every write a reader could see
    (the blog's own settings included) replaces the token, so the copy in memory is never
    older than a cached page would be.
    """

    MAX_HOSTS = 1000

    def __init__(self, get_response):
        self.get_response = get_response
        self.known = {}  # host -> (token, blog)

    def __call__(self, request):
        host = request.META.get("HTTP_HOST", "")
        blog, request.page_token = self.blog_for(host)
        request.blog = blog
        if blog is None and not hosts.is_operator_host(host):
            # Not DisallowedHost: every scanner of the server's address would log a traceback.
            return HttpResponseBadRequest(
                _("No blog answers at this address."), content_type="text/plain; charset=utf-8"
            )
        if blog is None:
            return self.get_response(request)
        with translation.override(blog.language), timezone.override(blog.tzinfo):
            request.LANGUAGE_CODE = blog.language
            response = self.get_response(request)
            response.headers.setdefault("Content-Language", blog.language)
            return response

    def blog_for(self, host):
        known = self.known.get(host)
        if known is not None:
            token, blog = known
            if current_generation(blog.pk) == token:
                # Each request gets its own copy: a view may change it, threads share this one.
                return copy.copy(blog), token
        blog = Blog.objects.for_host(host)
        if blog is None:
            return None, None
        # Read before the view reads anything, so a page is never stored under a newer token
        # than the data it shows.
        token = token_for(blog)
        if len(self.known) >= self.MAX_HOSTS:
            self.known.clear()
        self.known[host] = (token, copy.copy(blog))
        return blog, token
