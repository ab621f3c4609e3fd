"""Desk pages: creation."""

urlpatterns = []
