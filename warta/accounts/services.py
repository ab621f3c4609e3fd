from django.db import transaction

from warta.comments.services import forget_commenter

from .models import User


def delete_account(*, user: User, erase_comments: bool) -> None:
    """Close an account. Its comments stay as from a deleted user unless ``erase_comments``;
    posts it wrote stay on their blogs without an author."""
    with transaction.atomic():
        forget_commenter(user=user, erase=erase_comments)
        user.delete()
