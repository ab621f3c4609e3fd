"""The tabs over the desk's lists of posts and of pages: one a status, each with its count."""

from django.db.models import Count

from warta.posts.models import Status


def status_tabs(request, items, order):
    """The status ``?status=`` chose (drafts when it names no tab of ``order``) and the tabs,
    ``(status, label, count)`` in ``order``, counted over ``items``."""
    chosen = request.GET.get("status", Status.DRAFT)
    if chosen not in order:
        chosen = Status.DRAFT
    counts = dict(items.order_by().values_list("status").annotate(n=Count("pk")))
    return chosen, [(value, Status(value).label, counts.get(value, 0)) for value in order]
