"""The desk's posts: the home list with its tabs, the editor (a plain form; 12b's rich
editor enhances it), publishing steps, autosave, preview, revisions, corrections, shared
preview links and the one-time sign-in link."""

import difflib
from contextlib import contextmanager

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from markupsafe import Markup

from warta.blogs.models import Membership
from warta.blogs.signin import sign_in_tokens
from warta.core.decorators import blog_required
from warta.posts import services
from warta.posts.models import Image, Label, Post, Revision, Status

from .access import MODERATORS, Rights, desk_view
from .post_forms import CorrectionForm, PostFilterForm, PostForm
from .tabs import status_tabs

PER_PAGE = 25
TAB_ORDER = [Status.DRAFT, Status.PENDING, Status.SCHEDULED, Status.PUBLISHED, Status.TRASHED]


def visible_posts(request):
    """The posts a writer sees in the desk: all of the blog's for editors and up, their own
    (as author or co-author) for an author."""
    posts = Post.objects.filter(blog=request.blog)
    rights = Rights(request)
    if not rights.edits_all:
        mine = Q(author=request.user) | Q(coauthors=request.user)
        posts = posts.filter(pk__in=Post.objects.filter(mine).values("pk"))
    return posts


@desk_view(*MODERATORS)
@require_GET
def home(request):
    blog = request.blog
    filters = PostFilterForm(request.GET)
    filters.is_valid()
    chosen = filters.cleaned_data
    posts = visible_posts(request)
    wanted, tabs = status_tabs(request, posts, TAB_ORDER)
    labels = [name.strip() for name in (chosen.get("label") or "").split(",") if name.strip()]
    listed = posts.filter(status=wanted)
    if chosen.get("q"):
        listed = listed.filter(Q(title__icontains=chosen["q"]) | Q(body__icontains=chosen["q"]))
    if chosen.get("author"):
        # As subqueries, not joins: a post with several bylines is listed once, no DISTINCT.
        coauthored = Post.coauthors.through.objects.filter(user_id=chosen["author"])
        listed = listed.filter(
            Q(author_id=chosen["author"]) | Q(pk__in=coauthored.values("post_id"))
        )
    for name in labels:
        tagged = Post.labels.through.objects.filter(label__blog=blog, label__name=name)
        listed = listed.filter(pk__in=tagged.values("post_id"))
    order = ("-published_at", "-pk") if wanted in {Status.PUBLISHED, Status.SCHEDULED} else ()
    listed = listed.select_related("author").only(
        "pk", "title", "status", "published_at", "updated_at", "path", "is_sticky", "author"
    )
    page = Paginator(listed.order_by(*order, "-updated_at", "-pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    memberships = request.user.memberships.filter(role__in=Membership.WRITING_ROLES)
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "desk/posts.html",
        {
            "tabs": tabs,
            "status": wanted,
            "filters": filters,
            "page": page,
            "query": kept.urlencode(),
            "writers": get_user_model()
            .objects.filter(memberships__blog=blog, memberships__role__in=Membership.WRITING_ROLES)
            .order_by("display_name"),
            "label_names": Label.objects.filter(blog=blog).values_list("name", flat=True)[:500],
            "other_blogs": [
                m.blog for m in memberships.select_related("blog") if m.blog_id != blog.pk
            ],
            "rights": Rights(request),
        },
    )


def editable_post(request, pk):
    post = get_object_or_404(Post.objects.select_related("blog"), blog=request.blog, pk=pk)
    if not Rights(request).can_edit(post):
        raise PermissionDenied
    return post


@desk_view(*MODERATORS)
@require_http_methods(["GET", "POST"])
def editor(request, pk=None):
    blog = request.blog
    rights = Rights(request)
    post = editable_post(request, pk) if pk else Post(blog=blog, author=request.user)
    stale = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "save")
        form = PostForm(request.POST, request.FILES, instance=post, blog=blog)
        if form.is_valid():
            if action == "preview":
                return article_preview(request, post, form.label_names(), form)
            try:
                post = perform(request, rights, post, form, action)
            except services.StaleVersion as error:
                stale, status = error, 409
                data = request.POST.copy()
                data["version"] = error.current.version
                form = PostForm(data, instance=Post.objects.get(pk=pk), blog=blog)
                form.is_valid()
                form.add_error(None, error.message)
            except services.PostError as error:
                form.add_error(None, error.message)
                status = 400
            else:
                messages.success(request, done_message(action, post))
                return redirect("desk:edit_post", pk=post.pk)
        else:
            status = 400
    else:
        form = PostForm(instance=post, blog=blog)
        if pk and request.GET.get("autosave"):
            kept = post.revisions.filter(is_autosave=True, created_by=request.user).first()
            if kept is not None:
                form = PostForm(instance=post, blog=blog, initial=form_initial(kept, post))
    autosaved = None
    if pk and not request.GET.get("autosave"):
        autosaved = (
            post.revisions.filter(
                is_autosave=True, created_by=request.user, created_at__gt=post.updated_at
            )
            .only("created_at")
            .first()
        )
    return render(
        request,
        "desk/editor.html",
        {
            "form": form,
            "post": post,
            "rights": rights,
            "stale": stale,
            "autosaved": autosaved,
            "label_names": Label.objects.filter(blog=blog).values_list("name", flat=True)[:500],
            "corrections": post.correction_notes.all() if pk else [],
            "correction_form": CorrectionForm(),
            "lead_lacks_alt": form.lead_image_lacks_alt(),
            "autosave_url": reverse("desk:autosave_post", args=[pk])
            if pk
            else reverse("desk:autosave_new"),
            "preview_url": reverse("desk:preview_post", args=[pk])
            if pk
            else reverse("desk:preview_new"),
        },
        status=status,
    )


