"""Blogger-compatible feeds: Atom by default, RSS with ``?alt=rss``, Blogger's JSON with
``?alt=json`` (and ``json-in-script``), JSON Feed 1.1 at ``/feed.json``, as Blogger answers,
with Blogger's query parameters (see ``query.FeedQuery``)."""

import io

from django.contrib.syndication.views import Feed
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.http import http_date
from django.utils.translation import gettext as _

from warta.comments.models import Comment
from warta.core.decorators import blog_required
from warta.pagecache.decorators import page_cached
from warta.posts.models import Label, Post
from warta.posts.reads import PublishedPosts

from . import blogger_json, jsonfeed
from .query import FeedQuery
from .xmlwriter import DocumentWriter

FEED_SIZE = 25
THREAD_NS = "http://purl.org/syndication/thread/1.0"


class BloggerDocument:
    """What Blogger's Atom and RSS share beyond Django's generators: the document written
    into one string (``DocumentWriter``; ``write_document`` is the generator's own ``write``
    on that handler) and a ``next`` link (``next_link_tag``) while older entries follow."""

    next_link_tag = "link"

    def write(self, outfile, encoding):
        handler = DocumentWriter()
        handler.startDocument()
        self.write_document(handler)
        outfile.write(handler.text())

    def write_document(self, handler):
        raise NotImplementedError

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed.get("next_url"):
            next_link = {"rel": "next", "href": self.feed["next_url"]}
            handler.addQuickElement(self.next_link_tag, "", next_link)


