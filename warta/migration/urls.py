from django.urls import path

from . import views

app_name = "migration"

urlpatterns = [
    path("", views.export_page, name="export"),
    path("<slug:kind>/", views.export_download, name="export-download"),
]
