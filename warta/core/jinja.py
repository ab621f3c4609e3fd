"""The Jinja2 environment of reader pages.

Readers' pages (the article, lists, pages, the 404) are Jinja2 templates: they compile to
Python functions, and an article page renders in a tenth of the time the Django template
language took (see docs/performance.md). Forms and the desk stay in Django templates; both
share the masthead and footer in ``core/jinja2/chrome/`` (the ``{% chrome %}`` tag).

Translatable text is written ``_("…")``, which is also the Django template syntax that
``makemessages`` extracts; plurals are made in Python with ``ngettext``.
"""

import jinja2
from django.templatetags.static import static
from django.utils import dateformat, timezone, translation
from markupsafe import Markup

from warta.reader.text import comment_count

from .markup import lazy_images


def date(value, format_string):
    """The ``date`` filter of Django templates: the active time zone and language."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return dateformat.format(value, format_string)


def environment(**options):
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(translation.gettext, translation.ngettext, newstyle=False)
    env.globals.update(
        static=static, language=translation.get_language, comment_count=comment_count
    )
    env.filters.update(date=date, lazy_images=lambda html: Markup(lazy_images(html)))
    return env
