from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve


def media(request, path):
    """Uploaded files, from the folder the settings name now (tests give each their own)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    # Readers' pages first: an article is resolved at the second pattern, not after every
    # other app's (none of their paths overlaps these).
    path("", include("warta.reader.urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("warta.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    re_path(r"^" + settings.MEDIA_URL.lstrip("/") + r"(?P<path>.*)$", media),
    path("", include("warta.syndication.urls")),
    path("comments/", include("warta.comments.urls")),
    path("desk/export/", include("warta.migration.urls")),
    path("desk/import/", include("warta.migration.import_urls")),
    path("follow/", include("warta.followers.urls")),
    path("desk/", include("warta.desk.urls")),
    path("", include("warta.blogs.urls")),
]

handler404 = "warta.reader.views.page_not_found"
handler500 = "warta.reader.views.server_error"
