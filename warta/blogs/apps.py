from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlogsConfig(AppConfig):
    name = "warta.blogs"
    label = "blogs"
    verbose_name = _("Blogs")

    def ready(self):
        from . import signal_handlers  # noqa: F401
