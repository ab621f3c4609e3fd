import html
import io
import os
import re
from urllib.parse import quote

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext_lazy as _

from warta.core.markup import render_markdown, sanitize_html


def make_slug(title, *, max_length=60):
    """A Blogger-like slug: ASCII words joined by hyphens, cut at a word boundary. A title
    with no Latin letters (Arabic, Javanese script) keeps its own letters rather than
    becoming "post"."""
    full = slugify(title) or slugify(title, allow_unicode=True)
    slug = full[:max_length].strip("-")
    if len(full) > max_length and "-" in slug:
        slug = slug.rsplit("-", 1)[0]
    return slug or "post"


def make_teaser(body_html, *, words=40):
    """The first words of a rendered body as plain text, for lists, feeds and meta tags.

    Made once at save: stripping tags per request cost about 3 ms a post on a home page. The
    body is already sanitised, so its tags are well formed and a pattern removes them; Django's
    ``strip_tags`` parses the HTML and was a quarter of an import's time."""
    text = html.unescape(TAG.sub(" ", body_html or ""))
    return Truncator(re.sub(r"\s+", " ", text).strip()).words(words)


TAG = re.compile(r"<[^>]*>")


class Label(models.Model):
    blog = models.ForeignKey("blogs.Blog", on_delete=models.CASCADE, related_name="labels")
    name = models.CharField(_("name"), max_length=200, help_text=_("e.g. “Timur Tengah”"))

    class Meta:
        verbose_name = _("label")
        verbose_name_plural = _("labels")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["blog", "name"], name="label_name_unique_per_blog")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return "/search/label/" + quote(self.name, safe="")


class ImageQuerySet(models.QuerySet):
    def for_blog(self, blog):
        return self.filter(blog=blog)

    def search(self, query):
        """Images whose alternative text or file name holds ``query``."""
        query = (query or "").strip()
        if not query:
            return self
        return self.filter(Q(alt__icontains=query) | Q(file__icontains=query))

    def without_alt(self):
        return self.filter(alt="")

    def store(self, *, blog, picture, upload_name="", alt="", uploaded_by=None):
        """A new image of ``blog`` holding ``picture`` (a ``warta.core.pictures.CleanPicture``).
        Its renditions are made here when it is small, else by the background worker
        (``posts.tasks.make_renditions``); nothing is left in the storage if this fails."""
        image = self.model(blog=blog, alt=alt, uploaded_by=uploaded_by)
        image.keep(picture, upload_name)
        return image


