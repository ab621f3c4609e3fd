"""Desk pages: stats_views."""

urlpatterns = []
