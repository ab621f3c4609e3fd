"""The names of WXR: its namespaces and the statuses of its posts and comments."""

from warta.posts.models import Status

NAMESPACES = {
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": "http://wordpress.org/export/1.2/",
}
WP, CONTENT, EXCERPT, DC = (
    f"{{{NAMESPACES[prefix]}}}" for prefix in ("wp", "content", "excerpt", "dc")
)
# WordPress's statuses -> Warta's: only what WordPress publishes is published.
STATUS = {
    "publish": Status.PUBLISHED,
    "future": Status.SCHEDULED,
    "draft": Status.DRAFT,
    "pending": Status.DRAFT,
    "private": Status.DRAFT,
    "trash": Status.TRASHED,
}
COMMENT_STATUS = {"1": "approved", "0": "pending", "spam": "spam", "trash": "trashed"}

# The blog's settings as WordPress options in the channel (``wp:option``, which WordPress's
# importer passes over): WordPress's own names where it has the setting, ``warta_…`` where
# only Warta does, so a round trip keeps each value exactly.
OPTION_FIELDS = {
    "blogname": "title",
    "blogdescription": "tagline",
    "warta_description": "description",
    "timezone_string": "time_zone",
    "posts_per_page": "posts_per_page",
    "warta_language": "language",
    "warta_comment_policy": "comment_policy",
    "warta_moderation": "moderation",
    "warta_moderation_delay_days": "moderation_delay_days",
    "warta_membership_open": "membership_open",
    "disallowed_keys": "comment_blocklist",
}
