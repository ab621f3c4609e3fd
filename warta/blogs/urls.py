from django.urls import path

from . import views

app_name = "blogs"

urlpatterns = [
    path("join", views.join, name="join"),
    path("leave", views.leave, name="leave"),
    path("invite/<str:token>", views.invitation, name="invitation"),
]
