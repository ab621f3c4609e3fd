"""Signals of posts, for apps above them (followers mail a new post to its blog's readers)."""

from django.dispatch import Signal

# A post became public: saved as published from another status, or published on schedule.
# Sent after the transaction that published it is committed. Arguments: ``post``.
post_published = Signal()


def announce_published(post) -> None:
    """Send ``post_published`` for ``post`` once the current transaction commits."""
    from django.db import transaction

    transaction.on_commit(lambda: post_published.send(sender=type(post), post=post))
