"""The edit window a comment's writer has, asserted the same way for every kind of writer."""

import datetime

from django.utils import timezone

from warta.comments.models import Comment


def assert_editable_for_fifteen_minutes(client, comment, host, corrected):
    """The writer behind ``client`` corrects ``comment``; sixteen minutes on, a change is
    refused and the correction stays."""
    url = f"/comments/{comment.pk}/edit"
    assert client.post(url, {"body": corrected}, HTTP_HOST=host).status_code == 303
    comment.refresh_from_db()
    assert comment.body == corrected
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=16)
    )
    assert client.post(url, {"body": "Terlambat"}, HTTP_HOST=host).status_code == 403
    comment.refresh_from_db()
    assert comment.body == corrected
