"""Django's file and Redis caches, made fit for what Warta keeps in them.

Both backends add ``count_in_window(key, window)``, the atomic counter that rate limits
(``core/ratelimit.py``) need: one more attempt, counted by every process at once, in a
window that ends ``window`` seconds after its first attempt however often it is counted.

``FileCache`` (one machine): ``add``, ``incr`` and the counter are atomic across processes
(Django's ``add`` is a check, then a write, and its ``incr`` a read, then a write that resets
the expiry to 300 s: concurrent comments slipped past a 5-a-minute limit, and allauth's lock
was no lock once a full folder made each write slow); ``set`` looks at the folder's size
every ``cull_every`` writes instead of listing every file on each one (21-58 ms at 13-20k
entries); and a cull removes the entries written longest ago, not a random third, so the
rate limits' counters, written at each attempt, outlive old pages.

``RedisCache`` (many processes; in ``core/rediscache.py``, so that a process on the file
cache never imports the redis client, about 8 MB of modules): a server that is down, unreachable or out of memory costs
a cache miss, not a 500. Calls fail within a short socket timeout, then skip the server for
``BACKOFF`` seconds, logging one warning per outage; writes lost meanwhile are deleted
once it answers again, so a session signed out during the outage cannot come back.
"""

import itertools
import logging
import os
import pickle
import random
import re
import tempfile
import time
import zlib
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks

logger = logging.getLogger(__name__)

_MISSING = object()
# The backend's own entries (md5 of the key); other files in the folder, such as the page
# cache's generation tokens (warta/pagecache/tokens.py), are not culled.
ENTRY_NAME = re.compile(r"[0-9a-f]{32}\.djcache")


class FileCache(FileBasedCache):
    """The file cache, safe for several processes and bounded without listing its folder on
    every write. ``OPTIONS``: Django's ``MAX_ENTRIES`` and ``CULL_FREQUENCY``, and
    ``CULL_EVERY`` (writes between two looks at the folder's size; default a hundredth of
    ``MAX_ENTRIES``, at most 1,000). The folder holds at most ``MAX_ENTRIES`` plus the writes
    made between two looks."""

    LOCK_STRIPES = 16
    # Shared by the process's threads (Django gives each thread its own backend instance);
    # starting at random keeps the processes of one machine from listing at the same time.
    _writes = itertools.count(random.randrange(1_000_000))

    def __init__(self, dir, params):
        super().__init__(dir, params)
        options = params.get("OPTIONS", {})
        default_every = min(1000, max(1, self._max_entries // 100))
        self.cull_every = max(1, int(options.get("CULL_EVERY", default_every)))

    def _cull(self):
        if next(self._writes) % self.cull_every == 0:
            self._cull_oldest()

    def _cull_oldest(self):
        entries = []
        with os.scandir(self._dir) as listing:
            for entry in listing:
                if ENTRY_NAME.fullmatch(entry.name):
                    try:
                        entries.append((entry.stat().st_mtime, entry.path))
                    except FileNotFoundError:
                        pass
        if len(entries) < self._max_entries:
            return
        if self._cull_frequency == 0:
            self.clear()
            return
        entries.sort()
        for _, path in entries[: len(entries) // self._cull_frequency]:
            self._delete(path)

    # ------------------------------------------------------------ atomic operations

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        fname = self._key_to_file(key, version)
        with self._locked(fname):
            if self._read(fname)[1] is not _MISSING:
                return False
            self._cull()  # a new entry, as in set()
            self._write(fname, self.get_backend_timeout(timeout), value)
            return True

    def incr(self, key, delta=1, version=None):
        """Atomic across processes, and the entry keeps its expiry."""
        fname = self._key_to_file(key, version)
        with self._locked(fname):
            expiry, value = self._read(fname)
            if value is _MISSING:
                raise ValueError(f"Key '{key}' not found")
            value += delta
            self._write(fname, expiry, value)
            return value

    def count_in_window(self, key, window, version=None):
        """One more in the counter ``key``, which starts at 1 and expires ``window`` seconds
        after its first count; the new count."""
        fname = self._key_to_file(key, version)
        with self._locked(fname):
            expiry, value = self._read(fname)
            if value is _MISSING:
                self._cull()
                expiry, value = time.time() + window, 0
            value += 1
            self._write(fname, expiry, value)
            return value

    @contextmanager
    def _locked(self, fname):
        """An exclusive lock shared by every process, one of ``LOCK_STRIPES`` chosen by the
        entry's name; the lock files end in ``.lock``, so they are never culled or cleared."""
        stripe = int(os.path.basename(fname)[:4], 16) % self.LOCK_STRIPES
        self._createdir()
        with open(os.path.join(self._dir, f"stripe-{stripe}.lock"), "ab") as lock_file:
            locks.lock(lock_file, locks.LOCK_EX)
            try:
                yield
            finally:
                locks.unlock(lock_file)

    def _read(self, fname):
        """``(expiry, value)`` of an entry; ``(None, _MISSING)`` when absent or expired."""
        try:
            with open(fname, "rb") as file:
                try:
                    expiry = pickle.load(file)
                except EOFError:
                    return None, _MISSING
                if expiry is not None and expiry < time.time():
                    return None, _MISSING
                return expiry, pickle.loads(zlib.decompress(file.read()))
        except FileNotFoundError:
            return None, _MISSING

    def _write(self, fname, expiry, value):
        """Replace the entry in one rename, so a reader sees the old or the new one whole."""
        fd, tmp_path = tempfile.mkstemp(dir=self._dir)
        try:
            with open(fd, "wb") as file:
                file.write(pickle.dumps(expiry, self.pickle_protocol))
                file.write(zlib.compress(pickle.dumps(value, self.pickle_protocol)))
            os.replace(tmp_path, fname)
        except BaseException:
            if os.path.exists(tmp_path):
                os.remove(tmp_path)
            raise


def __getattr__(name):
    """``warta.core.cache.RedisCache``, the name settings give, imported on first use."""
    if name == "RedisCache":
        from .rediscache import RedisCache

        return RedisCache
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
