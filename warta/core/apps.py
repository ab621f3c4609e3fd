from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def refresh_statistics_after_migrate(sender, **kwargs):
    from .sql import refresh_statistics

    refresh_statistics()


class CoreConfig(AppConfig):
    name = "warta.core"
    label = "core"
    verbose_name = _("Warta core")

    def ready(self):
        post_migrate.connect(
            refresh_statistics_after_migrate, sender=self, dispatch_uid="warta-analyze"
        )
