"""An import's images: each address a file names becomes a remote image of the blog's media
library, recorded once however often it appears, and downloaded on request."""

import hashlib
import posixpath
import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from warta.blogs.models import Blog
from warta.core.pictures import clean_picture
from warta.posts.models import Image

from .errors import FetchRefused
from .fetch import fetch_public
from .report import ImportReport

MAX_IMAGE_BYTES = 10 * 2**20
IMG_SRC_RE = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
QUEUED = 0  # a pk not known yet: the image is written with the next batch


def url_key(url: str) -> int:
    """A 64-bit digest of an address: a set of these stays small however many images."""
    return int.from_bytes(hashlib.blake2b(url.encode(), digest_size=8).digest(), "big")


class RemoteImages:
    """The blog's remote images by address, with those an import adds."""

    def __init__(self, blog: Blog, report: ImportReport):
        self.blog = blog
        self.report = report
        self.known: dict[int, int] | None = None
        self.queued: list[Image] = []
        self.changed = False

    def by_address(self) -> dict[int, int]:
        """Digest of remote address -> image pk for the blog, read once (the column has no
        index: a query per image would read every image of the blog)."""
        if self.known is None:
            rows = Image.objects.filter(blog=self.blog).exclude(remote_url="")
            self.known = {
                url_key(url): pk for url, pk in rows.order_by().values_list("remote_url", "pk")
            }
        return self.known

    def pk(self, url: str, *, alt: str = "") -> tuple[int, bool]:
        """The pk of the blog's remote image at ``url``, created when new; and whether it was."""
        url = url[:2000]
        known = self.by_address()
        key = url_key(url)
        if known.get(key) == QUEUED:
            self.write()
        if key in known:
            return known[key], False
        self.write()
        image = Image.objects.create(blog=self.blog, remote_url=url, alt=alt[:500])
        known[key] = image.pk
        self.report.count("image")
        self.changed = True
        return image.pk, True

    def find_in(self, html: str) -> None:
        """Queue each image a body references that the blog does not have yet."""
        known = self.by_address()
        for src in set(IMG_SRC_RE.findall(html or "")):
            if src.startswith("//"):
                src = "https:" + src
            if not src.startswith(("http://", "https://")) or len(src) > 2000:
                continue
            key = url_key(src)
            if key not in known:
                known[key] = QUEUED
                self.queued.append(Image(blog=self.blog, remote_url=src))
                self.report.count("image")
                self.changed = True

    def write(self) -> None:
        if self.queued:
            Image.objects.bulk_create(self.queued)
            known = self.by_address()
            for image in self.queued:
                known[url_key(image.remote_url)] = image.pk
            self.queued = []


def fetch_remote_images(*, blog: Blog, report: ImportReport, timeout: float = 10) -> None:
    """Download the blog's remote-only images into the media library where reachable; each
    keeps its remote address, and pages use the local copy from then on. Only http(s) from
    the public internet (``warta.migration.fetch``); anything else stays remote, a warning."""
    images = Image.objects.filter(blog=blog, file="").exclude(remote_url="")
    for image in images.iterator(chunk_size=100):
        url = image.remote_url
        try:
            fetched = fetch_public(url, timeout=timeout, max_bytes=MAX_IMAGE_BYTES)
            if not fetched.content_type.startswith("image/"):
                raise ValueError(fetched.content_type)
            name = posixpath.basename(urlsplit(url).path)[-100:] or "image"
            # Decoded and encoded again as every upload is: an SVG or a page calling itself
            # an image is refused, and no EXIF is kept.
            picture = clean_picture(ContentFile(fetched.data, name=name))
            image.keep(picture, name)
            report.count("downloaded image")
        except ValidationError as refusal:
            report.warn(
                url,
                _("Did not download %(url)s: %(reason)s.")
                % {"url": url, "reason": " ".join(refusal.messages).rstrip(".")},
            )
        except FetchRefused as refusal:
            report.warn(
                url,
                _("Did not download %(url)s: %(reason)s.")
                % {"url": url, "reason": refusal.message},
            )
        except Exception:
            report.warn(url, _("Could not download %(url)s.") % {"url": url})
