from django.urls import path, re_path

from . import stylesheet, views

app_name = "reader"

urlpatterns = [
    path("", views.home, name="home"),
    re_path(r"^(?P<year>\d{4})/(?P<month>\d{2})/(?P<slug>[^/]+)\.html$", views.post, name="post"),
    re_path(r"^p/(?P<slug>[^/]+)\.html$", views.page, name="page"),
    re_path(r"^search/label/(?P<name>[^/]+)/?$", views.label, name="label"),
    path("search", views.search, name="search"),
    re_path(r"^(?P<year>\d{4})/$", views.archive, name="archive-year"),
    re_path(r"^(?P<year>\d{4})/(?P<month>\d{2})/$", views.archive, name="archive-month"),
    path("profile/<int:pk>", views.author, name="author"),
    path("theme.css", stylesheet.blog_stylesheet, name="stylesheet"),
]
