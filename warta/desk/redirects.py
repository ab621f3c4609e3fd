"""Desk pages: redirects."""

urlpatterns = []
