"""Blogger-compatible feeds: Atom by default, RSS with ``?alt=rss``, as Blogger answers."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from warta.comments.models import Comment
from warta.core.decorators import blog_required
from warta.pagecache.decorators import page_cached
from warta.posts.models import Label, Post

FEED_SIZE = 25


class BlogFeed(Feed):
    """A feed of the request's blog. Instances hold per-request state: use ``as_view``."""

    feed_type = Atom1Feed

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
        # Django's Feed takes ``language`` as a plain attribute, not a per-object hook.
        self.language = request.blog.language
        if request.GET.get("alt") == "rss":
            self.feed_type = Rss201rev2Feed
        return super().__call__(request, *args, **kwargs)

    def title(self, obj=None):
        return self.blog.title

    def subtitle(self, obj=None):
        return self.blog.tagline

    description = subtitle

    def link(self, obj=None):
        return "/"


class PostsFeed(BlogFeed):
    def get_object(self, request, label=None):
        if label is None:
            return None
        return get_object_or_404(Label, blog=self.blog, name=label)

    def title(self, obj=None):
        return f"{self.blog.title}: {obj.name}" if obj else self.blog.title

    def items(self, obj=None):
        posts = Post.objects.for_blog(self.blog).published().select_related("author")
        if obj is not None:
            posts = posts.filter(labels=obj)
        return posts.prefetch_related("labels")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.body_html

    def item_link(self, item):
        return item.path

    def item_author_name(self, item):
        return item.author.name if item.author else None

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [label.name for label in item.labels.all()]


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

    def items(self, obj=None):
        # The posts' own rule, so a post dated in the future keeps its comments to itself too.
        live_posts = Post.objects.for_blog(self.blog).published()
        comments = Comment.objects.approved().filter(blog=self.blog, post__in=live_posts)
        if obj is not None:
            comments = comments.filter(post=obj)
        return comments.select_related("post", "user").order_by("-created_at")[:FEED_SIZE]

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
