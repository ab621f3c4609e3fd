"""Public pages of a blog. Each one stays within a fixed number of SQL queries, whatever
the size of the blog (see tests/test_query_budget.py). The article and the lists, read on
every uncached visit, go through hand-written SQL (posts/reads.py); the rest through
QuerySets."""

import datetime

from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from warta.comments.section import comment_section
from warta.core.decorators import blog_required
from warta.pagecache.decorators import page_cached
from warta.posts.models import Page, Post, Redirect
from warta.posts.reads import PublishedPosts, label_named, published_article
from warta.search.query import search as search_blog

from .article import article_json_ld
from .heads import publisher_urls, share_image
from .lists import LIST_PARAMS, BloggerList
from .reading import blog_reading
from .share import share_links


def published_posts(blog):
    return Post.objects.for_blog(blog).published().for_list()


class PostsPage:
    """One page of a list, read as ``per_page + 1`` rows: the extra row says whether an older
    page exists. Blogger's "Older posts" needs no total, and counting every post of a big
    blog was most of a home page's time (123 ms of 140 at a million posts)."""

    def __init__(self, queryset, *, number: int, per_page: int):
        start = (number - 1) * per_page
        rows = list(queryset[start : start + per_page + 1])
        self.number = number
        self.object_list = rows[:per_page]
        self.has_next = len(rows) > per_page
        self.has_previous = number > 1
        self.next_page_number = number + 1
        self.previous_page_number = number - 1

    def has_other_pages(self):
        return self.has_next or self.has_previous


def paginate(request, queryset, per_page):
    number = request.GET.get("page") or "1"
    if not number.isdigit() or int(number) < 1 or int(number) > 100_000:
        raise Http404(_("There is no such page of posts."))
    page = PostsPage(queryset, number=int(number), per_page=per_page)
    if not page.object_list and page.number > 1:
        raise Http404(_("There is no such page of posts."))
    return page


def blogger_list(request, posts, *, base, first=None, home=False, **context):
    """A list paged as Blogger pages it (see lists.py), rendered as ``post_list`` renders."""
    page = BloggerList(request, posts, base=base, first=first, home=home).page()
    return render_list(request, page, **context)


def render_list(request, page, *, heading="", template="reader/list.html", **context):
    return render(
        request, template, {"page": page, "posts": page.object_list, "heading": heading, **context}
    )


def post_list(request, queryset, *, heading="", template="reader/list.html", **context):
    page = paginate(request, queryset, request.blog.posts_per_page)
    return render(
        request, template, {"page": page, "posts": page.object_list, "heading": heading, **context}
    )


@page_cached
@require_safe
@blog_required
def home(request):
    if request.GET.keys() - {"page", "m", "max-results"} and blog_reading(request).query_redirects:
        # WordPress permalinks such as /?p=123 land on the home page's path.
        if redirect := find_redirect(request):
            return redirect
    posts = PublishedPosts(request.blog, order=("-is_sticky", "-published_at", "-pk"))
    return blogger_list(
        request, posts, base="/search", first="/", home=True, template="reader/home.html"
    )


@page_cached
@require_safe
@blog_required
def post(request, year, month, slug):
    post = published_article(request.blog, f"/{year}/{month}/{slug}.html")
    if post is None or not post.is_published:
        raise Http404(_("There is no such post."))
    blog = request.blog
    canonical_url = request.build_absolute_uri(post.path)
    # The share preview and JSON-LD name the 1200 x 630 rendition when there is one.
    share_url, share_width, share_height = post.lead_image.share if post.lead_image else ("",) * 3
    lead_image_url = request.build_absolute_uri(share_url) if share_url else ""
    return render(
        request,
        "reader/post.html",
        {
            "post": post,
            "labels": post.reader_labels,
            "share": share_links(canonical_url, post.title),
            "canonical_url": canonical_url,
            "lead_image_url": lead_image_url,
            "lead_image_width": share_width,
            "lead_image_height": share_height,
            "json_ld": article_json_ld(
                post,
                blog,
                canonical_url,
                lead_image_url or share_image(request, blog),
                **publisher_urls(request, post),
            ),
            "comments": comment_section(request, post, blog),
        },
    )


