"""A newly published post is mailed to the followers of its blog who want each post."""

from django.db import IntegrityError, transaction
from django.dispatch import receiver

from warta.posts.signals import post_published

from .models import Mailing, Subscriber


@receiver(post_published, dispatch_uid="followers-mail-new-post")
def mail_new_post(sender, post, **kwargs):
    from .tasks import send_mailing

    followers = Subscriber.objects.receiving(Subscriber.Frequency.EACH_POST)
    if not followers.filter(blog_id=post.blog_id).exists():
        return  # nobody to mail: no mailing, no task
    try:
        with transaction.atomic():
            mailing = Mailing.objects.create(
                blog_id=post.blog_id, kind=Mailing.Kind.POST, post=post
            )
    except IntegrityError:
        return  # published before (taken down and out again): mailed once
    send_mailing.enqueue(mailing_id=mailing.pk)
