"""An invitation in a real Chromium: the link opened signed out leads to sign-in and back; a
forwarded link gets another account nothing, the invited address gets the role."""

import pytest
from allauth.account.models import EmailAddress

from warta.blogs.models import Invitation, Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Rahasia-panjang-9"


def verified_reader(make_user, email):
    user = make_user(email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def sign_in_from_the_invitation(page, url, email):
    page.goto(url)
    assert "This invitation is for tamu@example.com." in page.locator(".membership").inner_text()
    page.get_by_role("link", name="Sign in to accept the invitation").click()
    page.locator("input[name=login]").fill(email)
    page.get_by_placeholder("Password", exact=True).fill(PASSWORD)
    page.locator("form").filter(has=page.locator("input[type=password]")).get_by_role(
        "button", name="Sign In", exact=True
    ).click()
    page.wait_for_url(url)


def test_only_the_invited_address_accepts_the_invitation(
    browser, page, blog_url, make_blog, make_member, make_user
):
    blog = make_blog(membership_open=False, language="en")
    invitation = Invitation.objects.create(
        blog=blog, email="tamu@example.com", role="admin", invited_by=make_member(blog, "owner")
    )
    url = blog_url(blog, invitation.get_absolute_url())
    stranger = verified_reader(make_user, "penerus@example.com")
    invited = verified_reader(make_user, "tamu@example.com")

    sign_in_from_the_invitation(page, url, "penerus@example.com")
    refusal = page.get_by_role("alert").inner_text()
    assert refusal.startswith("This invitation was sent to tamu@example.com")
    assert page.get_by_role("button", name="Accept the invitation").count() == 0
    assert not blog.is_member(stranger)

    context = browser.new_context()
    try:
        other = context.new_page()
        sign_in_from_the_invitation(other, url, "tamu@example.com")
        other.get_by_role("button", name="Accept the invitation").click()
        other.wait_for_url(blog_url(blog, "/"))
    finally:
        context.close()
    assert blog.role_of(invited) == Membership.Role.ADMIN
    assert not blog.is_member(stranger)
