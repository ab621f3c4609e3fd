from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from warta.core.decorators import blog_required
from warta.pagecache.decorators import page_cached

from . import sitemaps

# Kept out of crawlers' way: search results (endless combinations of words), sign-in and
# account pages, and the desk (the writers' side, its shared draft previews included).
# Label pages are the blog's sections: their Allow comes first for the parsers that take the
# first matching line, and is the longest match for those that follow RFC 9309.
ROBOTS = [
    "User-agent: *",
    "Allow: /search/label/",
    "Disallow: /search",
    "Disallow: /desk/",
    "Disallow: /accounts/",
]


@page_cached
@require_safe
def robots_txt(request):
    lines = list(ROBOTS)
    if request.blog is not None:
        lines.append(f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}")
        lines.append(f"Sitemap: {request.build_absolute_uri(sitemaps.NewsSection.path)}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def xml_response(pieces):
    # Written piece by piece: the response holds the text once, never rows or objects.
    response = HttpResponse(content_type="application/xml")
    for piece in pieces:
        response.write(piece)
    return response


def base_url(request):
    return request.build_absolute_uri("/").rstrip("/")


def page_number(request):
    number = request.GET.get("page")
    if number is None:
        return None
    if not number.isascii() or not number.isdigit() or not 1 <= int(number) <= 100_000:
        raise Http404(_("There is no such sitemap."))
    return int(number)


def section_page(request, section_class, number):
    pieces = section_class(request.blog, base_url(request)).page(number)
    if pieces is None:
        raise Http404(_("There is no such sitemap."))
    return xml_response(pieces)


@page_cached
@require_safe
@blog_required
def sitemap_xml(request):
    """Blogger's addresses: ``/sitemap.xml`` the index, ``/sitemap.xml?page=N`` the posts."""
    number = page_number(request)
    if number is None:
        return xml_response(sitemaps.index(request.blog, base_url(request)))
    return section_page(request, sitemaps.PostSection, number)


@page_cached
@require_safe
@blog_required
def sitemap_pages(request):
    return section_page(request, sitemaps.PageSection, page_number(request) or 1)


@page_cached
@require_safe
@blog_required
def sitemap_labels(request):
    return section_page(request, sitemaps.LabelSection, page_number(request) or 1)


@page_cached
@require_safe
@blog_required
def sitemap_news(request):
    return section_page(request, sitemaps.NewsSection, 1)


@require_safe
def favicon(request):
    """Browsers and crawlers that ask ``/favicon.ico`` without reading the page's links: the
    blog's own icon when it has one, else the one Warta ships. Not permanent: it may change."""
    own = getattr(getattr(request, "blog", None), "favicon_url", "")
    return HttpResponseRedirect(own or static("warta/favicon.ico"))