@page_cached
@require_safe
@blog_required
def page(request, slug):
    page = get_object_or_404(
        Page.objects.for_blog(request.blog).published().select_related("author"),
        path=f"/p/{slug}.html",
    )
    return render(
        request,
        "reader/page.html",
        {
            "page_entry": page,
            "canonical_url": request.build_absolute_uri(page.path),
        },
    )


@page_cached
@require_safe
@blog_required
def label(request, name):
    label = label_named(request.blog, name)
    if label is None:
        raise Http404(_("There is no such label."))
    posts = PublishedPosts(request.blog, label=label)
    return blogger_list(
        request,
        posts,
        base=label.get_absolute_url(),
        heading=_("Posts labelled “%(label)s”") % {"label": label.name},
        label=label,
    )


@page_cached
@require_safe
@blog_required
def search(request):
    if "q" not in request.GET and any(name in request.GET for name in LIST_PARAMS):
        # Blogger's "Older posts" of the home page: /search?updated-max=…&max-results=7.
        return blogger_list(
            request, PublishedPosts(request.blog), base="/search", first="/", heading=_("Posts")
        )
    query = request.GET.get("q", "").strip()[:200]
    number = request.GET.get("page") or "1"
    if not number.isdigit() or not 1 <= int(number) <= 100_000:
        raise Http404(_("There is no such page of results."))
    results = None
    if query:
        per_page = request.blog.posts_per_page
        results = search_blog(request.blog, query, number=int(number), per_page=per_page)
        if not results.hits and results.number > 1:
            raise Http404(_("There is no such page of results."))
    heading = _("Search results for “%(query)s”") % {"query": query} if query else _("Search")
    return render(
        request, "reader/search.html", {"results": results, "query": query, "heading": heading}
    )


@page_cached
@require_safe
@blog_required
def archive(request, year, month=None):
    year = int(year)
    tz = request.blog.tzinfo
    try:
        if month:
            month = int(month)
            start = datetime.datetime(year, month, 1, tzinfo=tz)
            end = datetime.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
        else:
            start = datetime.datetime(year, 1, 1, tzinfo=tz)
            end = datetime.datetime(year + 1, 1, 1, tzinfo=tz)
    except ValueError as error:
        raise Http404(_("There is no such archive.")) from error
    posts = PublishedPosts(
        request.blog, bounds=[("published_at", "gte", start), ("published_at", "lt", end)]
    )
    page = BloggerList(request, posts, base=request.path).page()
    if not page.object_list:
        # An empty month or year is no page: answered 200, every such address would fill
        # the page cache.
        raise Http404(_("There is no such archive."))
    return render_list(
        request, page, heading=_("Archive"), archive_start=start, archive_month=month
    )


@page_cached
@require_safe
@blog_required
def author(request, pk):
    """A writer's page. Only people who published on this blog have one here: a reader's
    account on another blog is nobody's business on this one."""
    person = get_object_or_404(get_user_model(), pk=pk)
    posts = published_posts(request.blog).filter(author=person)
    if not posts.exists():
        raise Http404(_("There is no such author on this blog."))
    return post_list(
        request, posts, heading=person.name, person=person, template="reader/author.html"
    )


def find_redirect(request):
    new_path = (
        Redirect.objects.filter(
            blog=request.blog, old_path__in={request.get_full_path(), request.path}
        )
        .values_list("new_path", flat=True)
        .first()
    )
    return HttpResponsePermanentRedirect(new_path) if new_path else None


def page_not_found(request, exception=None):
    blog = getattr(request, "blog", None)
    if blog is not None and (redirect := find_redirect(request)):
        return redirect
    recent = published_posts(blog)[:5] if blog is not None else []
    return render(request, "404.html", {"recent_posts": recent, "now": timezone.now()}, status=404)


def server_error(request):
    return render(request, "500.html", status=500)
