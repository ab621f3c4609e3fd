"""The reader's side of follow by e-mail: the page of its own and the box's POST, the
confirmation link, the manage-my-subscription page and one-click unsubscribe."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from warta.comments.views import same_origin
from warta.core.clientip import client_ip
from warta.core.decorators import blog_required

from . import services
from .forms import FollowForm, ManageForm, MemberFollowForm
from .models import Subscriber
from .tokens import subscriber_for_confirmation, subscriber_for_manage_token


def follow_page(request, form, *, status=200, message=""):
    membership = None
    if request.user.is_authenticated:
        membership = Subscriber.objects.filter(
            blog=request.blog, email=request.user.email.lower()
        ).first()
    return render(
        request,
        "followers/follow.html",
        {"form": form, "message": message, "subscription": membership},
        status=status,
    )


@csrf_exempt  # the box is on cached pages, which carry no token: see box.py
@require_http_methods(["GET", "POST"])
@blog_required
def follow(request):
    if request.method == "GET":
        return follow_page(request, FollowForm(initial={"email": request.GET.get("email", "")}))
    form = FollowForm(request.POST)
    if not same_origin(request):
        return follow_page(
            request, form, status=403, message=_("This form must be sent from the blog's page.")
        )
    if not form.is_valid():
        return follow_page(request, form, status=400)
    try:
        services.subscribe(
            blog=request.blog,
            email=form.cleaned_data["email"],
            frequency=form.cleaned_data["frequency"],
            ip=client_ip(request),
        )
    except services.FollowRefused as refusal:
        return follow_page(request, form, status=refusal.status, message=refusal.message)
    return render(request, "followers/sent.html", {"email": form.cleaned_data["email"].lower()})


@require_POST
@blog_required
def follow_as_member(request):
    if not request.user.is_authenticated:
        return redirect_to_login("/follow/")
    form = MemberFollowForm(request.POST)
    frequency = form.cleaned_data["frequency"] if form.is_valid() else ""
    try:
        services.follow_as_member(
            blog=request.blog,
            user=request.user,
            frequency=frequency or Subscriber.Frequency.EACH_POST,
        )
    except services.FollowRefused as refusal:
        return follow_page(request, FollowForm(), status=refusal.status, message=refusal.message)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/follow/"
    return render(request, "followers/following.html", {"back": target})


def link_invalid(request, reason="invalid"):
    return render(request, "followers/link_invalid.html", {"reason": reason}, status=400)


def manage_link(view):
    """Hands ``view`` the subscriber whose manage link the request follows, with the link's
    token; a link that names nobody of this blog gets the invalid-link page."""

    @wraps(view)
    def wrapped(request, token):
        subscriber = subscriber_for_manage_token(token, request.blog)
        if subscriber is None:
            return link_invalid(request)
        return view(request, subscriber, token)

    return wrapped


@csrf_exempt  # the signed token is the proof; mail scanners only GET, and GET changes nothing
@require_http_methods(["GET", "POST"])
@blog_required
def confirm(request, token):
    subscriber, reason = subscriber_for_confirmation(token)
    if subscriber is None or subscriber.blog_id != request.blog.pk:
        return link_invalid(request, reason or "invalid")
    if request.method == "POST":
        services.confirm(subscriber)
        subscriber.refresh_from_db()
        return render(request, "followers/confirmed.html", {"subscriber": subscriber})
    return render(request, "followers/confirm.html", {"subscriber": subscriber})


@csrf_exempt  # the token in the address is the proof; the reader has no cookie here
@require_http_methods(["GET", "POST"])
@blog_required
@manage_link
def manage(request, subscriber, token):
    form = ManageForm(request.POST or None, initial={"frequency": subscriber.frequency})
    saved = False
    if request.method == "POST":
        if "unsubscribe" in request.POST:
            services.unsubscribe(subscriber)
            return render(request, "followers/unsubscribed.html", {"token": token})
        if form.is_valid():
            services.set_frequency(subscriber, form.cleaned_data["frequency"])
            subscriber.refresh_from_db()
            saved = True
    return render(
        request,
        "followers/manage.html",
        {"subscriber": subscriber, "form": form, "saved": saved, "token": token},
    )


@csrf_exempt  # RFC 8058: mail clients send the one-click POST without any cookie.
@require_http_methods(["GET", "POST"])
@blog_required
@manage_link
def unsubscribe(request, subscriber, token):
    if request.method == "POST":
        services.unsubscribe(subscriber)
        return render(request, "followers/unsubscribed.html", {"token": token})
    return render(request, "followers/unsubscribe.html", {"subscriber": subscriber, "token": token})
