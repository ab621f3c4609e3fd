from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "warta.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from . import signal_handlers  # noqa: F401

        # Sent per app with models: posts is what gets rebuilt, search is where the table is.
        for sender in (self.apps.get_app_config("posts"), self):
            post_migrate.connect(
                restore_sqlite_triggers, sender=sender, dispatch_uid=f"search-{sender.label}"
            )


def restore_sqlite_triggers(*, using, **kwargs):
    """A later migration may rebuild ``posts_post``, ``posts_page`` or ``search_document`` on
    SQLite, which drops the search triggers with the old table: after every ``migrate``,
    put them back (and fill the FTS5 table again)."""
    from django.db import connections

    from warta.blogs.models import Blog

    from .sql import ensure_sqlite_index

    connection = connections[using]
    if (
        connection.vendor == "sqlite"
        and "search_document" in connection.introspection.table_names()
        and ensure_sqlite_index(connection)
    ):
        # Searches made meanwhile missed documents: forget their kept results and pages.
        for blog in Blog.objects.using(using).only("pk"):
            blog.bump_generation()
