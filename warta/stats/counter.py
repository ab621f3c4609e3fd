"""Views counted in a worker's memory on the hit path, written to the database in batches.

``count_view`` is what ``settings.WARTA_VIEW_COUNTER`` names for the page cache
(``pagecache.counting``): it is called for every answer of a reader's page, cached or not,
and only adds one to a dict entry keyed by (blog, path, hour, referring domain, phone?).
Under ``warta serve`` a thread of each worker (started by the gateway's
``worker_starting``) writes what has gathered every ``WARTA_STATS_FLUSH_SECONDS``, sooner
once ``WARTA_STATS_FLUSH_VIEWS`` views wait, and the worker writes the rest when it stops
(``worker_stopping``, else at exit). Without that thread (another WSGI server, tests) the
request that brings the waiting views to ``WARTA_STATS_FLUSH_VIEWS`` writes them. The request's User-Agent and Referer are reduced to a kind and a domain here and
go no further; there is no address, cookie or visit anywhere.
"""

import atexit
import datetime
import logging
import os
import threading
import time
import zoneinfo

from django.conf import settings
from django.core.signals import setting_changed
from django.db import close_old_connections, transaction

from .agents import BOT, PHONE, kind_of
from .referrers import referrer_of

logger = logging.getLogger(__name__)

PREFETCHES = ("prefetch", "prerender", "preview")
MAX_PATH = 500
# Distinct (blog, path, hour, referrer, phone) entries a worker gathers between two writes;
# past it, views are still counted but their referrers (which clients choose) are not.
MAX_PENDING = 50_000
OTHER = "(other)"


class ViewCounter:
    def __init__(self):
        self.pending = {}
        self.waiting = 0  # views in ``pending``
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.thread = None
        self.flush_lock = threading.Lock()
        self.flush_views = None  # settings.WARTA_STATS_FLUSH_VIEWS, read once

    def count(self, blog_id, host, path, method, referer, user_agent, purpose):
        if method != "GET" or (purpose and any(word in purpose.lower() for word in PREFETCHES)):
            return
        kind = kind_of(user_agent)
        if kind is BOT:
            return
        key = (blog_id, path, int(time.time()) // 3600, referrer_of(referer, host), kind is PHONE)
        with self.lock:
            pending = self.pending
            if key in pending:
                pending[key] += 1
            elif len(pending) < MAX_PENDING:
                pending[key] = 1
            else:
                key = (*key[:3], OTHER, key[4])
                pending[key] = pending.get(key, 0) + 1
            self.waiting += 1
            waiting = self.waiting
        if waiting >= (self.flush_views or self.read_flush_views()):
            if self.thread is not None:
                self.wake.set()
            else:
                flush_at_exit()

    def read_flush_views(self, **kwargs):
        self.flush_views = settings.WARTA_STATS_FLUSH_VIEWS
        return self.flush_views

    def start(self):
        with self.lock:
            if self.thread is not None:
                return
            self.thread = threading.Thread(target=self.run, name="warta-stats", daemon=True)
        self.thread.start()

    def run(self):
        while True:
            self.wake.wait(settings.WARTA_STATS_FLUSH_SECONDS)
            self.wake.clear()
            try:
                self.flush()
            except Exception:
                logger.exception("Page views could not be written; they are kept for later")
            finally:
                close_old_connections()

    def take(self):
        with self.lock:
            pending, self.pending, self.waiting = self.pending, {}, 0
        return pending

    def give_back(self, pending):
        with self.lock:
            for key, views in pending.items():
                self.pending[key] = self.pending.get(key, 0) + views
                self.waiting += views

    def flush(self):
        """Write every view counted so far; on failure they wait for the next flush."""
        with self.flush_lock:
            pending = self.take()
            if not pending:
                return 0
            try:
                write(pending)
            except Exception:
                self.give_back(pending)
                raise
            return sum(pending.values())

    def after_fork(self):
        """A forked child starts empty: the parent's views are the parent's to write."""
        self.__init__()


def write(pending):
    """Counts keyed by hour (UTC) added to their rows keyed by the blog's own day."""
    from warta.blogs.models import Blog
    from warta.posts.models import Post

    from .sql import add_views

    blog_ids = {key[0] for key in pending}
    zones = dict(Blog.objects.filter(pk__in=blog_ids).values_list("pk", "time_zone"))
    days = {}
    for (blog_id, raw_path, hour, referrer, phone), views in pending.items():
        if blog_id not in zones:
            continue  # the blog is gone
        path = raw_path.encode("latin-1", "replace").decode("utf-8", "replace")[:MAX_PATH]
        day = local_day(hour, zones[blog_id])
        key = (blog_id, path, day, referrer, phone)
        days[key] = days.get(key, 0) + views
    posts = {}
    for blog_id in blog_ids & zones.keys():
        paths = {key[1] for key in days if key[0] == blog_id}
        found = Post.objects.filter(blog_id=blog_id, path__in=paths).values_list("path", "pk")
        posts.update({(blog_id, path): pk for path, pk in found})
    rows = [
        (blog_id, posts.get((blog_id, path)), path, day, referrer, phone, views)
        for (blog_id, path, day, referrer, phone), views in sorted(days.items(), key=str)
    ]
    with transaction.atomic():
        add_views(rows)


def local_day(hour, time_zone):
    moment = datetime.datetime.fromtimestamp(hour * 3600, datetime.UTC)
    try:
        return moment.astimezone(zoneinfo.ZoneInfo(time_zone)).date()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return moment.date()


counter = ViewCounter()
count_view = counter.count
flush = counter.flush
os.register_at_fork(after_in_child=counter.after_fork)


def forget_settings(*, setting, **kwargs):
    if setting == "WARTA_STATS_FLUSH_VIEWS":
        counter.flush_views = None


setting_changed.connect(forget_settings, dispatch_uid="warta.stats.counter")


def start_writer(**kwargs):
    counter.start()


def flush_at_exit(**kwargs):
    try:
        flush()
    except Exception:
        logger.exception("Page views could not be written as the worker stopped")


atexit.register(flush_at_exit)
