from django.http import HttpResponse
from django.views.decorators.http import require_safe

from warta.core.decorators import blog_required
from warta.pagecache.decorators import page_cached


@page_cached
@require_safe
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /search", "Allow: /search/label/", "Disallow: /accounts/"]
    if request.blog is not None:
        lines.append(f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@page_cached
@require_safe
@blog_required
def sitemap_xml(request):
    from django.shortcuts import render

    from warta.posts.models import Page, Post

    posts = Post.objects.for_blog(request.blog).published().only("path", "updated_at")[:50000]
    pages = Page.objects.for_blog(request.blog).published().only("path", "updated_at")
    return render(
        request,
        "syndication/sitemap.xml",
        {"entries": [*posts, *pages], "base": request.build_absolute_uri("/").rstrip("/")},
        content_type="application/xml",
    )
