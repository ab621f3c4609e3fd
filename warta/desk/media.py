"""Desk pages: media."""

urlpatterns = []
