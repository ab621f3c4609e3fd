from django.http import Http404, HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /search", "Allow: /search/label/", "Disallow: /accounts/"]
    if request.blog is not None:
        lines.append(f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_safe
def sitemap_xml(request):
    from django.shortcuts import render

    from warta.posts.models import Page, Post

    if request.blog is None:
        raise Http404
    posts = Post.objects.for_blog(request.blog).published().only("path", "updated_at")[:50000]
    pages = Page.objects.for_blog(request.blog).published().only("path", "updated_at")
    return render(
        request,
        "syndication/sitemap.xml",
        {"entries": [*posts, *pages], "base": request.build_absolute_uri("/").rstrip("/")},
        content_type="application/xml",
    )