class BloggerAtomFeed(BloggerDocument, Atom1Feed):
    """Atom as Blogger writes it: the body in ``<content>`` (a summary feed's text in
    ``<summary>``, never the body), every author, the comment count (``thr:total``) and
    a ``next`` link while older entries follow."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:thr": THREAD_NS}

    def write_document(self, handler):
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")

    def add_item_elements(self, handler, item):
        handler.addQuickElement("title", item["title"])
        handler.addQuickElement("link", "", {"href": item["link"], "rel": "alternate"})
        if item["pubdate"] is not None:
            handler.addQuickElement("published", self.date(item["pubdate"]))
        if item["updateddate"] is not None:
            handler.addQuickElement("updated", self.date(item["updateddate"]))
        for name in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")
        handler.addQuickElement("id", item["unique_id"] or item["link"])
        if item["content"] is not None:
            handler.addQuickElement("content", item["content"], {"type": "html"})
        elif item["summary"] is not None:
            handler.addQuickElement("summary", item["summary"], {"type": "text"})
        for term in item["categories"]:
            handler.addQuickElement("category", "", {"term": term})
        if item["comment_count"] is not None:
            handler.addQuickElement("thr:total", str(item["comment_count"]))

    @staticmethod
    def date(moment):
        return moment.isoformat()


class BloggerRssFeed(BloggerDocument, Rss201rev2Feed):
    next_link_tag = "atom:link"

    def write_document(self, handler):
        self.add_stylesheets(handler)
        handler.startElement("rss", self.rss_attributes())
        handler.startElement("channel", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        self.endChannelElement(handler)
        handler.endElement("rss")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item["comment_count"] is not None:
            handler.addQuickElement(
                "thr:total", str(item["comment_count"]), {"xmlns:thr": THREAD_NS}
            )


class BlogFeed(Feed):
    """A feed of the request's blog. Instances hold per-request state: use ``as_view``.

    Hooks beyond Django's: ``item_authors`` (every byline), ``item_content_html`` (None in
    a summary feed), ``item_summary`` (plain text), ``item_comment_count``, ``item_entry_id``."""

    feed_type = BloggerAtomFeed
    formats = {"rss": BloggerRssFeed, "atom": BloggerAtomFeed}
    json_feed = False  # answer JSON Feed 1.1 instead of the Blogger formats

    @classmethod
    def as_view(cls, **attributes):
        @page_cached
        @blog_required
        def view(request, *args, **kwargs):
            return cls(**attributes)(request, *args, **kwargs)

        return view

    def __init__(self, **attributes):
        super().__init__()
        for name, value in attributes.items():
            setattr(self, name, value)

    def __call__(self, request, *args, **kwargs):
        self.blog = request.blog
        self.request = request
        # Django's Feed takes ``language`` as a plain attribute, not a per-object hook.
        self.language = request.blog.language
        self.query = FeedQuery.from_request(request, self.blog.tzinfo, default_results=FEED_SIZE)
        self.more = False
        if self.json_feed:
            response = jsonfeed.response(self, request, *args, **kwargs)
        else:
            alt = request.GET.get("alt")
            if alt in blogger_json.FORMATS:
                response = blogger_json.response(self, request, alt, *args, **kwargs)
            else:
                self.feed_type = self.formats.get(alt, self.feed_type)
                response = self.xml_response(request, *args, **kwargs)
        if self.past_the_end:
            # Served, as Blogger serves it, but not kept: any number past the end is one.
            patch_cache_control(response, no_store=True)
        return response

    def xml_response(self, request, *args, **kwargs):
        """Django's ``Feed.__call__``, the document written once: the generator's thousands
        of small writes to the response itself were a tenth of an uncached feed's time."""
        try:
            obj = self.get_object(request, *args, **kwargs)
        except ObjectDoesNotExist as error:
            raise Http404(_("There is no such feed.")) from error
        feed = self.get_feed(obj, request)
        document = io.StringIO()
        feed.write(document, "utf-8")
        response = HttpResponse(document.getvalue(), content_type=feed.content_type)
        response.headers["Last-Modified"] = http_date(feed.latest_post_date().timestamp())
        return response

    # The fields Blogger's ``published-*``, ``updated-*`` and ``orderby`` name.
    date_fields = {"published": "published_at", "updated": "updated_at"}
    past_the_end = False

    def entries(self, obj=None):
        """Every entry of the feed, in no order: ``items`` is this request's page of them."""
        raise NotImplementedError

    def entry_page(self, obj=None):
        """``(rows, more)``: this request's page of ``entries`` and whether more follow."""
        return self.query.window(self.entries(obj), self.date_fields)

    def items(self, obj=None):
        rows, self.more = self.entry_page(obj)
        self.past_the_end = not rows and self.query.start_index > 1
        return rows

    def total(self, obj=None):
        """How many entries the query finds, on every page (``openSearch:totalResults``)."""
        return self.query.filtered(self.entries(obj), self.date_fields).count()

    def feed_labels(self, obj=None):
        return []

    def page_url(self, start_index):
        """This feed's address at another ``start-index``, its other parameters kept."""
        query = self.request.GET.copy()
        query["start-index"] = str(start_index)
        query["max-results"] = str(self.query.max_results)
        return self.request.build_absolute_uri(f"{self.request.path}?{query.urlencode()}")

    def next_url(self):
        if not self.more:
            return None
        return self.page_url(self.query.start_index + self.query.max_results)

    def get_feed(self, obj, request):
        """Django's ``Feed.get_feed``, calling this class's hooks directly: its
        ``_get_dynamic_attr`` inspected every hook for every entry, a third of the time."""
        root = request.build_absolute_uri("/")[:-1]
        feed = self.feed_type(
            title=self.title(obj),
            subtitle=self.subtitle(obj),
            link=root + self.link(obj),
            description=self.description(obj),
            language=self.language,
            feed_url=root + request.path,
        )
        for item in self.items(obj):
            link = root + self.item_link(item)
            feed.add_item(
                title=self.item_title(item),
                link=link,
                description=self.item_description(item),
                unique_id=link,
                pubdate=self.item_pubdate(item),
                updateddate=self.item_updateddate(item),
                author_name=self.item_author_name(item),
                categories=self.item_categories(item),
                **self.item_extra_kwargs(item),
            )
        feed.feed["next_url"] = self.next_url()  # known once the items were read
        return feed

    def item_extra_kwargs(self, item):
        return {
            "authors": self.item_authors(item),
            "content": self.item_content_html(item),
            "summary": self.item_summary(item),
            "comment_count": self.item_comment_count(item),
        }

    def title(self, obj=None):
        return self.blog.title

    def subtitle(self, obj=None):
        return self.blog.tagline

    description = subtitle

    def link(self, obj=None):
        return "/"

    def item_authors(self, item):
        name = self.item_author_name(item)
        return [name] if name else []

    def item_summary(self, item):
        return None

    def item_categories(self, item):
        return ()

    def item_content_html(self, item):
        return self.item_description(item)

    def item_comment_count(self, item):
        return None

    def item_thumbnail(self, item):
        return None

    def item_avatar(self, item):
        return None

    def item_in_reply_to(self, item):
        return None

    def feed_id(self):
        """Blogger's ``tag:`` id of the blog; its entries' ids extend it."""
        if not hasattr(self, "_feed_id"):
            host = self.request.get_host()
            self._feed_id = f"tag:{host},{self.blog.created_at:%Y}:blog-{self.blog.pk}"
        return self._feed_id

    def item_entry_id(self, item):
        return self.feed_id()

    def item_image(self, item):
        return None


