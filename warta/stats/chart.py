"""Views per day as bars of an SVG drawn on the server: the page needs no chart script,
and the same numbers go in a table beside it for screen readers and copying."""

import datetime
from typing import NamedTuple

WIDTH = 720
HEIGHT = 200
TOP = 16  # room for the largest value's label
BOTTOM = 20  # room for the first and last day


class Bar(NamedTuple):
    day: datetime.date
    views: int
    x: float
    y: float
    width: float
    height: float


class Chart(NamedTuple):
    bars: list
    highest: int
    width: int
    height: int
    baseline: int
    first: datetime.date
    last: datetime.date

    @property
    def busiest(self):
        return max(self.bars, key=lambda bar: (bar.views, bar.day))


def days_chart(per_day, first, last):
    """Bars for every day from ``first`` to ``last`` (days without views at zero)."""
    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    highest = max([per_day.get(day, 0) for day in days] + [0])
    room = HEIGHT - TOP - BOTTOM
    step = WIDTH / len(days)
    gap = step * 0.15 if step > 3 else 0
    bars = []
    for index, day in enumerate(days):
        views = per_day.get(day, 0)
        height = round(room * views / highest, 2) if highest else 0
        bars.append(
            Bar(
                day=day,
                views=views,
                x=round(index * step + gap / 2, 2),
                y=round(TOP + room - height, 2),
                width=round(step - gap, 2),
                height=height,
            )
        )
    return Chart(bars, highest, WIDTH, HEIGHT, HEIGHT - BOTTOM, first, last)