class Image(models.Model):
    blog = models.ForeignKey("blogs.Blog", on_delete=models.CASCADE, related_name="images")
    file = models.ImageField(
        _("file"), upload_to="images/%Y/%m/", width_field="width", height_field="height", blank=True
    )
    remote_url = models.URLField(
        _("remote address"),
        max_length=2000,
        blank=True,
        help_text=_("An image kept where it is, e.g. on blogger.googleusercontent.com."),
    )
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    thumbnail = models.ImageField(upload_to="images/thumbs/%Y/%m/", blank=True, editable=False)
    # The stored names of its smaller copies and share picture (see posts/images.py), so a
    # reader page writes its srcset from this row alone.
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    alt = models.CharField(_("alternative text"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")

    THUMBNAIL_WIDTH = 240  # lists show 120 CSS pixels: sharp on a 2x phone screen

    def __str__(self):
        return self.alt or self.url

    def save(self, *args, **kwargs):
        if self.file and not self.width:
            # Stored, so loading an image row never has to open the file to learn its size.
            self.width, self.height = self.file.width, self.file.height
        if self.file and not self.thumbnail:
            self.make_thumbnail()
        super().save(*args, **kwargs)

    @property
    def url(self):
        return self.file.url if self.file else self.remote_url

    @property
    def name(self):
        """The file's own name, as the desk shows it."""
        return os.path.basename(self.file.name) if self.file else self.remote_url

    @property
    def thumbnail_url(self):
        """A small copy for lists, so a home page on a phone does not fetch every lead image
        at full size; an image kept remotely has none and lists use it as it is."""
        return self.thumbnail.url if self.thumbnail else self.url

    def keep(self, picture, upload_name=""):
        """Store ``picture`` (a ``warta.core.pictures.CleanPicture``) as this image's file,
        with its thumbnail, and save the row; the renditions are made here when it is
        small, else by the background worker (``posts.tasks.make_renditions``) once the
        transaction commits. Nothing is left in the storage if this fails."""
        from django.db import transaction

        self.width, self.height = picture.width, picture.height
        try:
            with transaction.atomic():
                self.file.save(picture.name_for(upload_name), picture.as_file(), save=False)
                # From the bytes in hand: the storage (S3) is not read back.
                self.make_thumbnail(io.BytesIO(picture.content))
                self.save()
                if self.renditions_made_inline:
                    self.make_renditions(picture.content)
                else:
                    from .tasks import make_renditions

                    pk = self.pk
                    transaction.on_commit(lambda: make_renditions.enqueue(image_id=pk))
        except Exception:
            self.delete_files()
            raise

    def make_thumbnail(self, source=None):
        from PIL import Image as Picture
        from PIL import ImageOps

        if source is None:
            self.file.open("rb")
        with Picture.open(source or self.file) as picture:
            picture = ImageOps.exif_transpose(picture).convert("RGB")
            if picture.width > self.THUMBNAIL_WIDTH:
                height = round(picture.height * self.THUMBNAIL_WIDTH / picture.width)
                picture = picture.resize((self.THUMBNAIL_WIDTH, max(height, 1)), Picture.LANCZOS)
            buffer = io.BytesIO()
            picture.save(buffer, "JPEG", quality=72, optimize=True, progressive=True)
        if source is None:
            self.file.seek(0)
        stem = os.path.splitext(os.path.basename(self.file.name))[0]
        self.thumbnail.save(f"{stem}-thumb.jpg", ContentFile(buffer.getvalue()), save=False)

    # --- renditions (posts/images.py)

    @property
    def renditions_made_inline(self):
        from .images import inline_pixels

        return (self.width or 0) * (self.height or 0) <= inline_pixels()

    def make_renditions(self, content=None):
        """Writes the renditions and records them on the row (replacing any made before);
        ``content``, the file's bytes when they are at hand, spares reading the storage."""
        from . import images

        old = images.names(self.renditions or {})
        self.renditions = images.make(self, content)
        type(self).objects.filter(pk=self.pk).update(renditions=self.renditions)
        self.shown_anew()
        storage = self.file.storage
        for name in set(old) - set(images.names(self.renditions)):
            storage.delete(name)

    @property
    def srcset(self):
        """The renditions in the original's kind as a ``srcset``; "" when there are none."""
        from .images import srcset

        widths = (self.renditions or {}).get("widths")
        return srcset(self.file.storage, widths) if widths else ""

    @property
    def webp_srcset(self):
        from .images import srcset

        widths = (self.renditions or {}).get("webp")
        return srcset(self.file.storage, widths) if widths else ""

    def rendition_url(self, width):
        """The rendition closest to ``width`` without being narrower (the widest if none is
        that wide), or the image itself when it has none."""
        widths = (self.renditions or {}).get("widths")
        if not widths:
            return self.url
        from .images import url_of

        sizes = sorted(int(w) for w in widths)
        chosen = next((w for w in sizes if w >= width), sizes[-1])
        return url_of(self.file.storage, widths[str(chosen)])

    @property
    def preview_url(self):
        """What the desk shows of the image: a rendition about 640 pixels wide."""
        return self.rendition_url(640)

    @property
    def share(self):
        """``(url, width, height)`` of the 1200 x 630 share picture; the image itself if
        it has none."""
        made = (self.renditions or {}).get("share")
        if made:
            from .images import url_of

            return url_of(self.file.storage, made["name"]), made["width"], made["height"]
        return self.url, self.width, self.height

    def stored_names(self):
        """Every name this image holds in the storage: the file, its thumbnail, renditions."""
        from .images import names

        found = [field.name for field in (self.file, self.thumbnail) if field]
        return found + names(self.renditions or {})

    def delete_files(self):
        storage = self.file.storage
        for name in self.stored_names():
            storage.delete(name)

    def shown_anew(self):
        """Cached pages of the blog are stale once what readers see of the image changed
        (renditions made in the background, new alternative text)."""
        from warta.blogs.models import Blog

        Blog(pk=self.blog_id).bump_generation()

    # --- where it is used

    def lead_of(self):
        return Post.objects.filter(lead_image=self)

    def bodies_with(self, model):
        """Posts or pages (``model``) of the image's blog whose body shows it."""
        if not self.file:
            return model.objects.none()
        name = self.file.name
        return model.objects.filter(blog_id=self.blog_id).filter(
            Q(body_html__contains=name) | Q(body__contains=name)
        )

    def uses(self):
        """``(lead_posts, body_posts, body_pages)``: where the image is shown."""
        return (
            list(self.lead_of().order_by("-pk")),
            list(self.bodies_with(Post).exclude(lead_image=self).order_by("-pk")),
            list(self.bodies_with(Page).order_by("-pk")),
        )

    def is_used(self):
        return (
            self.lead_of().exists()
            or self.bodies_with(Post).exists()
            or self.bodies_with(Page).exists()
        )


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Pending review")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    TRASHED = "trashed", _("Trashed")


class BodyFormat(models.TextChoices):
    MARKDOWN = "markdown", _("Markdown")
    HTML = "html", _("HTML")


class EntryQuerySet(models.QuerySet):
    def for_blog(self, blog):
        return self.filter(blog=blog)

    def published(self):
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())


class Entry(models.Model):
    """What posts and pages share: a title, a body rendered once at save, a fixed path."""

    blog = models.ForeignKey("blogs.Blog", on_delete=models.CASCADE, related_name="%(class)ss")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="%(class)ss",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=500)
    slug = models.SlugField(_("slug"), max_length=200, blank=True, allow_unicode=True)
    body = models.TextField(_("body"), blank=True)
    body_format = models.CharField(
        _("body format"), max_length=10, choices=BodyFormat.choices, default=BodyFormat.MARKDOWN
    )
    body_html = models.TextField(editable=False, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    path = models.CharField(
        _("path"),
        max_length=500,
        blank=True,
        help_text=_("The address on the blog, kept forever once published."),
    )
    legacy_id = models.CharField(max_length=200, blank=True, db_index=True, editable=False)

    objects = EntryQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = make_slug(self.title)
        self.render()
        if self.status == Status.PUBLISHED and not self.published_at:
            self.published_at = timezone.now()
        if not self.path and self.status in {Status.PUBLISHED, Status.SCHEDULED}:
            self.path = self.build_path()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.path

    def render(self):
        if self.body_format == BodyFormat.MARKDOWN:
            self.body_html = render_markdown(self.body)
        else:
            self.body_html = sanitize_html(self.body)

    def build_path(self):
        raise NotImplementedError

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED and self.published_at <= timezone.now()


class PostQuerySet(EntryQuerySet):
    def for_reader(self):
        return self.select_related("author", "lead_image").prefetch_related("labels")

    def for_list(self):
        """What a list of summaries shows: the lead image's thumbnail, no labels or author."""
        return self.select_related("lead_image")

    def threads_changed(self):
        """Something their comment threads show changed: a comment, or a commenter's name."""
        return self.update(thread_version=F("thread_version") + 1)


class Post(Entry):
    kicker = models.CharField(
        _("kicker"),
        max_length=120,
        blank=True,
        help_text=_("A short line above the headline, e.g. “Suriah”."),
    )
    excerpt = models.TextField(_("excerpt"), blank=True, max_length=1000)
    lead_image = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("lead image")
    )
    lead_caption = models.CharField(_("lead image caption"), max_length=500, blank=True)
    lead_alt = models.CharField(_("lead image alternative text"), max_length=500, blank=True)
    lead_credit = models.CharField(
        _("lead image credit"),
        max_length=200,
        blank=True,
        help_text=_("e.g. “Reuters/Abdalrhman Ismail”"),
    )
    source_name = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("The wire agency or outlet, e.g. “Reuters”."),
    )
    source_url = models.URLField(_("source address"), max_length=1000, blank=True)
    labels = models.ManyToManyField(
        Label, blank=True, related_name="posts", verbose_name=_("labels")
    )
    comments_enabled = models.BooleanField(_("allow comments"), default=True)
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    # Bumped by every change a reader could see in the comment thread; the rendered thread
    # that workers keep is keyed by it (see comments/thread.py, shared_threads).
    thread_version = models.PositiveIntegerField(default=0, editable=False)
    teaser = models.TextField(blank=True, editable=False)
    is_sticky = models.BooleanField(_("pinned to the top"), default=False)
    dateline = models.CharField(
        _("dateline"), max_length=120, blank=True, help_text=_("e.g. “ALEPPO, Suriah”")
    )
    language = models.CharField(
        _("language"),
        max_length=5,
        blank=True,
        choices=[("id", _("Indonesian")), ("en", _("English"))],
        help_text=_("Empty: the blog's language."),
    )
    coauthors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="coauthored_posts",
        verbose_name=_("other authors"),
    )
    # Names of every byline in order, kept at save so the article's one read has them.
    byline_names = models.JSONField(default=list, blank=True, editable=False)
    byline_ids = models.JSONField(default=list, blank=True, editable=False)
    # Corrections as readers see them ([{"date": iso, "text": ..., "html": ...}]), kept
    # at save from Correction rows so the article's one read has them.
    corrections = models.JSONField(default=list, blank=True, editable=False)
    # Raised by every save from the desk: a form sent from an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["blog", "status", "-published_at"], name="post_blog_timeline"),
            # The article lookup: the partial unique index on path (path <> '') is not used
            # by SQLite for "path = %s", which scanned the whole timeline (12 ms at 10k posts).
            models.Index(fields=["blog", "path", "status"], name="post_blog_path"),
            # The home page's order (pinned first): read in index order instead of sorting.
            models.Index(
                fields=["blog", "status", "-is_sticky", "-published_at"], name="post_blog_front"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["blog", "path"], condition=~Q(path=""), name="post_path_unique_per_blog"
            )
        ]

    def build_path(self):
        local = timezone.localtime(self.published_at or timezone.now(), self.blog.tzinfo)
        base = f"/{local.year}/{local.month:02d}/{self.slug}"
        path = base + ".html"
        n = 1
        while Post.objects.filter(blog_id=self.blog_id, path=path).exclude(pk=self.pk).exists():
            n += 1
            path = f"{base}_{n}.html"
        return path

    def render(self):
        super().render()
        self.teaser = make_teaser(self.body_html)

    @property
    def summary(self):
        """The excerpt the author wrote, else the first words of the body (made at save)."""
        return self.excerpt or self.teaser

    @property
    def reader_corrections(self):
        """The corrections as readers see them, oldest first: ``date`` (aware) and ``html``."""
        import datetime as dt

        return [
            {"date": dt.datetime.fromisoformat(c["date"]), "html": c["html"], "text": c["text"]}
            for c in self.corrections or []
        ]


