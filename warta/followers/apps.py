from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowersConfig(AppConfig):
    name = "warta.followers"
    label = "followers"
    verbose_name = _("Followers")

    def ready(self):
        from warta.core.jinja import template_globals

        from . import signal_handlers  # noqa: F401  (connects the new-post mailing)
        from .box import follow_box

        template_globals["follow_box"] = follow_box
