"""Desk pages: a new blog. A signed-in person creates one where the operator allows it
(``WARTA_BLOG_CREATION``: "staff", the default, "anyone" or "none"); they become its owner
and land in its desk, on its own host.

The page is ``/desk/new-blog/`` on any host Warta answers: a blog's (the desk of every blog
links to it) and the bare ``WARTA_DOMAIN``, which serves the default blog, or nothing yet on
a fresh install. Sessions are per host, so the way into the new blog's desk is the one-time
sign-in link ``warta blog create`` prints too (``blogs.signin``): it signs the creator in on
the new host and opens ``/desk/`` there."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from warta.blogs import services
from warta.blogs.signin import sign_in_path

from .team_forms import NewBlogForm


@require_http_methods(["GET", "POST"])
@login_required
def new_blog(request):
    if not services.may_create_blog(request.user):
        raise PermissionDenied
    form = NewBlogForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        blog = services.create_blog(owner=request.user, **form.cleaned_data)
        return redirect(blog.base_url + sign_in_path(request.user))
    return render(request, "desk/new_blog.html", {"form": form})


urlpatterns = [
    path("new-blog/", new_blog, name="new_blog"),
]
