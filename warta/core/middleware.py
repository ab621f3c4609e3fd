from django.utils import timezone, translation

from warta.blogs.models import Blog
from warta.core import pagecache


class BlogMiddleware:
    """Resolve the Host header to ``request.blog`` once, and speak that blog's language.

    Custom domains, subdomains of ``WARTA_DOMAIN`` and the bare domain (the default blog)
    are all looked up here, so no view ever parses the host again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.blog = blog = Blog.objects.for_host(request.META.get("HTTP_HOST", ""))
        if blog is None:
            return self.get_response(request)
        # Read before the view reads anything, so a page is never stored under a newer token
        # than the data it shows.
        request.page_token = pagecache.token_for(blog)
        with translation.override(blog.language), timezone.override(blog.tzinfo):
            request.LANGUAGE_CODE = blog.language
            response = self.get_response(request)
            response.headers.setdefault("Content-Language", blog.language)
            return response
