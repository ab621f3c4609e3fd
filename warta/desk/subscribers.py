"""Desk pages: subscribers."""

urlpatterns = []
