"""A blog's own stylesheet: its accent colour and the owner's CSS, served as a file
(``/theme.css?v=…``) so the pages' Content-Security-Policy needs no inline style.

The owner's CSS is checked before it is stored, and again before it is served (a row
written by other means must not slip through): no HTML that could end a ``<style>``, no
``@import``, nothing loaded from another site (reader pages make no third-party requests),
no old script hooks. CSS escapes and comments are undone first, so ``@\\69mport`` or
``u/**/rl(`` do not pass for something else.
"""

import hashlib
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 50 * 1024

HEX_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\r\n\f]?")
CHAR_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.DOTALL)
URL_ARGUMENT = re.compile(r"url\(\s*(?P<quote>['\"]?)(?P<address>.*?)(?P=quote)\s*\)", re.DOTALL)
STRING = re.compile(r"\"([^\"]*)\"|'([^']*)'")
HTML = re.compile(r"<\s*[/!a-z]")
SCHEME = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)")
REMOTE_STRING = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//[^/\s]")
ACCENT = re.compile(r"#[0-9a-fA-F]{6}")
SCRIPT_HOOKS = ("javascript:", "vbscript:", "expression(", "-moz-binding", "behavior:")


def max_bytes():
    return getattr(settings, "WARTA_CUSTOM_CSS_MAX_BYTES", DEFAULT_MAX_BYTES)


def unescaped(css):
    """``css`` as a browser reads it for matching: comments gone, escapes undone, lower case."""

    def code_point(match):
        value = int(match.group(1), 16)
        return chr(value) if 0 < value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else "\ufffd"

    text = COMMENT.sub("", css)
    text = HEX_ESCAPE.sub(code_point, text)
    text = CHAR_ESCAPE.sub(lambda match: "" if match.group(1) == "\n" else match.group(1), text)
    return text.lower()


def validate_custom_css(css):
    """Raise ``ValidationError`` (in the active language) for CSS a reader page must not load."""
    size = len(css.encode())
    if size > max_bytes():
        raise ValidationError(
            _("The custom CSS is too long (%(size)s); at most %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes())},
            code="too_long",
        )
    if "\x00" in css:
        raise ValidationError(_("The custom CSS contains a null character."), code="null")
    text = unescaped(css)
    if html := HTML.search(text):
        raise ValidationError(
            _("The custom CSS may not contain HTML (“%(found)s”).")
            % {"found": text[html.start() : html.end() + 8].strip()},
            code="html",
        )
    if "@import" in text:
        raise ValidationError(
            _("The custom CSS may not use @import: write the rules here instead."), code="import"
        )
    for hook in SCRIPT_HOOKS:
        if hook in text:
            raise ValidationError(
                _("The custom CSS may not use “%(found)s”.") % {"found": hook}, code="script"
            )
    addresses = [match.group("address").strip() for match in URL_ARGUMENT.finditer(text)]
    remote = [a for a in addresses if SCHEME.match(a) and not a.startswith("data:")]
    remote += [
        quoted
        for pair in STRING.findall(text)
        for quoted in pair
        if quoted and REMOTE_STRING.match(quoted) and not quoted.strip().startswith("data:")
    ]
    if remote:
        raise ValidationError(
            _(
                "The custom CSS may not load anything from another site (“%(address)s”): "
                "reader pages make no requests to third parties. Use a file on this blog "
                "instead, or leave it out."
            )
            % {"address": remote[0][:80]},
            code="remote",
        )


def is_safe(css):
    try:
        validate_custom_css(css)
    except ValidationError:
        return False
    return True


def version(theme, accent_color, custom_css):
    text = f"{theme}\x00{accent_color}\x00{custom_css}"
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def build(blog) -> str:
    """The text of ``blog``'s own stylesheet."""
    parts = []
    if ACCENT.fullmatch(blog.accent_color or ""):
        parts.append(f":root{{--accent:{blog.accent_color}}}")
    if blog.custom_css and is_safe(blog.custom_css):
        parts.append(blog.custom_css)
    return "\n".join(parts) + "\n"
