"""The Jinja2 environment of reader pages.

Readers' pages (the article, lists, pages, the 404) are Jinja2 templates: they compile to
Python functions, and an article page renders in a tenth of the time the Django template
language took (see docs/performance.md). Forms and the desk stay in Django templates, which
``base.html`` puts inside the same Jinja2 layout (``{% layout %}``, templatetags/shell.py).

Translatable text is written ``_("…")``, which is also the Django template syntax that
``makemessages`` extracts; plurals are made in Python with ``ngettext``. Templates are
compiled once per language with each ``_("literal")`` already translated, so a page asks
the catalogues nothing while it renders.
"""

from functools import cache

import jinja2
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static as static_url
from django.utils import dateformat, timezone, translation
from jinja2.ext import Extension
from jinja2.lexer import TOKEN_STRING, Token
from markupsafe import Markup

from .dates import DateWords
from .markup import lazy_images

# Functions that apps above core give reader templates, registered in their
# ``AppConfig.ready()`` (``reader`` adds ``comment_count``) before any template compiles.
template_globals = {}


@cache
def static(path):
    """A static file's URL: the manifest does not change while the process runs."""
    return static_url(path)


@receiver(setting_changed)
def forget_static_urls_and_translations(setting, **kwargs):
    if setting in {"STORAGES", "STATIC_URL"}:
        static.cache_clear()
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        from django.template import engines

        engines["jinja2"].env.cache.clear()  # compiled with the old translations


class TranslatedLiterals(Extension):
    """``_("literal")`` becomes the literal in the active language when a template is
    compiled; ``TranslatedEnvironment`` keeps one compiled copy per language."""

    def filter_stream(self, stream):
        window = []
        for token in stream:
            window.append(token)
            if (
                len(window) >= 4
                and window[-4].test("name:_")
                and window[-3].test("lparen")
                and window[-2].test("string")
                and window[-1].test("rparen")
            ):
                translated = translation.gettext(window[-2].value)
                window[-4:] = [Token(window[-4].lineno, TOKEN_STRING, translated)]
            while len(window) > 3:
                yield window.pop(0)
        yield from window


class TranslatedEnvironment(jinja2.Environment):
    """Jinja2's template cache, keyed by the active language as well as the name."""

    def _load_template(self, name, globals):
        if self.loader is None:
            raise TypeError("no loader for this environment specified")
        key = (translation.get_language(), name)
        template = self.cache.get(key) if self.cache is not None else None
        if template is not None and (not self.auto_reload or template.is_up_to_date):
            if globals:
                template.globals.update(globals)
            return template
        template = self.loader.load(self, name, self.make_globals(globals))
        if self.cache is not None:
            self.cache[key] = template
        return template


def date(value, format_string):
    """The ``date`` filter of Django templates: the active time zone and language."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return dateformat.format(value, format_string)


def long_date(value):
    """``date("l, j F Y")``, the article's date, without Django's formatter (core/dates.py)."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return DateWords.active().long_date(value)


def isoformat(value):
    """``date('c')`` without Django's formatter: ISO 8601 in the active time zone."""
    if value is None:
        return ""
    return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()


def environment(**options):
    # Forgiving like Django templates: ``values.name`` is empty when there are no values.
    options["undefined"] = jinja2.ChainableUndefined
    env = TranslatedEnvironment(extensions=[TranslatedLiterals], **options)
    # ``_`` of anything but a literal is translated while rendering.
    env.globals.update(
        _=translation.gettext,
        static=static,
        language=translation.get_language,
        **template_globals,
    )
    env.filters.update(
        date=date,
        long_date=long_date,
        isoformat=isoformat,
        lazy_images=lambda html: Markup(lazy_images(html)),
    )
    return env