def form_initial(revision, post):
    data = dict(revision.data)
    data["labels"] = ", ".join(data.get("labels") or [])
    data["version"] = post.version
    people = data.pop("authors", None) or []
    if people:
        data["main_author"], data["coauthors"] = people[0], people[1:]
    return data


def perform(request, rights, post, form, action):
    """One editor button: save, submit for review, publish, schedule or update."""
    was = Post.objects.filter(pk=post.pk).values_list("status", flat=True).first()
    now = timezone.now()
    when = form.cleaned_data.get("publish_at")
    status = None
    published_at = None
    if action in {"save", "update"}:
        if was is None:
            status = Status.DRAFT
        elif was == Status.PUBLISHED and not rights.can_publish:
            raise PermissionDenied  # the change would be live: a publisher's right
        elif was == Status.SCHEDULED and when:
            published_at = when
    elif action == "submit_review":
        status = Status.PENDING
    elif action == "publish":
        if not rights.can_publish:
            raise PermissionDenied
        status = Status.PUBLISHED
        if when and when <= now:
            published_at = when  # backdated on purpose
        elif was != Status.PUBLISHED:
            published_at = now
    elif action == "schedule":
        if not rights.can_publish:
            raise PermissionDenied
        if not when or when <= now:
            raise services.PostError(_("Choose a date and time in the future to schedule."))
        status, published_at = Status.SCHEDULED, when
    else:
        raise services.PostError(_("Unknown action."))
    authors = form.authors()
    if not authors:
        authors = [post.author or request.user]
    if not rights.edits_all and request.user not in authors:
        authors = [request.user, *authors]
    upload = form.cleaned_data.get("lead_image_upload")
    lead = form.cleaned_data.get("lead_image")
    with transaction.atomic(), uploaded_lead(request, form, upload) as new_lead:
        lead = new_lead or lead
        post = services.save_post(
            post,
            by=request.user,
            fields=form.content(),
            labels=form.label_names(),
            authors=authors,
            version=form.cleaned_data.get("version") if was is not None else None,
            status=status,
            published_at=published_at,
            lead_image=lead,
        )
        if post.status == Status.SCHEDULED:
            services.schedule(post)
        if action == "submit_review":
            services.request_review(post, by=request.user)
    return post


@contextmanager
def uploaded_lead(request, form, upload):
    """The lead image uploaded with the post, stored in the media library; its files are
    deleted again when saving the post fails."""
    if not upload:
        yield None
        return
    image = Image.objects.store(
        blog=request.blog,
        picture=form.lead_picture,
        upload_name=upload.name,
        alt=form.cleaned_data.get("lead_alt", ""),
        uploaded_by=request.user,
    )
    try:
        yield image
    except BaseException:
        image.delete_files()
        raise


def done_message(action, post):
    return {
        "submit_review": _("Submitted for review: the editors were told."),
        "publish": _("Published."),
        "schedule": _("Scheduled for %(time)s.")
        % {
            "time": timezone.localtime(post.published_at, post.blog.tzinfo).strftime(
                "%d-%m-%Y %H:%M"
            )
        },
    }.get(action, _("Saved."))


@desk_view(*MODERATORS)
@require_POST
def post_action(request, pk):
    """The buttons outside the form: unpublish, trash, restore, delete for good."""
    post = editable_post(request, pk)
    rights = Rights(request)
    action = request.POST.get("action")
    if action == "unpublish":
        if not rights.can_publish:
            raise PermissionDenied
        services.unpublish(post)
        messages.success(request, _("Unpublished: the post is a draft again."))
    elif action == "trash":
        if post.status == Status.PUBLISHED and not rights.can_publish:
            raise PermissionDenied
        services.trash(post)
        messages.success(request, _("Moved to the trash."))
        return redirect(reverse("desk:home") + "?status=trashed")
    elif action == "restore":
        services.restore(post)
        messages.success(request, _("Restored as a draft."))
    elif action == "delete":
        if not rights.can_delete:
            raise PermissionDenied
        services.delete_for_good(post)
        messages.success(request, _("Deleted for good."))
        return redirect(reverse("desk:home") + "?status=trashed")
    else:
        return HttpResponse(status=400)
    return redirect("desk:edit_post", pk=post.pk)


