"""The writers' dashboard on a blog's own host. This module: the moderation queue and
members; later desk pages (editor, media, settings) join with their own modules."""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from warta.blogs import services as blog_services
from warta.blogs.models import Membership
from warta.comments import services as comment_services
from warta.comments.models import Comment

from .access import MANAGERS, MODERATORS, desk_view
from .forms import BulkActionForm, CommentFilterForm, InvitationForm


def moderated_comments(request):
    """Every comment of the blog for editors and up; an author sees those on their posts."""
    comments = Comment.objects.filter(blog=request.blog)
    membership = request.membership
    if not request.user.is_superuser and membership.role not in Membership.EDITING_ROLES:
        comments = comments.filter(post__author=request.user)
    return comments


@desk_view(*MODERATORS)
@require_http_methods(["GET", "POST"])
def comments(request):
    queryset = moderated_comments(request)
    if request.method == "POST":
        data = request.POST.copy()
        if one := data.get("one"):
            # A row's own button: one click acts on that comment alone.
            action, _sep, pk = one.partition(":")
            data.setlist("ids", [pk])
            data["action"] = action
        posted = [pk for pk in data.getlist("ids") if pk.isdigit()]
        ids = list(queryset.filter(pk__in=posted).values_list("pk", flat=True))
        data.setlist("ids", [str(pk) for pk in ids])  # others' comments are left out
        form = BulkActionForm(data, ids=ids)
        if form.is_valid():
            chosen = queryset.filter(pk__in=form.cleaned_data["ids"]).select_related("post", "blog")
            comment_services.moderate_comments(comments=chosen, status=form.cleaned_data["action"])
        return redirect(request.get_full_path())
    wanted = request.GET.copy()
    # The queue opens on pending comments, and its pages keep it there (``?page=2`` names no
    # status); "all" is an empty status, which the filter form sends.
    wanted.setdefault("status", Comment.Status.PENDING)
    filters = CommentFilterForm(wanted)
    filters.is_valid()
    wanted = filters.cleaned_data
    if wanted.get("status"):
        queryset = queryset.filter(status=wanted["status"])
    if wanted.get("post"):
        queryset = queryset.filter(post_id=wanted["post"])
    if wanted.get("q"):
        q = wanted["q"]
        queryset = queryset.filter(
            Q(body__icontains=q) | Q(author_name__icontains=q) | Q(author_email__icontains=q)
        )
    page = Paginator(
        queryset.select_related("post", "user").order_by("-created_at", "-pk"), 50
    ).get_page(request.GET.get("page"))
    counts = dict(
        moderated_comments(request).order_by().values_list("status").annotate(n=Count("pk"))
    )
    tabs = [(value, label, counts.get(value, 0)) for value, label in Comment.Status.choices]
    return render(request, "desk/comments.html", {"page": page, "filters": filters, "tabs": tabs})


@desk_view(*MANAGERS)
@require_http_methods(["GET", "POST"])
def members(request):
    form = InvitationForm(request.POST or None)
    invitation = None
    if request.method == "POST" and form.is_valid():
        invitation = blog_services.invite_to_blog(
            blog=request.blog,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            invited_by=request.user,
        )
        form = InvitationForm()
    return render(
        request,
        "desk/members.html",
        {
            "form": form,
            "invitation": invitation,
            "invitation_url": invitation and request.blog.base_url + invitation.get_absolute_url(),
            "memberships": request.blog.memberships.select_related("user").order_by("role"),
            "invitations": request.blog.invitations.usable(),
        },
    )
