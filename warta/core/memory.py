"""A worker's own memory of rendered bytes, bounded: the page cache's hot pages and the
comment threads every reader without comments of their own sees."""

import threading


class BoundedMemory:
    """Values kept under a total size of ``max_bytes``, the oldest going first when a new one
    needs room; a value larger than an eighth of the whole is not kept at all.

    Reads take no lock (a dict lookup is atomic under the GIL); writes take one, so two
    threads of a worker filling at once keep ``size`` exact. ``size_of`` tells a value's
    size (``len`` of bytes or text by default)."""

    def __init__(self, max_bytes, size_of=len):
        self.max_bytes = max_bytes
        self.size_of = size_of
        self.entries = {}
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key):
        return self.entries.get(key)

    def put(self, key, value):
        """Keep ``value`` under ``key`` (the one already kept wins); the value now kept, or
        None when it is too large to keep."""
        size = self.size_of(value)
        if size > self.max_bytes // 8:
            return None
        with self.lock:
            kept = self.entries.get(key)
            if kept is not None:
                return kept
            while self.entries and self.size + size > self.max_bytes:
                self.size -= self.size_of(self.entries.pop(next(iter(self.entries))))
            self.entries[key] = value
            self.size += size
            return value

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.size = 0

    def __len__(self):
        return len(self.entries)
