"""A blog's team in a real Chromium: the owner invites someone by e-mail (delivered to a
real SMTP server), the invitee follows the link from the mail in their own browser and
accepts, the owner changes their role and then removes them, and the activity list shows
each step."""

import re

import pytest
from allauth.account.models import EmailAddress

from tests.browser.sessions import session_cookie
from warta.blogs.models import Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def mail_link(message):
    """The accept link of the plain-text part of an invitation mail."""
    text = next(
        part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
        for part in message.walk()
        if part.get_content_type() == "text/plain"
    )
    (link,) = set(re.findall(r"http://\S+/invite/\S+", text))
    return link


def test_invite_accept_change_role_remove_with_the_activity_list(
    browser, page, live_server, settings, smtp, make_blog, make_member, make_user
):
    port = live_server.url.rsplit(":", 1)[1]
    settings.WARTA_PUBLIC_PORT = port  # the mail's links open this live server
    blog = make_blog("tim", title="Tim Redaksi", language="en", membership_open=False)
    owner = make_member(blog, role="owner", display_name="Olivia Owner")
    invitee = make_user("tamu@example.com", display_name="Tamu Baru")
    EmailAddress.objects.create(user=invitee, email="tamu@example.com", verified=True, primary=True)
    desk = f"http://tim.localhost:{port}/desk"

    page.context.add_cookies([session_cookie(owner, blog)])
    page.goto(f"{desk}/members/")
    page.locator("form.desk-invite").get_by_label("E-mail").fill("tamu@example.com")
    page.locator("form.desk-invite").get_by_label("Role").select_option("author")
    page.get_by_role("button", name="Send invitation").click()
    assert "The invitation was sent to tamu@example.com." in page.get_by_role("status").inner_text()

    (message,) = smtp.messages
    assert message["To"] == "tamu@example.com"
    assert message["Subject"] == "You are invited to Tim Redaksi"
    link = mail_link(message)
    assert link.startswith(f"http://tim.localhost:{port}/invite/")

    guest_context = browser.new_context()
    try:
        guest_context.add_cookies([session_cookie(invitee, blog)])
        guest = guest_context.new_page()
        guest.goto(link)
        assert "Role: Author" in guest.locator(".membership").inner_text()
        guest.get_by_role("button", name="Accept the invitation").click()
        guest.wait_for_url(f"http://tim.localhost:{port}/")
    finally:
        guest_context.close()
    assert blog.role_of(invitee) == Membership.Role.AUTHOR

    page.goto(f"{desk}/members/")
    row = page.locator("ul.desk-members > li", has_text="tamu@example.com")
    assert "Author" in row.inner_text()
    row.locator("summary").click()
    row.get_by_label("Role of Tamu Baru").select_option("editor")
    row.get_by_role("button", name="Change role").click()
    assert "Tamu Baru is now: Editor." in page.locator(".messages").inner_text()
    assert blog.role_of(invitee) == Membership.Role.EDITOR

    row = page.locator("ul.desk-members > li", has_text="tamu@example.com")
    row.locator("summary").click()
    row.get_by_role("button", name="Remove Tamu Baru").click()
    assert "Tamu Baru is no longer a member." in page.locator(".messages").inner_text()
    assert not blog.is_member(invitee)
    assert page.locator("ul.desk-members > li", has_text="tamu@example.com").count() == 0

    page.get_by_role("link", name="Activity", exact=True).click()
    entries = [
        " ".join(text.split()).split(" · ", 1)[1]
        for text in page.locator("ol.desk-activity li").all_inner_texts()
    ]
    assert entries == [
        "Olivia Owner: removed Tamu Baru <tamu@example.com> (Editor)",
        "Olivia Owner: changed the role of Tamu Baru <tamu@example.com> from Author to Editor",
        "Tamu Baru: Tamu Baru <tamu@example.com> joined as Author",
        "Olivia Owner: invited tamu@example.com as Author",
    ]


def test_the_members_page_works_at_phone_width(browser, live_server, make_blog, make_member):
    port = live_server.url.rsplit(":", 1)[1]
    blog = make_blog("tim", title="Tim Redaksi", language="en")
    owner = make_member(blog, role="owner")
    make_member(blog, role="author", display_name="Andi Penulis Dengan Nama Panjang")
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        context.add_cookies([session_cookie(owner, blog)])
        phone = context.new_page()
        phone.goto(f"http://tim.localhost:{port}/desk/members/")
        phone.locator("ul.desk-members summary").first.click()
        assert phone.get_by_role("button", name="Change role").is_visible()
        widest = phone.evaluate(
            "Math.max(...[...document.querySelectorAll('.desk *')]"
            ".map(e => e.getBoundingClientRect().right))"
        )
        assert widest <= 360, widest
    finally:
        context.close()
