"""Dates as reader pages write them, without Django's general formatter.

``dateformat.format`` parses its format string and looks names up through lazy
translations on every call: about 40 µs for an article's date. The two fixed formats of
reader pages are written here from the same translated names, looked up once per
language (``core/tests/test_dates.py`` holds them equal to Django's output)."""

from functools import cache

from django.utils import translation
from django.utils.dates import MONTHS, WEEKDAYS


class DateWords:
    """Weekday and month names in one language."""

    def __init__(self, language):
        with translation.override(language):
            self.weekdays = [str(WEEKDAYS[number]) for number in range(7)]
            self.months = [""] + [str(MONTHS[number]) for number in range(1, 13)]

    @classmethod
    @cache
    def of(cls, language):
        return cls(language)

    @classmethod
    def active(cls):
        return cls.of(translation.get_language())

    def long_date(self, when):
        """``l, j F Y``: "Rabu, 25 November 2026"."""
        return f"{self.weekdays[when.weekday()]}, {when.day} {self.months[when.month]} {when.year}"

    def date_time(self, when):
        """``j F Y, H:i``: "25 November 2026, 04:30"."""
        return f"{when.day} {self.months[when.month]} {when.year}, {when.hour:02}:{when.minute:02}"
