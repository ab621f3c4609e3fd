"""Imports in the browser: upload a backup, watch it run in the worker, read the report."""

from django.urls import path

from . import import_views

app_name = "migration_import"

urlpatterns = [
    path("", import_views.import_start, name="start"),
    path("<int:pk>/", import_views.import_status, name="job"),
    path("<int:pk>/status.json", import_views.import_status_json, name="job-status"),
]
