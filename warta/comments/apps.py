from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "warta.comments"
    label = "comments"
    verbose_name = _("Comments")

    def ready(self):
        from warta.core.jinja import template_globals

        from . import signal_handlers  # noqa: F401
        from .section import page_comment_section

        # The reader's page template shows a page's comments and form with it.
        template_globals["page_comment_section"] = page_comment_section
