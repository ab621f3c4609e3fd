from django.apps import AppConfig


class ReaderConfig(AppConfig):
    name = "warta.reader"
    label = "reader"

    def ready(self):
        from warta.core.jinja import template_globals

        from . import heads, reading
        from .text import comment_count

        template_globals["comment_count"] = comment_count
        # The head of every reader page (heads.py) and what to read on (reading.py).
        template_globals.update(
            og_locale=heads.og_locale,
            share_image=heads.share_image,
            list_canonical=heads.list_canonical,
            home_json_ld=heads.home_json_ld,
            blog_reading=reading.blog_reading,
            post_reading=reading.post_reading,
            reading_aside=reading.aside_html,
        )
