"""Counted phrases of reader pages. Plurals are made here, in Python, where
``makemessages`` finds them (it reads only ``_("…")`` in Jinja2 templates)."""

from django.utils.translation import ngettext


def comment_count(count: int) -> str:
    return ngettext("%(counter)s comment", "%(counter)s comments", count) % {"counter": count}
