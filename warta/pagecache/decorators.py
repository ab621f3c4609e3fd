"""How a view opts in to the page cache, as ``csrf_exempt`` marks a view."""


def page_cached(view):
    """Mark a reader's view: its anonymous GET pages may be stored and answered before
    Django, and its misses take the readers' short middleware chain (``handlers``).
    The view itself is returned, marked: a hit's path has no wrapper to call."""
    view.page_cached = True
    return view


def is_page_cached(view):
    return getattr(view, "page_cached", False)
