"""Each blog's generation token: every cached page of the blog is keyed by it, and
``Blog.bump_generation()`` forgets it, so one write invalidates the blog's pages at once.

``generation.millis.nonce``: the nonce keeps a page of a deleted (or, in tests, rolled
back) blog whose id is reused from ever matching the new blog; the time is the pages'
Last-Modified.
"""

import os
import secrets
import time

from django.core.cache import cache

# A token is refreshed after this long even without a write: it bounds how long a rare
# fill-versus-bump race (see ``worker.token_for``) could keep a stale page.
TOKEN_TTL = 300


def new_token(generation):
    return f"{generation}.{int(time.time() * 1000)}.{secrets.token_hex(4)}"


def token_time(token):
    return int(token.split(".")[1]) / 1000


class FileTokens:
    """Tokens as small files beside the file cache: reading one is a ``stat()`` while it is
    unchanged. The ``.djcache`` suffix lets ``cache.clear()`` remove them with the pages."""

    def __init__(self, directory):
        self.directory = str(directory)
        self.memo = {}

    def path(self, blog_id):
        return os.path.join(self.directory, f"pagegen-{blog_id}.djcache")

    def get(self, blog_id):
        path = self.path(blog_id)
        try:
            stat = os.stat(path)
        except FileNotFoundError:
            return None
        if time.time() - stat.st_mtime > TOKEN_TTL:
            return None
        stamp = (stat.st_ino, stat.st_mtime_ns)
        memo = self.memo.get(blog_id)
        if memo is not None and memo[0] == stamp:
            return memo[1]
        try:
            with open(path, encoding="ascii") as file:
                token = file.read()
        except FileNotFoundError:
            return None
        self.memo[blog_id] = (stamp, token)
        return token

    def add(self, blog_id, token):
        path = self.path(blog_id)
        try:
            os.makedirs(self.directory, exist_ok=True)
        except OSError:
            return None
        temporary = f"{path}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        with open(temporary, "w", encoding="ascii") as file:
            file.write(token)
        try:
            try:
                os.link(temporary, path)  # atomic: the first process to fill wins
            except FileExistsError:
                if self.get(blog_id) is None:  # expired: replace it
                    os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        return self.get(blog_id)

    def forget(self, blog_id):
        try:
            os.unlink(self.path(blog_id))
        except FileNotFoundError:
            pass


class CacheTokens:
    """Tokens in the shared cache (Redis): one GET per hit, seen by every process."""

    def key(self, blog_id):
        return f"pagecache:gen:{blog_id}"

    def get(self, blog_id):
        return cache.get(self.key(blog_id))

    def add(self, blog_id, token):
        cache.add(self.key(blog_id), token, TOKEN_TTL)
        return cache.get(self.key(blog_id))

    def forget(self, blog_id):
        cache.delete(self.key(blog_id))
