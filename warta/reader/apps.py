from django.apps import AppConfig


class ReaderConfig(AppConfig):
    name = "warta.reader"
    label = "reader"

    def ready(self):
        from warta.core.jinja import template_globals

        from .text import comment_count

        template_globals["comment_count"] = comment_count
