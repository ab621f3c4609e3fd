"""Desk pages: blog_settings."""

urlpatterns = []
