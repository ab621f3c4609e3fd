"""A comment saved or deleted invalidates its blog's cached pages (``instance.blog_id``) and
its post's rendered thread; so does a change to a commenter's public profile."""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from warta.accounts.models import User
from warta.accounts.signals import account_closing, public_profile_changed
from warta.blogs.models import Blog
from warta.posts.models import Post

from .models import Comment, PageComment


@receiver(post_save, sender=Comment, dispatch_uid="bump-comment-save")
@receiver(post_delete, sender=Comment, dispatch_uid="bump-comment-delete")
def bump_blog_of_comment(sender, instance, **kwargs):
    if not kwargs.get("raw"):
        Post.objects.filter(pk=instance.post_id).threads_changed()
        Blog(pk=instance.blog_id).bump_generation()


@receiver(post_save, sender=PageComment, dispatch_uid="bump-page-comment-save")
@receiver(post_delete, sender=PageComment, dispatch_uid="bump-page-comment-delete")
def bump_blog_of_page_comment(sender, instance, **kwargs):
    """A page's thread is rendered with the page: its blog's cached pages go."""
    if not kwargs.get("raw"):
        Blog(pk=instance.blog_id).bump_generation()


@receiver(public_profile_changed, dispatch_uid="bump-commenter-profile")
@receiver(pre_delete, sender=User, dispatch_uid="bump-commenter-delete")
def bump_threads_of_commenter(sender, instance, **kwargs):
    """Their name is on every comment they wrote; a deleted account's becomes anonymous."""
    comments = Comment.objects.filter(user=instance)
    Post.objects.filter(pk__in=comments.values("post_id")).threads_changed()
    for blog_id in set(comments.values_list("blog_id", flat=True).distinct()):
        Blog(pk=blog_id).bump_generation()


@receiver(account_closing, dispatch_uid="forget-closed-account")
def forget_closed_account(sender, user, erase_comments, **kwargs):
    from .services import forget_commenter

    forget_commenter(user=user, erase=erase_comments)
