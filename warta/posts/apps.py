from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostsConfig(AppConfig):
    name = "warta.posts"
    label = "posts"
    verbose_name = _("Posts and pages")

    def ready(self):
        from . import signal_handlers  # noqa: F401
