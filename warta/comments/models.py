import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EDIT_WINDOW = datetime.timedelta(minutes=15)


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def recount(self, post):
        """Set the post's denormalised count from its approved comments, exactly."""
        count = self.model.objects.filter(post=post, status=Comment.Status.APPROVED).count()
        type(post).objects.filter(pk=post.pk).update(comment_count=count)
        post.comment_count = count
        return count

    def for_post(self, post):
        return self.filter(post=post)

    def visible_to(self, *, user=None, pending_ids=(), pingbacks=True):
        """What a thread shows: approved comments, placeholders of deleted ones (their replies
        keep their place), and the viewer's own comments still waiting for a moderator;
        without pingbacks and trackbacks when the blog hides them (``pingbacks=False``)."""
        shown = models.Q(status=Comment.Status.APPROVED) | models.Q(is_deleted=True)
        if user is not None and user.is_authenticated:
            shown |= models.Q(status=Comment.Status.PENDING, user=user)
        if pending_ids:
            shown |= models.Q(status=Comment.Status.PENDING, pk__in=list(pending_ids))
        queryset = self.filter(shown)
        if not pingbacks:
            queryset = queryset.exclude(kind__in=Comment.NOTICES)
        return queryset.select_related("user").order_by("created_at", "pk")


class CommentText(models.Model):
    """What every comment holds, whatever it is on: who wrote it, its text (rendered once,
    at save) and its state. ``Comment`` is on a post, ``PageComment`` on a static page."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")
        TRASHED = "trashed", _("Trashed")

    class Kind(models.TextChoices):
        """A reader's comment, or a notice another site sent (WordPress keeps both)."""

        COMMENT = "comment", _("Comment")
        PINGBACK = "pingback", _("Pingback")
        TRACKBACK = "trackback", _("Trackback")

    #: What another site sent, shown only where the blog shows pingbacks (``show_pingbacks``).
    NOTICES = (Kind.PINGBACK, Kind.TRACKBACK)

    author_name = models.CharField(_("name"), max_length=150, blank=True)
    author_email = models.EmailField(_("e-mail"), blank=True)
    author_url = models.URLField(_("website"), max_length=500, blank=True)
    body = models.TextField(_("comment"), max_length=10000)
    body_html = models.TextField(blank=True, editable=False)
    #: Imported with the HTML its platform allowed: ``body_html`` is that HTML, sanitised
    #: (``text.render_comment_html``), and ``body`` its plain text.
    is_html = models.BooleanField(default=False, editable=False)
    kind = models.CharField(
        _("kind"), max_length=10, choices=Kind.choices, default=Kind.COMMENT, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.APPROVED, db_index=True
    )
    updated_at = models.DateTimeField(default=timezone.now)
    legacy_id = models.CharField(max_length=200, blank=True, db_index=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        from .text import render_comment, render_comment_html

        if self.is_html:
            self.body_html = render_comment_html(self.body_html)
        else:
            self.body_html = render_comment(self.body)
        super().save(*args, **kwargs)


class Comment(CommentText):
    blog = models.ForeignKey("blogs.Blog", on_delete=models.CASCADE, related_name="comments")
    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    is_deleted = models.BooleanField(default=False)
    user_deleted = models.BooleanField(
        default=False, help_text=_("The author closed their account; the comment stays.")
    )
    notify_replies = models.BooleanField(_("e-mail me replies"), default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    ip_hash = models.CharField(max_length=64, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["post", "status", "created_at"], name="comment_thread")]

    def __str__(self):
        return f"{self.display_name}: {self.body[:40]}"

    def get_absolute_url(self):
        return f"{self.post.path}#{self.anchor}"

    @property
    def anchor(self):
        """``c<ID>``; an imported comment keeps its Blogger id so old ``#c...`` links land."""
        return f"c{self.legacy_id or self.pk}"

    @property
    def wordpress_anchor(self):
        """``comment-<ID>``, WordPress's anchor, so an imported blog's ``#comment-N`` links
        land on the comment too."""
        return f"comment-{self.legacy_id or self.pk}"

    @property
    def display_name(self):
        if self.user_id and self.user:
            return self.user.name
        if self.user_deleted:
            return _("Deleted user")
        return self.author_name or _("Anonymous")

    @property
    def notify_address(self):
        return self.user.email if self.user_id and self.user else self.author_email

    def is_owned_by(self, user, *, claimed_ids=()):
        """Its author: the signed-in person who wrote it, or the anonymous reader whose
        browser holds the signed claim made when it was posted (``claimed_ids``)."""
        if self.user_id is not None:
            return user.is_authenticated and self.user_id == user.pk
        return self.pk in claimed_ids

    def is_editable_by(self, user, *, now=None, claimed_ids=()):
        """Its author may change it for 15 minutes after posting."""
        now = now or timezone.now()
        return (
            self.is_owned_by(user, claimed_ids=claimed_ids)
            and not self.is_deleted
            and now - self.created_at <= EDIT_WINDOW
        )


class PageCommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def visible_to(self, *, user=None, pending_ids=()):
        """What a page's thread shows: approved comments and the viewer's own still waiting
        for a moderator (``CommentQuerySet.visible_to``; a page comment is never a placeholder)."""
        shown = models.Q(status=Comment.Status.APPROVED)
        if user is not None and user.is_authenticated:
            shown |= models.Q(status=Comment.Status.PENDING, user=user)
        if pending_ids:
            shown |= models.Q(status=Comment.Status.PENDING, pk__in=list(pending_ids))
        return self.filter(shown).select_related("user").order_by("created_at", "pk")


class PageComment(CommentText):
    """A comment on a static page (Blogger and WordPress pages take comments too): written
    by readers under the blog's comment policy (``services.post_page_comment``), moderated in
    the desk's queue beside post comments, or kept from an import; every export carries it.

    A table of its own rather than a nullable post on ``Comment``: a post's thread, read on
    every article page, stays one indexed query on one table (``reads.py``); a page has few
    comments and its thread is read with the ORM."""

    blog = models.ForeignKey("blogs.Blog", on_delete=models.CASCADE, related_name="page_comments")
    page = models.ForeignKey("posts.Page", on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="page_comments",
    )
    created_at = models.DateTimeField(default=timezone.now)
    ip_hash = models.CharField(max_length=64, blank=True)

    objects = PageCommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment on a page")
        verbose_name_plural = _("comments on pages")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["page", "status", "created_at"], name="page_comment_thread")
        ]

    def __str__(self):
        return f"{self.author_name}: {self.body[:40]}"

    def get_absolute_url(self):
        return f"{self.page.path}#{self.anchor}"

    #: What a thread asks of a comment (``thread.render_thread``): a page comment is never a
    #: placeholder and its author never closed an account here.
    is_deleted = False
    user_deleted = False

    @property
    def anchor(self):
        return f"c{self.legacy_id or self.pk}"

    @property
    def wordpress_anchor(self):
        return f"comment-{self.legacy_id or self.pk}"

    @property
    def display_name(self):
        if self.user_id and self.user:
            return self.user.name
        return self.author_name or _("Anonymous")
