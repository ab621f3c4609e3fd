"""Follow by e-mail in a real Chromium, JavaScript off: a reader follows from the box under
an article, confirms from the mail, gets the next post, and leaves from the manage page; the
box at 360 px."""

import re

import pytest
from playwright.sync_api import expect

from warta.followers.models import Subscriber
from warta.posts import services
from warta.posts.models import Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def link(message, kind, port):
    """The ``/follow/<kind>/`` link of a received mail, pointed at the live server."""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            text = part.get_payload(decode=True).decode()
    path = re.search(rf"http://kabar\.localhost(/follow/{kind}/\S+)", text).group(1)
    return f"http://kabar.localhost:{port}{path}"


def test_a_reader_follows_confirms_and_unsubscribes(
    browser, blog, make_post, make_user, smtp, blog_url
):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 800})
    page = context.new_page()
    article = make_post(blog, title="Warga bertahan di Aleppo")
    port = blog_url(blog).rsplit(":", 1)[1].strip("/")

    page.goto(blog_url(blog, article.path))
    box = page.locator(".follow-box")
    expect(box).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    box.get_by_label("Alamat e-mail Anda").fill("sari@example.com")
    box.get_by_role("button", name="Ikuti").click()
    expect(page.get_by_role("heading", name="Periksa kotak masuk Anda")).to_be_visible()
    [confirmation] = smtp.messages
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING

    page.goto(link(confirmation, "confirm", port))
    page.get_by_role("button", name="Ya, ikuti blog ini").click()
    expect(page.get_by_role("heading", name="Langganan terkonfirmasi")).to_be_visible()
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED

    author = make_user("penulis@example.com")
    draft = make_post(blog, title="Kabar berikutnya", status=Status.DRAFT, author=author)
    services.save_post(draft, by=author, fields={}, status=Status.PUBLISHED, keep_lead_image=True)
    assert len(smtp.messages) == 2
    news = smtp.messages[1]

    page.goto(link(news, "manage", port))
    expect(page.get_by_text("sari@example.com")).to_be_visible()
    page.get_by_label("Rangkuman mingguan").check()
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Tersimpan.")).to_be_visible()
    assert Subscriber.objects.get().frequency == Subscriber.Frequency.WEEKLY
    page.get_by_role("button", name="Berhenti berlangganan").click()
    expect(page.get_by_role("heading", name="Langganan Anda sudah dihentikan")).to_be_visible()
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED
    context.close()
