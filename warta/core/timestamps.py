"""Blogger's timestamps in addresses: ``updated-max=2016-12-08T10:30:00-08:00``.

Blogger writes them in the blog's time zone, to the second, or to the millisecond in feeds
(``2016-12-08T10:30:00.000-08:00``). Links and scripts written against Blogger send both, and
sometimes a bare date or an unescaped ``+`` (which a query string reads as a space)."""

import datetime
import re

STRICT = re.compile(
    r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{3}|\.\d{6})?(?:Z|[+-]\d\d:\d\d)", re.ASCII
)
LOOSE = re.compile(
    r"\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d{1,6})?)?)?(?:Z|[+-]\d\d:?\d\d)?", re.ASCII
)


def is_canonical(value: str) -> bool:
    """A full timestamp with its offset, as Blogger and Warta write one: one spelling per
    instant and offset, so a page cache keyed by it cannot be filled by respellings."""
    return bool(STRICT.fullmatch(value)) and parse(value, datetime.UTC) is not None


def parse(value: str, tz) -> datetime.datetime | None:
    """An aware datetime, or None. A timestamp without an offset, or a bare date, is read
    in ``tz`` (the blog's time zone), as Blogger reads it."""
    value = value.strip()
    if len(value) > 10 and value[-6] == " ":  # "…10:30:00 07:00": a "+" sent unescaped
        value = value[:-6] + "+" + value[-5:]
    if not LOOSE.fullmatch(value):
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment


def write(moment: datetime.datetime, tz) -> str:
    """``moment`` in ``tz`` as Blogger's links write it: to the second, or finer when the
    moment has a fraction (a link must name its post's moment exactly to page after it)."""
    local = moment.astimezone(tz)
    if local.microsecond == 0:
        return local.isoformat(timespec="seconds")
    if local.microsecond % 1000 == 0:
        return local.isoformat(timespec="milliseconds")
    return local.isoformat(timespec="microseconds")
