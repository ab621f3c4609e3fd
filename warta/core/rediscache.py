"""Django's Redis cache, made fit for what Warta keeps in it: see ``core/cache.py``."""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import OutOfMemoryError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("warta.core.cache")

_MISSING = object()


class _Health:
    """Whether one Redis server answers, shared by the process's threads."""

    def __init__(self):
        self.down_until = 0.0  # monotonic time before which the server is not tried
        self.lost = set()  # keys whose writes failed meanwhile
        self.lock = threading.Lock()


class SharedClientRedisCacheClient(RedisCacheClient):
    """Django's client builds a ``redis.Redis`` on every call, whose ``__init__`` cost about
    three quarters of a cached page's answer; one per connection pool serves every thread."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """Django's Redis cache, where a Redis that does not answer means a miss.

    While the server is unavailable ``get`` returns its default, ``set`` and ``delete`` do
    nothing, ``add`` answers True (no one can hold the key: locks built on ``add``, such as
    allauth's rate limits, let every caller through), ``incr`` raises ValueError as for a
    missing key and ``count_in_window`` returns None, which rate limits read as "not
    limited". ``OPTIONS`` are Django's; ``socket_timeout`` and ``socket_connect_timeout``
    default to ``SOCKET_TIMEOUT``.
    """

    SOCKET_TIMEOUT = 0.5
    BACKOFF = 1.0  # seconds without trying the server after it failed
    MAX_LOST = 10_000  # lost writes remembered for deletion
    UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OutOfMemoryError)
    _health = {}  # servers -> _Health, one per process

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
        self._options = {
            "socket_timeout": self.SOCKET_TIMEOUT,
            "socket_connect_timeout": self.SOCKET_TIMEOUT,
            **self._options,
        }
        self._state = self._health.setdefault(tuple(self._servers), _Health())

    def _call(self, fallback, operation, *args, lost=((), None)):
        state = self._state
        if state.down_until:
            if time.monotonic() < state.down_until:
                self._remember_lost(*lost)
                return fallback
            if not self._recover():
                self._remember_lost(*lost)
                return fallback
        try:
            return operation(*args)
        except self.UNAVAILABLE as error:
            self._went_down(error)
            self._remember_lost(*lost)
            return fallback

    def _went_down(self, error):
        state = self._state
        first = not state.down_until
        state.down_until = time.monotonic() + self.BACKOFF
        if first:
            logger.warning(
                "Redis at %s is not answering (%s): serving without the cache, trying again "
                "every %g s",
                ",".join(self._servers),
                error,
                self.BACKOFF,
            )

    def _recover(self):
        """Try the server again: it is back once the writes it missed are deleted."""
        state = self._state
        with state.lock:
            if not state.down_until:
                return True  # another thread saw it come back
            lost = list(state.lost)
            try:
                client = self._cache.get_client(write=True)
                if lost:
                    client.delete(*lost)
                else:
                    client.ping()
            except self.UNAVAILABLE as error:
                self._went_down(error)
                return False
            state.lost.difference_update(lost)
            state.down_until = 0.0
        logger.warning("Redis at %s answers again: the cache is back", ",".join(self._servers))
        return True

    def _remember_lost(self, keys, version):
        lost = self._state.lost
        if keys and len(lost) < self.MAX_LOST:
            lost.update(self.make_key(key, version) for key in keys)

    # ------------------------------------------------------------ Django's cache API

    def get(self, key, default=None, version=None):
        return self._call(default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._call({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call(False, super().has_key, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(None, super().set, key, value, timeout, version, lost=((key,), version))

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        lost = (list(data), version)
        return self._call(list(data), super().set_many, data, timeout, version, lost=lost)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(True, super().add, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._call(False, super().delete, key, version, lost=((key,), version))

    def delete_many(self, keys, version=None):
        keys = list(keys)
        return self._call(None, super().delete_many, keys, version, lost=(keys, version))

    def incr(self, key, delta=1, version=None):
        result = self._call(_MISSING, super().incr, key, delta, version)
        if result is _MISSING:
            raise ValueError(f"Key '{key}' not found: the cache is unavailable")
        return result

    def clear(self):
        return self._call(False, super().clear)

    def count_in_window(self, key, window, version=None):
        """As ``FileCache.count_in_window``, in one MULTI/EXEC: ``SET NX EX`` starts the
        window, ``INCR`` counts and keeps its TTL. None while the server is unavailable."""
        key = self.make_and_validate_key(key, version=version)
        return self._call(None, self._count_in_window, key, window)

    def _count_in_window(self, key, window):
        pipeline = self._cache.get_client(key, write=True).pipeline(transaction=True)
        pipeline.set(key, 0, ex=max(1, int(window)), nx=True)
        pipeline.incr(key)
        return pipeline.execute()[1]
