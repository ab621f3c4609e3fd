"""Desk pages: team."""

urlpatterns = []