# ---------------------------------------------------------------- autosave and preview


def json_desk_view(view):
    """As ``desk_view`` for the writers, but answering JSON: the editor's script calls it."""

    @blog_required
    def wrapped(request, *args, **kwargs):
        login_url = reverse("account_login") + "?next=" + request.headers.get("Referer", "/desk/")
        if not request.user.is_authenticated:
            message = _("Your session has expired. Sign in again; your text is kept.")
            return JsonResponse({"ok": False, "error": message, "login_url": login_url}, status=401)
        membership = request.blog.membership_of(request.user)
        if not request.user.is_superuser and (
            membership is None or membership.role not in MODERATORS
        ):
            return JsonResponse({"ok": False, "error": _("You may not write here.")}, status=403)
        request.membership = membership
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    return require_POST(wrapped)


TEXT_FIELDS = [
    "title", "kicker", "body", "body_format", "excerpt", "slug", "dateline", "lead_caption",
    "lead_alt", "lead_credit", "source_name", "source_url", "language",
]  # fmt: skip


def loose_data(post_data):
    """What the editor holds, as it is: an autosave keeps even a form that would not validate."""
    data = {name: post_data.get(name, "")[:100_000] for name in TEXT_FIELDS}
    data["comments_enabled"] = post_data.get("comments_enabled") in {"on", "true", "1"}
    data["is_sticky"] = post_data.get("is_sticky") in {"on", "true", "1"}
    data["labels"] = [n.strip() for n in post_data.get("labels", "").split(",") if n.strip()]
    people = [post_data.get("main_author", ""), *post_data.getlist("coauthors")]
    data["authors"] = [int(pk) for pk in people if pk.isdigit()]
    lead = post_data.get("lead_image", "")
    data["lead_image"] = int(lead) if lead.isdigit() else None
    data["publish_at"] = post_data.get("publish_at", "")
    return data


@json_desk_view
def autosave(request, pk=None):
    rights = Rights(request)
    data = loose_data(request.POST)
    answer = {"ok": True}
    if pk is None:
        with transaction.atomic():
            post = services.save_post(
                Post(blog=request.blog, author=request.user),
                by=request.user,
                fields={
                    **{k: v for k, v in data.items() if k in services.CONTENT_FIELDS},
                    "title": data["title"].strip() or _("Untitled"),
                    "body_format": data["body_format"] or "markdown",
                    "language": data["language"] if data["language"] in {"id", "en"} else "",
                },
                labels=data["labels"],
                status=Status.DRAFT,
            )
        answer.update(
            edit_url=reverse("desk:edit_post", args=[post.pk]),
            autosave_url=reverse("desk:autosave_post", args=[post.pk]),
            preview_url=reverse("desk:preview_post", args=[post.pk]),
        )
    else:
        post = get_object_or_404(Post, blog=request.blog, pk=pk)
        if not rights.can_edit(post):
            return JsonResponse(
                {"ok": False, "error": _("You may not edit this post.")}, status=403
            )
    revision = services.autosave(post, by=request.user, data=data)
    answer.update(saved_at=revision.created_at.isoformat(), revision=revision.pk)
    return JsonResponse(answer)


@desk_view(*MODERATORS)
@require_POST
def preview(request, pk=None):
    """The editor's content rendered by the reader's article template, unsaved."""
    post = editable_post(request, pk) if pk else Post(blog=request.blog, author=request.user)
    form = PostForm(request.POST, request.FILES, instance=post, blog=request.blog)
    form.is_valid()  # a preview shows what there is, valid or not
    return article_preview(request, post, form.label_names() if form.is_valid() else [], form)


def article_preview(request, post, label_names, form=None):
    if form is not None and form.is_valid():
        post.lead_image = form.cleaned_data.get("lead_image")
        authors = form.authors()
        if authors:
            post.author = authors[0]
            post.byline_names = [a.name for a in authors]
    post.render()
    names = [n for n in label_names if n]
    known = {label.name: label for label in Label.objects.filter(blog=post.blog, name__in=names)}
    return render_article(request, post, [known.get(n) or Label(name=n) for n in names])


