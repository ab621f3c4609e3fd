"""Blogger's feed parameters, as its scripts and widgets send them.

``max-results`` (default 25, at most 500, 0 for the totals alone), ``start-index`` (1 is the
first entry), ``published-min``/``published-max`` and ``updated-min``/``updated-max`` (the
lower bound included, the upper excluded, as Google's feeds define them) and ``orderby``
(``published``, the default, or ``updated``). A value that cannot be read is ignored, as
Blogger ignores it."""

from dataclasses import dataclass, field

from warta.core import timestamps
from warta.pagecache.keys import MAX_RESULTS, MAX_START

DEFAULT_RESULTS = 25
# Old names Google's feeds took for the two orders.
ORDERS = {"published": "published", "starttime": "published", "updated": "updated"}
ORDERS["lastmodified"] = "updated"
BOUNDS = {
    "published-min": ("published", "gte"),
    "published-max": ("published", "lt"),
    "updated-min": ("updated", "gte"),
    "updated-max": ("updated", "lt"),
}


def whole_number(value, *, default, low, high):
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit()):
        return default
    return min(max(int(value), low), high)


@dataclass
class FeedQuery:
    max_results: int = DEFAULT_RESULTS
    start_index: int = 1
    order: str = "published"
    bounds: dict = field(default_factory=dict)  # ("published", "gte") -> aware datetime

    @classmethod
    def from_request(cls, request, tz, *, default_results=DEFAULT_RESULTS):
        """Read only the parameters present, so the page cache sees what the feed reads."""
        query = request.GET
        bounds = {}
        for name, bound in BOUNDS.items():
            if name in query and (moment := timestamps.parse(query[name], tz)) is not None:
                bounds[bound] = moment
        return cls(
            max_results=whole_number(
                query.get("max-results"), default=default_results, low=0, high=MAX_RESULTS
            ),
            start_index=whole_number(query.get("start-index"), default=1, low=1, high=MAX_START),
            order=ORDERS.get(query.get("orderby", ""), "published"),
            bounds=bounds,
        )

    def field_bounds(self, fields):
        """This query's bounds as ``(field, lookup, moment)``; ``fields`` names the
        ``published`` and ``updated`` fields."""
        return [(fields[kind], lookup, moment) for (kind, lookup), moment in self.bounds.items()]

    def ordering(self, fields):
        return (f"-{fields[self.order]}", "-pk")

    def filtered(self, queryset, fields):
        """``queryset`` within this query's bounds. What ``openSearch:totalResults`` counts."""
        bounds = self.field_bounds(fields)
        return queryset.filter(**{f"{field}__{lookup}": at for field, lookup, at in bounds})

    def window(self, queryset, fields):
        """``(rows, more)``: this query's entries of ``queryset``, newest first, and whether
        entries follow them."""
        ordered = self.filtered(queryset, fields).order_by(*self.ordering(fields))
        return self.paged(lambda start, count: list(ordered[start : start + count]))

    def paged(self, read):
        """``(rows, more)`` of this query's page, ``read(start, count)`` giving the rows in
        order from the ``start``-th. Read as ``max_results + 1`` rows: no count is needed to
        know whether entries follow."""
        if not self.max_results:
            return [], False
        rows = read(self.start_index - 1, self.max_results + 1)
        return rows[: self.max_results], len(rows) > self.max_results
