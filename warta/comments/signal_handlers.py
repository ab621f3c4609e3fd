"""A comment saved or deleted invalidates its blog's cached pages (``instance.blog_id``)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from warta.blogs.models import Blog

from .models import Comment


@receiver(post_save, sender=Comment, dispatch_uid="bump-comment-save")
@receiver(post_delete, sender=Comment, dispatch_uid="bump-comment-delete")
def bump_blog_of_comment(sender, instance, **kwargs):
    if not kwargs.get("raw"):
        Blog(pk=instance.blog_id).bump_generation()
