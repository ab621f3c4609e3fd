"""The built-in themes a blog may wear: each a small stylesheet laid over ``warta.css``,
so a reader page stays within the page-weight budget whatever the owner chose."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Theme:
    key: str
    label: str
    description: str
    stylesheet: str = ""  # a static file laid over warta.css; "" for warta.css alone


THEMES = {
    theme.key: theme
    for theme in (
        Theme("kabar", _("Kabar"), _("Clear and airy, in the system's sans-serif.")),
        Theme(
            "koran",
            _("Koran"),
            _("A newspaper: serif type, a centred title between rules."),
            "warta/themes/koran.css",
        ),
        Theme(
            "ringkas",
            _("Ringkas"),
            _("Compact: smaller type and tighter lists, more on one screen."),
            "warta/themes/ringkas.css",
        ),
    )
}
DEFAULT = "kabar"


def choices():
    return [(theme.key, theme.label) for theme in THEMES.values()]


def stylesheet(key):
    theme = THEMES.get(key) or THEMES[DEFAULT]
    return theme.stylesheet