class Page(Entry):
    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["blog", "path"], condition=~Q(path=""), name="page_path_unique_per_blog"
            )
        ]

    def build_path(self):
        return f"/p/{self.slug}.html"


class Redirect(models.Model):
    """An old address (e.g. a WordPress permalink) that answers 301 to its new home."""

    blog = models.ForeignKey("blogs.Blog", on_delete=models.CASCADE, related_name="redirects")
    old_path = models.CharField(
        _("old path"), max_length=1000, help_text=_("e.g. “/?p=123” or “/2016/12/04/old-slug/”")
    )
    new_path = models.CharField(_("new path"), max_length=1000)

    class Meta:
        verbose_name = _("redirect")
        verbose_name_plural = _("redirects")
        constraints = [
            models.UniqueConstraint(fields=["blog", "old_path"], name="redirect_unique_per_blog")
        ]

    def __str__(self):
        return f"{self.old_path} → {self.new_path}"


class Revision(models.Model):
    """A post as it was saved, or as the editor autosaved it: the live post changes only on
    a save. ``data`` holds every field the editor shows (see ``posts.services.snapshot``)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    is_autosave = models.BooleanField(_("autosave"), default=False)
    version = models.PositiveIntegerField(default=0)
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.post} @ {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def title(self):
        return self.data.get("title", "")


class Correction(models.Model):
    """A dated note an editor appends to a published post; readers see it under the post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="correction_notes")
    text = models.TextField(
        _("correction"),
        max_length=2000,
        help_text=_("e.g. “An earlier version gave the wrong number of victims.”"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:60]
