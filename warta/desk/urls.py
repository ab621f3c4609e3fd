from django.urls import path

from . import (
    appearance,
    blog_settings,
    creation,
    editing,
    media,
    pages,
    redirects,
    stats_views,
    subscribers,
    team,
    uploads,
    views,
)

app_name = "desk"

urlpatterns = [
    path("", editing.home, name="home"),
    path("posts/new/", editing.editor, name="new_post"),
    path("posts/new/autosave/", editing.autosave, name="autosave_new"),
    path("posts/new/preview/", editing.preview, name="preview_new"),
    path("posts/<int:pk>/", editing.editor, name="edit_post"),
    path("posts/<int:pk>/action/", editing.post_action, name="post_action"),
    path("posts/<int:pk>/autosave/", editing.autosave, name="autosave_post"),
    path("posts/<int:pk>/preview/", editing.preview, name="preview_post"),
    path("posts/<int:pk>/share/", editing.share, name="share_post"),
    path("posts/<int:pk>/revisions/", editing.revisions, name="revisions"),
    path("posts/<int:pk>/revisions/diff/", editing.diff, name="diff"),
    path(
        "posts/<int:pk>/revisions/<int:revision_pk>/restore/",
        editing.restore_revision,
        name="restore_revision",
    ),
    path("posts/<int:pk>/corrections/", editing.add_correction, name="add_correction"),
    path("pages/", pages.page_list, name="pages"),
    path("pages/new/", pages.page_editor, name="new_page"),
    path("pages/<int:pk>/", pages.page_editor, name="edit_page"),
    path("pages/<int:pk>/action/", pages.page_action, name="page_action"),
    path("share/<str:token>/", editing.shared, name="shared"),
    path("welcome/<str:uidb64>/<str:token>/", editing.welcome, name="welcome"),
    path("comments/", views.comments, name="comments"),
    path("images/upload/", uploads.upload_image, name="upload_image"),
]

for module in (
    media,
    blog_settings,
    appearance,
    team,
    redirects,
    creation,
    subscribers,
    stats_views,
):
    urlpatterns += module.urlpatterns
