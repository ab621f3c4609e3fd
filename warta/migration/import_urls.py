"""Imports in the browser: upload a backup, watch it run in the worker, read the report."""

urlpatterns = []
