"""Who may comment on a post, and whether a new comment waits for a moderator.

``CommentPolicy`` is the extension point: a subclass overrides ``refusal`` or
``needs_moderation`` (as django-contrib-comments' ``CommentModerator`` does with ``allow``
and ``moderate``). Every submission is checked on the server with it; templates only use it
to decide whether to show the form.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from warta.blogs.models import Blog, Membership


class Refusal:
    """Why a reader may not comment, with where to go next (sign in, join)."""

    CLOSED = "closed"
    SIGN_IN = "sign_in"
    JOIN = "join"

    messages = {
        CLOSED: _("Comments are closed."),
        SIGN_IN: _("Only signed-in readers may post a comment."),
        JOIN: _("Only a member of this blog may post a comment."),
    }


class CommentPolicy:
    def __init__(self, blog: Blog):
        self.blog = blog

    def refusal(self, post, user, *, membership=None) -> str | None:
        """None when ``user`` may comment on ``post`` (or on a page, which has no switch of
        its own), else a ``Refusal`` code."""
        policy = self.blog.comment_policy
        if not getattr(post, "comments_enabled", True) or policy == Blog.CommentPolicy.CLOSED:
            return Refusal.CLOSED
        if policy == Blog.CommentPolicy.ANYONE:
            return None
        if not user.is_authenticated:
            return Refusal.SIGN_IN
        if policy == Blog.CommentPolicy.MEMBERS:
            if membership is None:
                membership = self.blog.membership_of(user)
            if membership is None:
                return Refusal.JOIN
        return None

    def needs_moderation(self, post, *, user, email: str) -> bool:
        """Whether a new comment waits in the queue (pending) instead of appearing at once."""
        moderation = self.blog.moderation
        if user.is_authenticated and self.can_moderate(post, user):
            return False
        if moderation == Blog.Moderation.ALWAYS:
            return True
        if moderation == Blog.Moderation.OLDER_THAN:
            age = datetime.timedelta(days=self.blog.moderation_delay_days)
            return post.published_at is not None and post.published_at < timezone.now() - age
        if moderation == Blog.Moderation.FIRST_TIME:
            from .models import Comment

            earlier = Comment.objects.approved().filter(blog=self.blog, is_deleted=False)
            if user.is_authenticated:
                return not earlier.filter(user=user).exists()
            return not email or not earlier.filter(user=None, author_email__iexact=email).exists()
        return False

    def can_moderate(self, post, user) -> bool:
        """The post's author, and the blog's owner, administrators and editors."""
        if not user.is_authenticated:
            return False
        if user.is_superuser or post.author_id == user.pk:
            return True
        return self.blog.role_of(user) in Membership.EDITING_ROLES
