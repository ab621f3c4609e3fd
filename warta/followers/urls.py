from django.urls import path

from . import views, webhook

app_name = "followers"

urlpatterns = [
    path("", views.follow, name="follow"),
    path("member", views.follow_as_member, name="member"),
    path("confirm/<str:token>", views.confirm, name="confirm"),
    path("manage/<str:token>", views.manage, name="manage"),
    path("unsubscribe/<str:token>", views.unsubscribe, name="unsubscribe"),
    path("hooks/bounce", webhook.bounce, name="bounce_hook"),
]
