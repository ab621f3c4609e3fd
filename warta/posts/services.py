"""Writes of a post from the desk (and any other writer): saving with a revision and a
stale-version check, the publishing steps, corrections, preview links.

Every function here is one transaction; the blog's cached pages are invalidated by the
model signals (``signal_handlers.py``) or, for ``update()`` calls, explicitly."""

import datetime

from django.core import signing
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from .models import Correction, Image, Label, Post, Redirect, Revision, Status

# The fields of a post the editor shows; a revision keeps them all, plus labels and authors.
CONTENT_FIELDS = [
    "title",
    "kicker",
    "body",
    "body_format",
    "excerpt",
    "slug",
    "dateline",
    "lead_caption",
    "lead_alt",
    "lead_credit",
    "source_name",
    "source_url",
    "comments_enabled",
    "is_sticky",
    "language",
]
PREVIEW_SALT = "warta.posts.preview"
PREVIEW_DAYS = 7


class PostError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


class StaleVersion(PostError):
    """The form was loaded from an older version than the post now has."""

    def __init__(self, current: Post, theirs: dict):
        super().__init__(
            _(
                "Someone else saved this post while you were editing it. Your text was not "
                "saved over theirs: both versions are shown below."
            )
        )
        self.current = current
        self.theirs = theirs


def snapshot(post: Post) -> dict:
    """What a revision keeps: every field the editor shows, as JSON."""
    data = {name: getattr(post, name) for name in CONTENT_FIELDS}
    data["lead_image"] = post.lead_image_id
    data["status"] = post.status
    data["published_at"] = post.published_at.isoformat() if post.published_at else None
    if post.pk:
        data["labels"] = sorted(post.labels.values_list("name", flat=True))
        data["authors"] = post.byline_ids or [post.author_id]
    return data


def _labels(blog, names):
    labels = []
    for name in dict.fromkeys(n.strip() for n in names if n.strip()):
        label = Label.objects.filter(blog=blog, name__iexact=name).first()
        if label is None:
            label = Label.objects.create(blog=blog, name=name[:200])
        labels.append(label)
    return labels


def _rebuild_path(post: Post, current: Post | None) -> None:
    """A post going out (or out already) gets the path of its slug and date; a published
    post whose slug or date changed keeps its old address as a 301 to the new one."""
    if post.status not in {Status.PUBLISHED, Status.SCHEDULED}:
        return
    if current is None or not current.path:
        post.path = ""
        post.path = post.build_path()
        return
    if post.slug == current.slug and _month(post) == _month(current):
        return
    post.path = post.build_path()
    if current.status == Status.PUBLISHED and post.path != current.path:
        # Earlier old addresses follow the post to its newest one, in one hop.
        Redirect.objects.filter(blog_id=post.blog_id, new_path=current.path).update(
            new_path=post.path
        )
        Redirect.objects.update_or_create(
            blog_id=post.blog_id, old_path=current.path, defaults={"new_path": post.path}
        )
        Redirect.objects.filter(blog_id=post.blog_id, old_path=post.path).delete()


def _month(post):
    local = timezone.localtime(post.published_at or timezone.now(), post.blog.tzinfo)
    return local.year, local.month


@transaction.atomic
def save_post(
    post: Post,
    *,
    by,
    fields: dict,
    labels=None,
    authors=None,
    version=None,
    status=None,
    published_at=None,
    lead_image: Image | None = None,
    keep_lead_image=False,
) -> Post:
    """Save ``post`` (new or existing) with ``fields``, write a revision and bump its version.

    ``version`` is the version the writer's form was loaded from: a different current version
    raises ``StaleVersion`` and nothing is written. ``status`` and ``published_at`` change
    only when given; ``labels`` are names (new ones are created), ``authors`` users, the
    first of them the post's main author."""
    current = None
    if post.pk:
        current = Post.objects.select_for_update().select_related("blog").get(pk=post.pk)
        if version is not None and int(version) != current.version:
            raise StaleVersion(current, {**fields, "labels": list(labels or [])})
        post.version = current.version + 1
    for name, value in fields.items():
        if name in CONTENT_FIELDS:
            setattr(post, name, value)
    if not keep_lead_image:
        post.lead_image = lead_image
    if status is not None:
        post.status = status
    if published_at is not None:
        post.published_at = published_at
    if post.status == Status.PUBLISHED and not post.published_at:
        post.published_at = timezone.now()
    if not post.slug:
        from .models import make_slug

        post.slug = make_slug(post.title)
    authors = [a for a in (authors or []) if a is not None]
    if authors:
        post.author = authors[0]
    elif post.author_id is None:
        post.author = by
    post.updated_at = timezone.now()
    _rebuild_path(post, current)
    names = [post.author.name] if post.author else []
    extra = list(dict.fromkeys(a for a in authors[1:] if a.pk != post.author_id))
    post.byline_names = names + [a.name for a in extra]
    post.byline_ids = ([post.author_id] if post.author_id else []) + [a.pk for a in extra]
    post.save()
    if post.status == Status.PUBLISHED and getattr(current, "status", None) != Status.PUBLISHED:
        from .signals import announce_published

        announce_published(post)
    if labels is not None:
        post.labels.set(_labels(post.blog, labels))
    if authors:
        post.coauthors.set(extra)
    Revision.objects.create(
        post=post, created_by=by, version=post.version, data=snapshot(post), is_autosave=False
    )
    # An autosave is a copy to fall back on until the writer saves; after a save it is old.
    post.revisions.filter(is_autosave=True, created_by=by).delete()
    return post


