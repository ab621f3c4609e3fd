"""What every public page says about itself in its head: its canonical address, the share
preview (Open Graph and Twitter), its language and, on the home page, the blog as JSON-LD.
Reader templates reach these as globals (see apps.py)."""

from django.templatetags.static import static

from .article import blog_json_ld

# Open Graph names a locale as language_TERRITORY; a blog names its language only.
OG_LOCALES = {"id": "id_ID", "en": "en_US"}
DEFAULT_SHARE_IMAGE = "warta/share.png"  # 1200 x 630, Open Graph's recommended size
SHARE_IMAGE_SIZE = (1200, 630)
LOGO = "warta/logo.png"


def og_locale(language: str) -> str:
    return OG_LOCALES.get(language, language)


def absolute(request, url: str) -> str:
    return request.build_absolute_uri(url)


def share_image(request, blog) -> str:
    """The picture a share shows when the page has none of its own: the blog's own when it
    has one (issue 13's settings), else the one Warta ships."""
    return absolute(request, getattr(blog, "share_image_url", "") or static(DEFAULT_SHARE_IMAGE))


def logo_url(request, blog) -> str:
    return absolute(request, getattr(blog, "logo_url", "") or static(LOGO))


def list_canonical(request, page) -> str:
    """A list's own address: its first page without a query, a later one as ``?page=N``
    (the spelling every list reads); a page reached by date (Blogger's ``updated-max``),
    whose place is not a number, as it was asked for."""
    url = absolute(request, request.path)
    number = getattr(page, "number", None)
    if number == 1:
        return url
    if number:
        return f"{url}?page={number}"
    return absolute(request, request.get_full_path())


def publisher_urls(request, post=None) -> dict:
    """The addresses an article's JSON-LD names besides its own."""
    urls = {"blog_url": absolute(request, "/"), "logo_url": logo_url(request, request.blog)}
    if post is not None and post.author:
        urls["author_url"] = absolute(request, post.author.get_absolute_url())
    return urls


def home_json_ld(request):
    return blog_json_ld(
        request.blog,
        blog_url=absolute(request, "/"),
        logo_url=logo_url(request, request.blog),
        search_url=absolute(request, "/search"),
    )
