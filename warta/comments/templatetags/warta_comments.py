from django import template
from django.conf import settings
from django.middleware.csrf import get_token
from django.utils import timezone

from ..forms import form_stamp
from ..models import Comment
from ..policy import CommentPolicy, Refusal
from ..thread import build_thread, render_thread
from ..views import claimed_ids, pending_ids

register = template.Library()


@register.inclusion_tag("comments/thread_and_form.html", takes_context=True)
def comment_section(context, post):
    """The thread and, when the blog's policy lets this reader comment, the form.

    An anonymous reader's page is shared through the page cache: it gets one query (the
    thread) and nothing personal, and its form works without a CSRF cookie."""
    request = context["request"]
    blog = getattr(request, "blog", None) or post.blog  # the request's blog costs no query
    user = request.user
    anonymous_pending = [] if user.is_authenticated else pending_ids(request)
    comments = list(
        Comment.objects.for_post(post).visible_to(user=user, pending_ids=anonymous_pending)
    )
    policy = CommentPolicy(blog)
    refusal = policy.refusal(post, user)
    reply_to = None
    if refusal is None and (reply := request.GET.get("reply", "")).isdigit():
        reply_to = next(
            (c for c in comments if c.pk == int(reply) and c.status == "approved"), None
        )
    now = timezone.now()
    claimed = set() if user.is_authenticated else set(claimed_ids(request))
    owned = {c.pk for c in comments if c.is_owned_by(user, claimed_ids=claimed)}
    editable = {
        c.pk
        for c in comments
        if c.pk in owned and c.is_editable_by(user, now=now, claimed_ids=claimed)
    }
    return {
        "post": post,
        "blog": blog,
        "user": user,
        "request": request,
        "thread": render_thread(
            build_thread(comments, max_depth=settings.WARTA_COMMENT_MAX_DEPTH),
            can_reply=refusal is None,
            editable=editable,
            owned=owned,
        ),
        "refusal": refusal,
        "refusal_message": Refusal.messages.get(refusal),
        "reply_to": reply_to,
        "stamp": form_stamp() if refusal is None else "",
        "csrf_value": get_token(request) if user.is_authenticated and refusal is None else "",
        "csrf_join": get_token(request) if refusal == Refusal.JOIN else "",
        "login_url": f"/accounts/login/?next={post.path}",
    }
