"""The comment section of an article page: the thread, the policy note and, when the
blog's policy lets this reader comment, the form.

An anonymous reader's page is shared through the page cache: it gets one query (the
thread) and nothing personal, and its form works without a CSRF cookie."""

from django.conf import settings
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from .forms import form_stamp
from .models import PageComment
from .policy import CommentPolicy, Refusal
from .reads import shows_pingbacks, visible_comments
from .thread import build_thread, render_thread, shared_thread
from .views import claimed_ids, page_pending_ids, pending_ids


def comments_so_far(count: int) -> str:
    return ngettext(
        "%(counter)s comment so far, add yours", "%(counter)s comments so far, add yours", count
    ) % {"counter": count}


def own_comments(user, claimed, comments) -> tuple[set, set]:
    """The ids of the comments this reader wrote, and of those they may still edit."""
    now = timezone.now()
    owned = {c.pk for c in comments if c.is_owned_by(user, claimed_ids=claimed)}
    editable = {
        c.pk
        for c in comments
        if c.pk in owned and c.is_editable_by(user, now=now, claimed_ids=claimed)
    }
    return owned, editable


def personal_thread(request, post, refusal, *, pingbacks=True):
    """The thread with this reader's own comments marked: their pending ones shown, theirs
    to edit or delete linked; and the comment ``?reply=`` answers. None when the reader has
    nothing of their own in it and the shared thread serves."""
    user = request.user
    claimed = set() if user.is_authenticated else set(claimed_ids(request))
    pending = [] if user.is_authenticated else pending_ids(request)
    reply = request.GET.get("reply", "") if refusal is None else ""
    if not (user.is_authenticated or claimed or pending or reply.isdigit()):
        return None, None  # most readers
    comments = visible_comments(post, user=user, pending_ids=pending, pingbacks=pingbacks)
    reply_to = None
    if reply.isdigit():
        reply_to = next(
            (c for c in comments if c.pk == int(reply) and c.status == "approved"), None
        )
    owned, editable = own_comments(user, claimed, comments)
    thread = render_thread(
        build_thread(comments, max_depth=settings.WARTA_COMMENT_MAX_DEPTH),
        can_reply=refusal is None,
        editable=editable,
        owned=owned,
    )
    return thread, reply_to


def comment_section(request, post, blog) -> str:
    """The section's HTML, with the viewer's own comments still waiting for a moderator."""
    user = request.user
    refusal = CommentPolicy(blog).refusal(post, user)
    pingbacks = shows_pingbacks(blog)
    thread, reply_to = personal_thread(request, post, refusal, pingbacks=pingbacks)
    if thread is None:
        thread = shared_thread(post, can_reply=refusal is None, pingbacks=pingbacks)
    return mark_safe(
        render_to_string(
            "comments/section.html",
            {
                "post": post,
                "blog": blog,
                "user": user,
                "count": comments_so_far(post.comment_count),
                "thread": thread,
                "refusal": refusal,
                "refusal_message": Refusal.messages.get(refusal),
                "reply_to": reply_to,
                "values": None,
                "stamp": form_stamp(blog_id=blog.pk, post_id=post.pk) if refusal is None else "",
                "csrf_value": get_token(request)
                if user.is_authenticated and refusal is None
                else "",
                "csrf_join": get_token(request) if refusal == Refusal.JOIN else "",
                "login_url": f"/accounts/login/?next={post.path}",
            },
        )
    )


def page_comment_section(request, page) -> str:
    """A static page's comment section: its thread (with this reader's own comments still
    waiting for a moderator) and, under the blog's policy, the form. Pages have few comments
    and are served from the page cache: the thread is read with the ORM, unshared."""
    blog = request.blog
    user = request.user
    refusal = CommentPolicy(blog).refusal(page, user)
    pending = [] if user.is_authenticated else page_pending_ids(request)
    comments = list(
        PageComment.objects.filter(page=page).visible_to(user=user, pending_ids=pending)
    )
    reply = request.GET.get("reply", "") if refusal is None else ""
    reply_to = None
    if reply.isdigit():
        reply_to = next(
            (c for c in comments if c.pk == int(reply) and c.status == "approved"), None
        )
    thread = render_thread(
        build_thread(comments, max_depth=settings.WARTA_COMMENT_MAX_DEPTH),
        can_reply=refusal is None,
        editable=set(),
        owned=set(),
    )
    approved = sum(1 for comment in comments if comment.status == "approved")
    return mark_safe(
        render_to_string(
            "comments/section.html",
            {
                "post": page,
                "blog": blog,
                "user": user,
                "count": comments_so_far(approved),
                "thread": thread,
                "refusal": refusal,
                "refusal_message": Refusal.messages.get(refusal),
                "reply_to": reply_to,
                "values": None,
                "action": f"/comments/page/{page.pk}",
                "stamp": form_stamp(blog_id=blog.pk, post_id=page.pk, kind="page")
                if refusal is None
                else "",
                "csrf_value": get_token(request)
                if user.is_authenticated and refusal is None
                else "",
                "csrf_join": get_token(request) if refusal == Refusal.JOIN else "",
                "login_url": f"/accounts/login/?next={page.path}",
            },
        )
    )
