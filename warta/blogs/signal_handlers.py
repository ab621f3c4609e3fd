"""A blog's settings saved invalidates its cached pages (title, tagline, policy are on every page)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from warta.pagecache.worker import forget_generation

from .models import Blog


@receiver(post_save, sender=Blog, dispatch_uid="bump-blog-save")
def bump_blog(sender, instance, raw=False, **kwargs):
    if not raw:
        instance.bump_generation()


@receiver(post_delete, sender=Blog, dispatch_uid="forget-blog-delete")
def forget_deleted_blog(sender, instance, **kwargs):
    """Workers remember blogs by their token: a deleted blog's token must go too."""
    forget_generation(instance.pk)
