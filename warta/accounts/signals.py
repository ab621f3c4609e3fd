from django.dispatch import Signal

# Sent after a user's save changed what readers see of them (name, photo, bio, website):
# the pages and comment threads that show it must be rendered again. Argument: ``instance``.
public_profile_changed = Signal()
