"""The writers' dashboard on a blog's own host. This module: the moderation queue and
members; later desk pages (editor, media, settings) join with their own modules."""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from warta.blogs.models import Membership
from warta.comments import services as comment_services
from warta.comments.models import Comment, PageComment

from .access import MODERATORS, desk_view
from .forms import BulkActionForm, CommentFilterForm


def moderated_comments(request, *, on="posts"):
    """Every comment of the blog for editors and up; an author sees those on their posts
    (and pages). ``on="pages"``: the comments on static pages instead."""
    if on == "pages":
        comments = PageComment.objects.filter(blog=request.blog)
        mine = Q(page__author=request.user)
    else:
        comments = Comment.objects.filter(blog=request.blog)
        mine = Q(post__author=request.user)
    membership = request.membership
    if not request.user.is_superuser and membership.role not in Membership.EDITING_ROLES:
        comments = comments.filter(mine)
    return comments


@desk_view(*MODERATORS)
@require_http_methods(["GET", "POST"])
def comments(request):
    on = "pages" if request.GET.get("on") == "pages" else "posts"
    entry = "page" if on == "pages" else "post"
    queryset = moderated_comments(request, on=on)
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
            chosen = queryset.filter(pk__in=form.cleaned_data["ids"]).select_related(entry, "blog")
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
    if wanted.get("post") and on == "posts":
        queryset = queryset.filter(post_id=wanted["post"])
    if wanted.get("q"):
        q = wanted["q"]
        queryset = queryset.filter(
            Q(body__icontains=q) | Q(author_name__icontains=q) | Q(author_email__icontains=q)
        )
    page = Paginator(
        queryset.select_related(entry, "user").order_by("-created_at", "-pk"), 50
    ).get_page(request.GET.get("page"))
    counts = dict(
        moderated_comments(request, on=on).order_by().values_list("status").annotate(n=Count("pk"))
    )
    tabs = [(value, label, counts.get(value, 0)) for value, label in Comment.Status.choices]
    pending_on_pages = (
        moderated_comments(request, on="pages").filter(status=Comment.Status.PENDING).count()
    )
    context = {"page": page, "filters": filters, "tabs": tabs, "on": on}
    context["pending_on_pages"] = pending_on_pages
    return render(request, "desk/comments.html", context)
