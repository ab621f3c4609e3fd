from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "warta.stats"
    label = "stats"
    verbose_name = _("Stats")

    def ready(self):
        from warta.core.gateway import worker_starting, worker_stopping

        from .counter import flush_at_exit, start_writer

        worker_starting.connect(start_writer, dispatch_uid="warta.stats.start")
        worker_stopping.connect(flush_at_exit, dispatch_uid="warta.stats.flush")
