"""Lists of posts paged as Blogger pages them, so imported themes, bookmarks and widgets
keep working: ``/search?updated-max=2016-12-08T10:30:00-08:00&max-results=7`` ("Older posts"),
``/search/label/X?max-results=20``, and Blogger's newer form with ``start=N&by-date=false``.

- ``max-results``: posts on the page (the blog's own number when absent);
- ``start`` with ``by-date=false``, or the older ``?page=N``: the page after that many posts;
- ``updated-max``: the posts published before that moment (Blogger names the publication
  date so), newest first;
- ``updated-min`` with ``reverse-paginate=true``: the posts just after that moment, as
  Blogger's "Newer posts" link of a page reached by date asks.

The links Warta writes carry both ``updated-max`` and ``start``, as Blogger's do: ``start``
is exact even when posts share a moment, and ``updated-max`` keeps older readers right."""

from urllib.parse import urlencode

from django.http import Http404
from django.utils.translation import gettext as _

from warta.core import timestamps
from warta.pagecache.keys import MAX_PAGE, MAX_RESULTS, MAX_START

# What Blogger's list addresses may carry; any of them on /search (without q) makes a list.
LIST_PARAMS = ("updated-max", "updated-min", "max-results", "start", "by-date", "reverse-paginate")
NEWEST_FIRST = ("-published_at", "-pk")


def whole_number(value, *, low, high):
    value = (value or "").strip()
    if value.isascii() and value.isdigit():
        return min(max(int(value), low), high)
    return None


class ListPage:
    """One page of a list and its Older/Newer addresses, read in one query of
    ``size + 1`` rows: the extra row says whether an older page exists."""

    def __init__(self, posts, *, size, older_url=None, newer_url=None, number=None):
        self.object_list = posts
        self.size = size
        self.older_url = older_url
        self.newer_url = newer_url
        self.number = number  # None when the page was reached by date: its place is unknown

    # The names Django's Page gives, which the templates of other lists use.
    @property
    def has_next(self):
        return self.older_url is not None

    @property
    def has_previous(self):
        return self.newer_url is not None

    def has_other_pages(self):
        return self.has_next or self.has_previous


class BloggerList:
    """Pages ``posts`` (a ``PublishedPosts``, in its own order for the first page and by
    position) for ``request``. ``base`` is the address its Older links take (``/search`` for
    the home page, as on Blogger), ``first`` the list's first page (``/`` for the home)."""

    def __init__(self, request, posts, *, base, first=None, home=False):
        self.request = request
        self.posts = posts
        self.base = base
        self.home = home
        self.by_position_only = False
        self.first = first or base
        self.default_size = request.blog.posts_per_page
        self.tz = request.blog.tzinfo

    def page(self):
        """The page the request asks for. The home page reads only ``page`` and
        ``max-results``: Blogger's other parameters go to ``/search``."""
        query = self.request.GET
        self.size = (
            whole_number(query.get("max-results"), low=0, high=MAX_RESULTS) or self.default_size
        )
        if self.home:
            return self.by_position(self.page_start(query))
        for name in LIST_PARAMS:  # each is honoured, or deliberately ignored (see below)
            query.get(name)
        if "start" in query and query.get("by-date") == "false":
            start = whole_number(query.get("start"), low=0, high=MAX_START)
            if start is not None:
                return self.by_position(start)
        if "updated-max" in query:
            moment = timestamps.parse(query["updated-max"], self.tz)
            if moment is None:
                raise Http404(_("There is no such page of posts."))
            return self.before(moment)
        if "updated-min" in query and query.get("reverse-paginate") == "true":
            moment = timestamps.parse(query["updated-min"], self.tz)
            if moment is None:
                raise Http404(_("There is no such page of posts."))
            return self.after(moment)
        return self.by_position(self.page_start(query))

    def page_start(self, query):
        number = query.get("page") or "1"
        if not number.isdigit() or not 1 <= int(number) <= MAX_PAGE:
            raise Http404(_("There is no such page of posts."))
        return (int(number) - 1) * self.size

    # ------------------------------------------------------------ three ways in

    def by_position(self, start):
        rows = self.posts.page(start, self.size + 1)
        posts = rows[: self.size]
        if not posts and start:
            raise Http404(_("There is no such page of posts."))
        if self.home:
            # Pinned posts come first, out of date order: /search, by date, would show them
            # again, so a home page with any keeps to its own ``?page=N``.
            self.by_position_only = start > 0 or bool(posts and posts[0].is_sticky)
        older = self.older_by_position(posts, start) if len(rows) > self.size else None
        newer = self.newer_by_position(start) if start else None
        number = start // self.size + 1 if start % self.size == 0 else None
        return ListPage(posts, size=self.size, older_url=older, newer_url=newer, number=number)

    def before(self, moment):
        rows = (
            self.posts.where("published_at", "lt", moment)
            .ordered(*NEWEST_FIRST)
            .page(0, self.size + 1)
        )
        posts = rows[: self.size]
        if not posts:
            raise Http404(_("There is no such page of posts."))
        older = self.older_by_date(posts) if len(rows) > self.size else None
        return ListPage(posts, size=self.size, older_url=older, newer_url=self.newer_by_date(posts))

    def after(self, moment):
        rows = (
            self.posts.where("published_at", "gt", moment)
            .ordered("published_at", "pk")
            .page(0, self.size + 1)
        )
        posts = rows[: self.size][::-1]
        if not posts:
            raise Http404(_("There is no such page of posts."))
        # The newest posts may fill less than a page: shown as they are, so none repeats.
        newer = self.newer_by_date(posts) if len(rows) > self.size else None
        return ListPage(posts, size=self.size, older_url=self.older_by_date(posts), newer_url=newer)

    # ------------------------------------------------------------ links

    def url(self, base, params):
        """``base`` with ``params`` in Blogger's order: the moment, ``max-results`` (which
        Blogger's links always name), then the rest."""
        items = list(params.items())
        if items or self.size != self.default_size:
            at = 1 if items and items[0][0] in ("updated-max", "updated-min", "page") else 0
            items.insert(at, ("max-results", self.size))
        return f"{base}?{urlencode(items)}" if items else base

    def stamp(self, post):
        return timestamps.write(post.published_at, self.tz)

    def older_by_position(self, posts, start):
        if self.by_position_only:
            return self.url(self.first, {"page": start // self.size + 2})
        after = start + len(posts)
        return self.url(
            self.base,
            {"updated-max": self.stamp(posts[-1]), "start": after, "by-date": "false"},
        )

    def newer_by_position(self, start):
        before = max(start - self.size, 0)
        if not before:
            return self.url(self.first, {})
        if self.by_position_only:
            return self.url(self.first, {"page": before // self.size + 1})
        return self.url(self.base, {"start": before, "by-date": "false"})

    def older_by_date(self, posts):
        return self.url(self.base, {"updated-max": self.stamp(posts[-1])})

    def newer_by_date(self, posts):
        return self.url(
            self.base, {"updated-min": self.stamp(posts[0]), "reverse-paginate": "true"}
        )
