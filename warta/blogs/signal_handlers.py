"""A blog's settings saved invalidates its cached pages (title, tagline, policy are on every page)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Blog


@receiver(post_save, sender=Blog, dispatch_uid="bump-blog-save")
def bump_blog(sender, instance, raw=False, **kwargs):
    if not raw:
        instance.bump_generation()
