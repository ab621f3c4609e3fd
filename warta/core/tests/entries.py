"""What the configured cache backend holds, read from the backend itself (files or Redis)."""

import os
import pickle
import time

from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache


def stored_entries() -> int:
    """Entries in the default cache: files in the file cache's folder, keys in Redis."""
    backend = caches["default"]
    if isinstance(backend, FileBasedCache):
        return len(backend._list_cache_files())
    return len(backend._cache.get_client().keys(backend.make_key("*")))


def seconds_left() -> dict[str, float | None]:
    """Each entry's remaining lifetime in seconds, None for an entry that never expires.
    The page cache's token files (``pagegen-*``) expire by their age, so they are left out."""
    backend = caches["default"]
    if isinstance(backend, FileBasedCache):
        left = {}
        for path in backend._list_cache_files():
            if os.path.basename(path).startswith("pagegen-"):
                continue
            with open(path, "rb") as file:
                expiry = pickle.load(file)
            left[path] = None if expiry is None else expiry - time.time()
        return left
    client = backend._cache.get_client()
    return {
        key.decode(): (None if ttl == -1 else ttl)
        for key in client.keys(backend.make_key("*"))
        if (ttl := client.ttl(key)) != -2
    }
