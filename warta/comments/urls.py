from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("post/<int:post_id>", views.post_comment, name="post"),
    path("page/<int:page_id>", views.post_page_comment, name="page"),
    path("<int:pk>/edit", views.edit_comment, name="edit"),
    path("<int:pk>/delete", views.delete_comment, name="delete"),
    path("unsubscribe/<str:token>", views.unsubscribe, name="unsubscribe"),
]
