"""The subscribe box in the footer of every blog page (``follow_box(blog)`` in
``core/jinja2/layout.html``).

Readers' pages are cached and shared, so the anonymous box holds nothing personal: no CSRF
token, no cookie. Its POST (``views.follow``) defends itself: same origin, honeypot, rate
limits, double opt-in. A signed-in reader's page is personal anyway, and gets a one-click
button with the usual CSRF token."""

import jinja2
from django.template import engines
from markupsafe import Markup


@jinja2.pass_context
def follow_box(context, blog):
    path = getattr(context.get("request"), "path", "/")
    if path.startswith("/follow/"):
        return ""  # the follow pages have their own form
    user = context.get("user")
    signed_in = bool(user is not None and getattr(user, "is_authenticated", False))
    template = engines["jinja2"].env.get_template("followers/box.html")
    return Markup(
        template.render(
            blog=blog,
            signed_in=signed_in,
            csrf_input=context.get("csrf_input", "") if signed_in else "",
            next=path,
        )
    )
