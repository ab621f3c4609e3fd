from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "warta.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        # Sent per app with models; this app has none, and posts is what gets rebuilt.
        post_migrate.connect(restore_sqlite_triggers, sender=self.apps.get_app_config("posts"))


def restore_sqlite_triggers(*, using, **kwargs):
    """A later posts migration may rebuild ``posts_post`` on SQLite, which drops the search
    triggers with the old table: after every ``migrate``, put them back (and re-index)."""
    from django.db import connections

    from .sql import ensure_sqlite_index

    connection = connections[using]
    if (
        connection.vendor == "sqlite"
        and "search_post_fts" in connection.introspection.table_names()
    ):
        ensure_sqlite_index(connection)