def autosave(post: Post, *, by, data: dict) -> Revision:
    """Keep what the writer has in the editor without touching the live post: one autosave
    revision per writer and post, replaced each time."""
    revision = post.revisions.filter(is_autosave=True, created_by=by).first()
    if revision is None:
        revision = Revision(post=post, created_by=by, is_autosave=True)
    revision.data = data
    revision.version = post.version
    revision.created_at = timezone.now()
    revision.save()
    return revision


def revision_fields(revision: Revision) -> dict:
    """A revision's data as form initial values."""
    data = dict(revision.data)
    return data


@transaction.atomic
def restore_revision(revision: Revision, *, by) -> Post:
    """Bring a revision's text back as a new save (which is itself a revision)."""
    post = revision.post
    data = revision.data
    lead = data.get("lead_image")
    image = Image.objects.filter(pk=lead, blog_id=post.blog_id).first() if lead else None
    from django.contrib.auth import get_user_model

    ids = [pk for pk in data.get("authors", []) if pk]
    people = get_user_model().objects.in_bulk(ids)
    return save_post(
        post,
        by=by,
        fields={name: data[name] for name in CONTENT_FIELDS if name in data},
        labels=data.get("labels", []),
        authors=[people[pk] for pk in ids if pk in people],
        lead_image=image,
    )


def _set_status(post: Post, status, **extra) -> Post:
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        post.status = status
        post.version = locked.version + 1
        post.updated_at = timezone.now()
        for name, value in extra.items():
            setattr(post, name, value)
        post.save(update_fields=["status", "version", "updated_at", *extra])
    return post


def unpublish(post: Post) -> Post:
    """Back to a draft; its address is kept for when it comes out again."""
    return _set_status(post, Status.DRAFT)


def trash(post: Post) -> Post:
    return _set_status(post, Status.TRASHED)


def restore(post: Post) -> Post:
    return _set_status(post, Status.DRAFT)


def delete_for_good(post: Post) -> None:
    post.delete()


def schedule(post: Post) -> None:
    """After ``post`` is saved as scheduled: a task publishes it at its time. With a backend
    that cannot defer (the immediate one of tests), ``publish_due`` is called directly."""
    from django_tasks import default_task_backend

    from .tasks import publish_scheduled

    if default_task_backend.supports_defer:
        publish_scheduled.using(run_after=post.published_at).enqueue(post_id=post.pk)


def publish_due(post_id=None, *, now=None) -> list[int]:
    """Publish every scheduled post whose time has come (or only ``post_id``'s). Each post
    is published once, whatever number of workers run this at the same moment: the update
    only matches a row still scheduled, and the database lets one of them change it."""
    now = now or timezone.now()
    due = Post.objects.filter(status=Status.SCHEDULED, published_at__lte=now)
    if post_id is not None:
        due = due.filter(pk=post_id)
    published = []
    for pk in list(due.values_list("pk", flat=True)):
        changed = Post.objects.filter(pk=pk, status=Status.SCHEDULED, published_at__lte=now).update(
            status=Status.PUBLISHED, version=F("version") + 1, updated_at=now
        )
        if changed:
            published.append(pk)
            # update() sends no post_save; what listens to a post's save (the page cache's
            # generation, the search index) hears of it as of any other save.
            post = Post.objects.select_related("blog").get(pk=pk)
            post_save.send(
                sender=Post,
                instance=post,
                created=False,
                update_fields=frozenset({"status", "version", "updated_at"}),
                raw=False,
                using=post._state.db,
            )
            from .signals import announce_published

            announce_published(post)
    return published


def request_review(post: Post, *, by) -> None:
    """Tell the blog's editors (and owners, admins) that ``post`` waits for review."""
    from .tasks import notify_review_requested

    transaction.on_commit(
        lambda: notify_review_requested.enqueue(post_id=post.pk, by_id=getattr(by, "pk", None))
    )


@transaction.atomic
def add_correction(post: Post, *, text: str, by) -> Correction:
    """Append a dated correction: readers see it under the post, its modified date moves."""
    correction = Correction.objects.create(post=post, text=text.strip(), created_by=by)
    refresh_corrections(post)
    return correction


def refresh_corrections(post: Post) -> None:
    post.corrections = [
        {
            "date": c.created_at.isoformat(),
            "text": c.text,
            "html": "<br>".join(escape(line) for line in c.text.splitlines()),
        }
        for c in post.correction_notes.order_by("created_at", "pk")
    ]
    post.updated_at = timezone.now()
    post.save(update_fields=["corrections", "updated_at"])


def preview_token(post: Post) -> str:
    return signing.dumps({"p": post.pk}, salt=PREVIEW_SALT, compress=True)


def post_for_preview_token(token: str, blog) -> Post | None:
    """The post a shared preview link names, while it is fresh (``PREVIEW_DAYS``)."""
    try:
        data = signing.loads(
            token, salt=PREVIEW_SALT, max_age=datetime.timedelta(days=PREVIEW_DAYS)
        )
    except signing.BadSignature:
        return None
    return (
        Post.objects.filter(blog=blog, pk=data.get("p"))
        .exclude(status=Status.TRASHED)
        .select_related("author", "lead_image")
        .first()
    )