class PostsFeed(BlogFeed):
    summary_only = False  # /feeds/posts/summary: each post's summary, whatever the blog says

    def get_object(self, request, label=None):
        if label is None:
            return None
        return get_object_or_404(Label, blog=self.blog, name=label)

    @property
    def gives_summaries(self):
        return self.summary_only or self.blog.feed_content == self.blog.FeedContent.SUMMARY

    def title(self, obj=None):
        return f"{self.blog.title}: {obj.name}" if obj else self.blog.title

    def entries(self, obj=None):
        """What ``openSearch:totalResults`` counts; ``entry_page`` reads the page itself."""
        posts = Post.objects.for_blog(self.blog).published()
        if obj is not None:
            posts = posts.filter(labels=obj)
        return posts

    def entry_page(self, obj=None):
        """This request's page of posts, with their authors, images and labels, in one
        hand-written query (``PublishedPosts``): through the ORM, compiling and building the
        entries was most of an uncached feed's time."""
        posts = PublishedPosts(
            self.blog,
            label=obj,
            bounds=self.query.field_bounds(self.date_fields),
            order=self.query.ordering(self.date_fields),
            with_body=not self.gives_summaries,
            with_author=True,
            with_labels=True,
        )
        return self.query.paged(posts.page)

    def items(self, obj=None):
        posts = super().items(obj)
        for post in posts:
            post.label_names = [label.name for label in post.reader_labels]
        return posts

    def feed_labels(self, obj=None):
        return list(Label.objects.filter(blog=self.blog).values_list("name", flat=True))

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        """RSS's one field: the body in a full feed, the summary (as HTML) in a summary one."""
        return escape(item.summary) if self.gives_summaries else item.body_html

    def item_content_html(self, item):
        return None if self.gives_summaries else item.body_html

    def item_summary(self, item):
        return item.summary

    def item_link(self, item):
        return item.path

    def item_author_name(self, item):
        return ", ".join(self.item_authors(item)) or None

    def item_authors(self, item):
        if item.byline_names:
            return list(item.byline_names)
        return [item.author.name] if item.author else []

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return item.label_names

    def item_comment_count(self, item):
        return item.comment_count

    def item_thumbnail(self, item):
        return item.lead_image.thumbnail_url if item.lead_image else None

    def item_avatar(self, item):
        return item.author.avatar_url if item.author else None

    def item_entry_id(self, item):
        return f"{self.feed_id()}.post-{item.legacy_id or item.pk}"

    def item_image(self, item):
        return item.lead_image.url if item.lead_image else None


class CommentsFeed(BlogFeed):
    def get_object(self, request, post_id=None):
        if post_id is None:
            return None
        posts = Post.objects.for_blog(self.blog).published()
        post = posts.filter(legacy_id=post_id).first()
        if post is None and post_id.isdigit():
            post = posts.filter(pk=post_id).first()
        if post is None:
            raise Http404(_("There is no such post."))
        return post

    def title(self, obj=None):
        if obj is not None:
            return _("Comments on “%(title)s”") % {"title": obj.title}
        return _("Comments on %(blog)s") % {"blog": self.blog.title}

    date_fields = {"published": "created_at", "updated": "updated_at"}

    def entries(self, obj=None):
        # The posts' own rule, so a post dated in the future keeps its comments to itself too.
        live_posts = Post.objects.for_blog(self.blog).published()
        comments = Comment.objects.approved().filter(blog=self.blog, post__in=live_posts)
        if obj is not None:
            comments = comments.filter(post=obj)
        return comments.select_related("post", "user")

    def item_in_reply_to(self, item):
        return item.post

    def item_title(self, item):
        return _("%(name)s on “%(title)s”") % {"name": item.display_name, "title": item.post.title}

    def item_description(self, item):
        return item.body_html

    def item_link(self, item):
        return item.get_absolute_url()

    def item_author_name(self, item):
        return item.display_name

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_entry_id(self, item):
        return f"{self.feed_id()}.post-{item.post_id}.comment-{item.pk}"
