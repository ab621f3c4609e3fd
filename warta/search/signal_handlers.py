"""A post or a page saved is indexed again (or dropped from the index when it is no longer
published); a blog saved with another language loses the documents stemmed in the old one.
Deletes need nothing here: the database drops the document (``sql.py``)."""

from django.db.models.signals import post_save

from warta.blogs.models import Blog
from warta.posts.models import Page, Post

from .index import drop_other_languages, index_entry


def index_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    index_entry(instance)


for model in (Post, Page):
    post_save.connect(index_saved, sender=model, dispatch_uid=f"search-index-{model.__name__}")


def restem_blog(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and "language" not in update_fields):
        return
    drop_other_languages(instance)


post_save.connect(restem_blog, sender=Blog, dispatch_uid="search-blog-language")
