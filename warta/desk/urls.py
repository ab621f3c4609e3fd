from django.urls import path

from . import views

app_name = "desk"

urlpatterns = [
    path("", views.home, name="home"),
    path("comments/", views.comments, name="comments"),
    path("members/", views.members, name="members"),
]
