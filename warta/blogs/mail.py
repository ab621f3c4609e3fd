"""The invitation mail: in the blog's language, plain text and HTML, with the link built on
the blog's canonical address (``Blog.base_url``), never on a request's Host."""

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from .models import Invitation, Membership


def send_invitation(invitation: Invitation) -> None:
    """Mail ``invitation`` (a member's invitation or an ownership offer) to its address."""
    blog = invitation.blog
    inviter = invitation.invited_by
    with translation.override(blog.language):
        context = {
            "blog": blog,
            "invitation": invitation,
            "inviter": inviter.name if inviter else blog.title,
            "role": invitation.get_role_display(),
            "url": blog.base_url + invitation.get_absolute_url(),
            "blog_url": blog.base_url + "/",
            "ownership": invitation.role == Membership.Role.OWNER,
        }
        if context["ownership"]:
            subject = gettext("Take over the ownership of %(title)s") % {"title": blog.title}
        else:
            subject = gettext("You are invited to %(title)s") % {"title": blog.title}
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("blogs/mail/invitation.txt", context),
            to=[invitation.email],
        )
        message.attach_alternative(
            render_to_string("blogs/mail/invitation.html", context), "text/html"
        )
        message.send()
