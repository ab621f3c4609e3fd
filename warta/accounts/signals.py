from django.dispatch import Signal

# Sent after a user's save changed what readers see of them (name, photo, bio, website):
# the pages and comment threads that show it must be rendered again. Argument: ``instance``.
public_profile_changed = Signal()

# Sent inside the transaction that deletes an account, before the row goes: the apps that
# hold what the person wrote keep it as from a deleted user, or erase it. Arguments:
# ``user``, ``erase_comments`` (the person asked for their comments to go too).
account_closing = Signal()
