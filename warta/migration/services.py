"""The app's services, for commands, views, devtools and tests: a file into a blog, a blog
into a file. What each format reads and writes is in ``formats/``."""

from collections.abc import Iterator

from warta.blogs.models import Blog

from .formats import FORMATS

import_blogger = FORMATS["blogger"].import_file
import_wordpress = FORMATS["wordpress"].import_file
import_warta_json = FORMATS["json"].import_file


def export_blog(blog: Blog, kind: str) -> Iterator[str]:
    """The whole blog in the format ``kind``, as chunks of text to write or stream."""
    return FORMATS[kind].export(blog)
