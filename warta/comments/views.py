"""The reader's side of comments: post, edit, delete, unsubscribe. The moderation queue is
in the desk app."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpResponseRedirect
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from warta.accounts.models import User
from warta.core.clientip import client_ip
from warta.core.decorators import blog_required
from warta.posts.models import Page, Post

from . import services
from .forms import CommentForm, EditCommentForm, form_stamp
from .models import Comment, PageComment
from .notifications import read_unsubscribe_token


class IdCookie:
    """A signed, HttpOnly cookie listing the ids of an anonymous reader's own comments (the
    last 20). Its ``warta_`` name keeps such a reader's pages out of the shared page cache."""

    def __init__(self, name: str, *, salt: str, max_age: int):
        self.name, self.salt, self.max_age = name, salt, max_age

    def read(self, request) -> list[int]:
        value = request.get_signed_cookie(
            self.name, default="", salt=self.salt, max_age=self.max_age
        )
        return [int(part) for part in value.split(".") if part.isdigit()][-20:]

    def add(self, response, request, pk: int) -> None:
        ids = [*self.read(request), pk][-20:]
        response.set_signed_cookie(
            self.name,
            ".".join(map(str, ids)),
            salt=self.salt,
            max_age=self.max_age,
            httponly=True,
            samesite="Lax",
            # Like the session cookie: under WARTA_HTTPS, and whenever the request came by HTTPS.
            secure=request.is_secure() or settings.SESSION_COOKIE_SECURE,
        )


# The comments still waiting for a moderator, shown to the reader who sent them.
PENDING = IdCookie("warta_pending", salt="warta.comments.pending", max_age=2 * 24 * 3600)
# Proof of authorship: edit for 15 minutes, delete while it lasts.
CLAIMS = IdCookie("warta_mine", salt="warta.comments.mine", max_age=2 * 24 * 3600)
pending_ids = PENDING.read
claimed_ids = CLAIMS.read


def same_origin(request) -> bool:
    """A form on a cached page carries no CSRF token, so anonymous posts prove they come from
    the blog's own pages by their Origin (or, failing that, Referer) header."""
    host = request.get_host().lower()
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        return urlsplit(origin).netloc.lower() == host
    referer = request.headers.get("Referer")
    return bool(referer) and urlsplit(referer).netloc.lower() == host


def refuse(request, post, message, *, status, form=None, kind="post"):
    """The reason, and the form again with what was written, so nothing typed is lost.
    ``post`` is a page when ``kind`` is ``"page"``."""
    return render(
        request,
        "comments/refused.html",
        {
            "post": post,
            "message": message,
            "form": form,
            "action": f"/comments/{kind}/{post.pk}",
            "stamp": form_stamp(blog_id=post.blog_id, post_id=post.pk, kind=kind),
            "csrf_value": get_token(request) if request.user.is_authenticated else "",
        },
        status=status,
    )


def origin_refusal(request, entry, kind):
    """Signed-in readers see personal pages, with a normal CSRF token in the form; an
    anonymous reader's form, from a cached page, proves its origin by its headers instead.
    None when the request may go on."""
    if request.user.is_authenticated:
        return CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
    if not same_origin(request):
        return refuse(
            request, entry, _("This form must be sent from the blog's page."), status=403, kind=kind
        )
    return None


def checked_comment(request, entry, kind):
    """The comment a reader sent on ``entry`` (a post or a page): ``(form, fields, None)``
    with the keyword arguments of the service that stores it, or ``(None, None, refusal)``."""
    rejection = origin_refusal(request, entry, kind)
    if rejection is not None:
        return None, None, rejection
    user = request.user
    form = CommentForm(request.POST, post=entry, anonymous=not user.is_authenticated, kind=kind)
    if not form.is_valid():
        messages = [error for errors in form.errors.values() for error in errors]
        refusal = refuse(request, entry, " ".join(messages), status=400, form=form, kind=kind)
        return None, None, refusal
    data = form.cleaned_data
    parent = entry.comments.filter(pk=data["parent"]).first() if data.get("parent") else None
    submission = services.Submission(
        user=user,
        ip=client_ip(request),
        body=data["body"],
        name=data.get("name", ""),
        email=data.get("email", ""),
        url=data.get("url", ""),
    )
    return form, {"submission": submission, "parent": parent}, None


