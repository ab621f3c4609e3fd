"""``/theme.css?v=…``: the blog's own stylesheet (accent colour, custom CSS) as a file, so
the Content-Security-Policy allows styles from 'self' alone and no page carries inline style.

Its address holds the version of what it says (``Blog.style_version``), so the current
version is cached for good (``immutable``); an old address still answers, briefly cached,
with what the blog says now.
"""

from django.http import HttpResponse, HttpResponseNotModified
from django.views.decorators.http import require_safe

from warta.blogs import stylesheets
from warta.core.decorators import blog_required

FOR_GOOD = "public, max-age=31536000, immutable"
BRIEFLY = "public, max-age=300"


@require_safe
@blog_required
def blog_stylesheet(request):
    blog = request.blog
    etag = f'"{blog.style_version}"'
    current = request.GET.get("v") == blog.style_version
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(stylesheets.build(blog), content_type="text/css; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = FOR_GOOD if current else BRIEFLY
    return response