def render_article(request, post, labels):
    """A post as readers will see it: the reader's own template, never indexed or cached."""
    if post.published_at is None:
        post.published_at = timezone.now()
    if post.pk is None:
        post.pk = 0  # the reader's page asks for the posts around this one: none is 0
    post.reader_labels = [label for label in labels if label.pk]
    response = render(
        request,
        "reader/post.html",
        {
            "post": post,
            "labels": labels,
            "share": [],
            "canonical_url": request.build_absolute_uri(post.path or "/"),
            "lead_image_url": post.lead_image.url if post.lead_image else "",
            "lead_image_width": post.lead_image.width if post.lead_image else None,
            "lead_image_height": post.lead_image.height if post.lead_image else None,
            "json_ld": Markup("{}"),
            "comments": Markup(""),
            "is_preview": True,
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


@desk_view(*MODERATORS)
@require_POST
def share(request, pk):
    post = editable_post(request, pk)
    url = request.build_absolute_uri(reverse("desk:shared", args=[services.preview_token(post)]))
    return render(
        request,
        "desk/share.html",
        {"post": post, "share_url": url, "days": services.PREVIEW_DAYS},
    )


@never_cache
@blog_required
@require_GET
def shared(request, token):
    """A draft opened from a preview link: anyone holding the link, until it expires."""
    post = services.post_for_preview_token(token, request.blog)
    if post is None:
        raise Http404(_("This preview link has expired or is not valid."))
    return render_article(request, post, list(post.labels.all()))


# ---------------------------------------------------------------- revisions and corrections


@desk_view(*MODERATORS)
@require_GET
def revisions(request, pk):
    post = editable_post(request, pk)
    listed = post.revisions.select_related("created_by")[:200]
    return render(request, "desk/revisions.html", {"post": post, "revisions": listed})


def field_diff(old, new):
    """Lines of ``old`` against ``new``: (kind, text) with kind "same", "added" or "removed"."""
    old_lines = force_str(old or "").splitlines()
    new_lines = force_str(new or "").splitlines()
    lines = []
    for line in difflib.ndiff(old_lines, new_lines):
        code, text = line[:2], line[2:]
        if code == "+ ":
            lines.append(("added", text))
        elif code == "- ":
            lines.append(("removed", text))
        elif code == "  ":
            lines.append(("same", text))
    return lines


@desk_view(*MODERATORS)
@require_GET
def diff(request, pk):
    post = editable_post(request, pk)
    ids = [request.GET.get("a", ""), request.GET.get("b", "")]
    if not all(i.isdigit() for i in ids):
        return HttpResponse(status=400)
    found = post.revisions.select_related("created_by").in_bulk([int(i) for i in ids])
    if len(found) < len(set(ids)):
        raise Http404(_("There is no such revision."))
    older, newer = sorted((found[int(i)] for i in ids), key=lambda r: (r.created_at, r.pk))
    fields = []
    for name in ["title", "kicker", "body", "excerpt", "slug", "dateline", "source_name"]:
        a, b = older.data.get(name, ""), newer.data.get(name, "")
        if a != b:
            fields.append((Post._meta.get_field(name).verbose_name, field_diff(a, b)))
    for name, label in [("labels", _("Labels"))]:
        a, b = ", ".join(older.data.get(name, [])), ", ".join(newer.data.get(name, []))
        if a != b:
            fields.append((label, field_diff(a, b)))
    return render(
        request,
        "desk/diff.html",
        {"post": post, "older": older, "newer": newer, "fields": fields},
    )


@desk_view(*MODERATORS)
@require_POST
def restore_revision(request, pk, revision_pk):
    post = editable_post(request, pk)
    revision = get_object_or_404(Revision, post=post, pk=revision_pk)
    if post.status == Status.PUBLISHED and not Rights(request).can_publish:
        raise PermissionDenied
    services.restore_revision(revision, by=request.user)
    messages.success(request, _("The revision was restored (and saved as a new revision)."))
    return redirect("desk:edit_post", pk=post.pk)


@desk_view(*MODERATORS)
@require_POST
def add_correction(request, pk):
    post = editable_post(request, pk)
    if not Rights(request).can_correct:
        raise PermissionDenied
    if post.status != Status.PUBLISHED:
        messages.error(request, _("Only a published post takes corrections."))
        return redirect("desk:edit_post", pk=post.pk)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        services.add_correction(post, text=form.cleaned_data["text"], by=request.user)
        messages.success(request, _("The correction is shown to readers under the post."))
    else:
        messages.error(request, _("Write the correction first."))
    return redirect("desk:edit_post", pk=post.pk)


# ---------------------------------------------------------------- getting in


@never_cache
@blog_required
@require_GET
def welcome(request, uidb64, token):
    """A one-time link from ``warta blog create``/``link``: signs its person in, to the desk."""
    User = get_user_model()
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not sign_in_tokens.check_token(user, token):
        return render(request, "desk/welcome_invalid.html", status=400)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Welcome! You are signed in."))
    return redirect("desk:home")
