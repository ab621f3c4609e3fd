"""A signed-in session put straight into a browser, for tests that start signed in."""

from django.conf import settings
from django.test import Client


def session_cookie(user, blog):
    """The session cookie of ``user``, signed in on ``blog``'s host."""
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "domain": f"{blog.slug}.localhost",
        "path": "/",
    }
