"""Reader pages' dates read exactly as Django's date filter writes them."""

import datetime

import pytest
from django.utils import dateformat, translation

from warta.core.dates import DateWords

# Every weekday and every month at least once, single- and double-digit days and hours.
MOMENTS = [
    datetime.datetime(2016, month, 4 + month, month + 5, 7 * month % 60) for month in range(1, 13)
]


@pytest.mark.parametrize("language", ["id", "en"])
def test_long_dates_and_comment_times_match_the_date_filter(language):
    words = DateWords.of(language)
    with translation.override(language):
        for when in MOMENTS:
            assert words.long_date(when) == dateformat.format(when, "l, j F Y")
            assert words.date_time(when) == dateformat.format(when, "j F Y, H:i")


def test_the_names_are_the_languages_own():
    when = datetime.datetime(2026, 11, 25)
    assert DateWords.of("id").long_date(when) == "Rabu, 25 November 2026"
    assert DateWords.of("en").long_date(when) == "Wednesday, 25 November 2026"
