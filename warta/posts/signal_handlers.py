"""A change a reader could see invalidates the blog's cached pages.

Sent by Django's ``post_save``/``post_delete`` for Post, Page, Label and Redirect
(``instance`` carries ``blog_id``); ``m2m_changed`` for a post's labels.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from warta.blogs.models import Blog

from .models import Label, Page, Post, Redirect


def bump_blog_of(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    Blog(pk=instance.blog_id).bump_generation()


for model in (Post, Page, Label, Redirect):
    post_save.connect(bump_blog_of, sender=model, dispatch_uid=f"bump-save-{model.__name__}")
    post_delete.connect(bump_blog_of, sender=model, dispatch_uid=f"bump-del-{model.__name__}")


@receiver(m2m_changed, sender=Post.labels.through, dispatch_uid="bump-post-labels")
def bump_on_labels(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, Post):
        Blog(pk=instance.blog_id).bump_generation()
