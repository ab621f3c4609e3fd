from django.db import transaction

from .models import User
from .signals import account_closing


def delete_account(*, user: User, erase_comments: bool) -> None:
    """Close an account. Its comments stay as from a deleted user unless ``erase_comments``;
    posts it wrote stay on their blogs without an author."""
    with transaction.atomic():
        account_closing.send(sender=User, user=user, erase_comments=erase_comments)
        user.delete()
