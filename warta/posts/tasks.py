"""Background work of posts, run by the django-tasks worker that ``warta serve`` starts:
scheduled posts going live, the review-request mail to a blog's editors, the renditions of
a large uploaded image."""

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext
from django_tasks import task

from warta.blogs.models import Membership

from .models import Image, Post


@task()
def publish_scheduled(*, post_id: int) -> list[int]:
    """Enqueued for a scheduled post's time. It publishes every post then due, so a post
    whose own task was lost (rescheduled, a backend switched) still goes out."""
    from .services import publish_due

    return publish_due()


@task()
def notify_review_requested(*, post_id: int, by_id: int | None = None) -> int:
    """One mail to each editor, admin and owner of the post's blog; returns how many."""
    post = Post.objects.select_related("blog").get(pk=post_id)
    blog = post.blog
    by = get_user_model().objects.filter(pk=by_id).first()
    editors = (
        Membership.objects.filter(blog=blog, role__in=Membership.EDITING_ROLES)
        .exclude(user_id=by_id)
        .select_related("user")
    )
    addresses = sorted({m.user.email for m in editors if m.user.email})
    if not addresses:
        return 0
    with translation.override(blog.language):
        body = render_to_string(
            "posts/mail/review_requested.txt",
            {
                "post": post,
                "blog": blog,
                "by": by,
                "edit_url": f"{blog.base_url}/desk/posts/{post.pk}/",
            },
        )
        subject = gettext("Review requested: “%(title)s”") % {"title": post.title}
        for address in addresses:
            EmailMessage(subject=subject, body=body, to=[address]).send()
    return len(addresses)


@task()
def make_renditions(*, image_id: int) -> int:
    """The smaller copies and share picture of an uploaded image (``posts/images.py``);
    returns how many widths were made (0 for an image deleted meanwhile or animated)."""
    image = Image.objects.filter(pk=image_id).first()
    if image is None or not image.file:
        return 0
    image.make_renditions()
    return len(image.renditions.get("widths", {}))