# A page's comments still waiting for a moderator, shown to the reader who sent them.
PAGE_PENDING = IdCookie("warta_pending_pages", salt="warta.comments.page", max_age=2 * 24 * 3600)
page_pending_ids = PAGE_PENDING.read


class PostComments:
    """Takes the comment form of a post: checks it, stores the comment and sends the reader
    back to it. ``PageComments`` changes the hooks for a static page."""

    kind = "post"
    entries = Post.objects

    def store(self, entry, form, fields):
        notify_replies = form.cleaned_data["notify_replies"]
        return services.post_comment(post=entry, notify_replies=notify_replies, **fields)

    def remember(self, response, request, comment) -> None:
        """What an anonymous author's browser keeps: the claim that lets them edit and
        delete the comment, and its id while it waits for a moderator."""
        CLAIMS.add(response, request, comment.pk)
        if comment.status == Comment.Status.PENDING:
            PENDING.add(response, request, comment.pk)

    def take(self, request, entry_id):
        blog = request.blog
        entry = get_object_or_404(self.entries.for_blog(blog).published(), pk=entry_id)
        entry.blog = blog
        form, fields, refusal = checked_comment(request, entry, self.kind)
        if refusal is not None:
            return refusal
        try:
            comment = self.store(entry, form, fields)
        except services.CommentRejected as error:
            return refuse(
                request, entry, error.message, status=error.status, form=form, kind=self.kind
            )
        response = HttpResponseRedirect(f"{entry.path}#{comment.anchor}", status=303)
        if not request.user.is_authenticated:
            self.remember(response, request, comment)
        return response


class PageComments(PostComments):
    """A static page's comment form. Its author does not edit a page comment, so only its id
    is kept while it waits for a moderator."""

    kind = "page"
    entries = Page.objects

    def store(self, entry, form, fields):
        return services.post_page_comment(page=entry, **fields)

    def remember(self, response, request, comment) -> None:
        if comment.status == PageComment.Status.PENDING:
            PAGE_PENDING.add(response, request, comment.pk)


@csrf_exempt
@require_POST
@blog_required
def post_comment(request, post_id):
    return PostComments().take(request, post_id)


@csrf_exempt
@require_POST
@blog_required
def post_page_comment(request, page_id):
    """A reader's comment on a static page, as ``post_comment`` takes one on a post."""
    return PageComments().take(request, page_id)


def own_comment(request, pk):
    comment = get_object_or_404(
        Comment.objects.select_related("post", "blog"), pk=pk, blog=request.blog
    )
    claimed = [] if request.user.is_authenticated else claimed_ids(request)
    if not comment.is_owned_by(request.user, claimed_ids=claimed):
        raise Http404
    comment.claimed_ids = claimed
    return comment


@require_http_methods(["GET", "POST"])
@blog_required
def edit_comment(request, pk):
    comment = own_comment(request, pk)
    if not comment.is_editable_by(request.user, claimed_ids=comment.claimed_ids):
        return refuse(
            request,
            comment.post,
            _("A comment can be changed only by its author, within 15 minutes."),
            status=403,
        )
    form = EditCommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_comment(
                comment=comment,
                user=request.user,
                body=form.cleaned_data["body"],
                claimed_ids=comment.claimed_ids,
            )
        except services.CommentRejected as error:
            return refuse(request, comment.post, error.message, status=error.status, form=form)
        return HttpResponseRedirect(comment.get_absolute_url(), status=303)
    return render(request, "comments/edit.html", {"comment": comment, "form": form})


@require_http_methods(["GET", "POST"])
@blog_required
def delete_comment(request, pk):
    comment = own_comment(request, pk)
    if request.method == "POST":
        services.delete_comment(comment=comment)
        return HttpResponseRedirect(f"{comment.post.path}#comments", status=303)
    return render(request, "comments/delete.html", {"comment": comment})


@csrf_exempt  # RFC 8058: mail clients send the one-click POST without any cookie.
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        data = read_unsubscribe_token(token)
    except signing.BadSignature as error:
        raise Http404 from error
    if request.method == "POST":
        if data["k"] == "author":
            User.objects.filter(pk=data["id"]).update(notify_comments=False)
        else:
            Comment.objects.filter(pk=data["id"]).update(notify_replies=False)
        return render(request, "comments/unsubscribed.html", {"done": True})
    return render(request, "comments/unsubscribed.html", {"done": False})
