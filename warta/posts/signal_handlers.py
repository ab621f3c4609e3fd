"""A change a reader could see invalidates the blog's cached pages.

Sent by Django's ``post_save``/``post_delete`` for Post, Page, Label and Redirect
(``instance`` carries ``blog_id``); ``m2m_changed`` for a post's labels.
"""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from warta.accounts.signals import public_profile_changed
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


@receiver(public_profile_changed, dispatch_uid="bump-author-profile")
def bump_blogs_of_author(sender, instance, **kwargs):
    """An author's name and box are on their posts and on their author page."""
    refresh_bylines(instance)
    blog_ids = Post.objects.filter(author=instance).values_list("blog_id", flat=True)
    for blog_id in set(blog_ids.distinct()):
        Blog(pk=blog_id).bump_generation()


def refresh_bylines(person):
    """The names kept on each post ``person`` writes or co-writes, in byline order."""
    User = type(person)
    coauthored = Post.coauthors.through.objects.filter(user=person).values("post_id")
    posts = Post.objects.filter(Q(author=person) | Q(pk__in=coauthored))
    for pk, ids in posts.values_list("pk", "byline_ids").iterator():
        ids = ids or [person.pk]
        people = User.objects.in_bulk(ids)
        names = [people[i].name for i in ids if i in people]
        Post.objects.filter(pk=pk).update(byline_names=names)
