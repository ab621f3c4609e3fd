"""Hard bounces and complaints stop mail: the provider's webhook and DSN messages read by
``warta follow bounces``."""

import io
import json
import mailbox
import sys

import pytest
from django.core.management import call_command

from warta.followers.models import Subscriber

SECRET = "rahasia-webhook-yang-panjang"


@pytest.fixture
def followers(blog, make_blog):
    other = make_blog("lain")
    for on in (blog, other):
        for address in ("keras@example.com", "lunak@example.com", "marah@example.com"):
            Subscriber.objects.create(blog=on, email=address, status="confirmed")


def hook(client, body, secret=SECRET):
    return client.post(
        "/follow/hooks/bounce",
        json.dumps(body) if not isinstance(body, str) else body,
        "application/json",
        HTTP_HOST="kabar.localhost",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )


def statuses():
    return dict(Subscriber.objects.filter(blog__slug="lain").values_list("email", "status"))


def test_the_webhook_stops_mail_to_bounced_and_complaining_addresses(client, followers, settings):
    settings.WARTA_FOLLOW_WEBHOOK_SECRET = SECRET
    response = hook(
        client,
        [
            {"email": "Keras@Example.com", "type": "bounce"},
            {"email": "marah@example.com", "type": "complaint"},
        ],
    )
    assert response.status_code == 200 and response.json() == {"changed": 4}
    assert statuses() == {
        "keras@example.com": "bounced",
        "lunak@example.com": "confirmed",
        "marah@example.com": "complained",
    }


@pytest.mark.parametrize("secret", ["", "salah"])
def test_the_webhook_needs_the_shared_secret(client, followers, settings, secret):
    settings.WARTA_FOLLOW_WEBHOOK_SECRET = SECRET
    assert hook(client, {"email": "keras@example.com", "type": "bounce"}, secret).status_code == 401
    settings.WARTA_FOLLOW_WEBHOOK_SECRET = ""  # off: refuses even an empty secret
    assert hook(client, {"email": "keras@example.com", "type": "bounce"}, "").status_code == 401
    assert set(statuses().values()) == {"confirmed"}


@pytest.mark.parametrize("body", ["not json", {"email": "a@example.com", "type": "soft"}, [1]])
def test_the_webhook_refuses_what_it_cannot_read(client, followers, settings, body):
    settings.WARTA_FOLLOW_WEBHOOK_SECRET = SECRET
    assert hook(client, body).status_code == 400
    assert set(statuses().values()) == {"confirmed"}


def dsn(recipient, status, action="failed"):
    """A delivery status notification as Postfix writes it (RFC 3464)."""
    return (
        "From: MAILER-DAEMON@mx.example.com (Mail Delivery System)\n"
        "To: bounces@kabar.localhost\nSubject: Undelivered Mail Returned to Sender\n"
        "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status;\n"
        '\tboundary="B1"\n\n'
        "--B1\nContent-Description: Notification\nContent-Type: text/plain; charset=us-ascii\n\n"
        "I'm sorry to have to inform you that your message could not be delivered.\n\n"
        "--B1\nContent-Description: Delivery report\nContent-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; mx.example.com\nArrival-Date: Wed,  2 Dec 2026 06:00:00 +0700\n\n"
        f"Final-Recipient: rfc822; {recipient}\nOriginal-Recipient: rfc822;{recipient}\n"
        f"Action: {action}\nStatus: {status}\n"
        "Diagnostic-Code: smtp; 550 5.1.1 <x>: Recipient address rejected\n\n"
        "--B1\nContent-Description: Undelivered Message Headers\nContent-Type: text/rfc822-headers\n\n"
        "Subject: Kabar\n\n--B1--\n"
    ).encode()


def abuse_report(recipient):
    """An ARF complaint (RFC 5965), as a mailbox provider's feedback loop sends it."""
    return (
        "From: fbl@isp.example\nTo: abuse@kabar.localhost\nSubject: complaint\nMIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=feedback-report; boundary="b"\n\n'
        "--b\nContent-Type: text/plain\n\nA complaint.\n\n"
        "--b\nContent-Type: message/feedback-report\n\n"
        f"Feedback-Type: abuse\nUser-Agent: fbl/1.0\nVersion: 1\nOriginal-Rcpt-To: {recipient}\n\n"
        "--b\nContent-Type: message/rfc822\n\nSubject: Kabar\n\nIsi.\n--b--\n"
    ).encode()


def run_bounces(monkeypatch, data, *args):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    out = io.StringIO()
    call_command("follow", "bounces", *args, stdout=out)
    return out.getvalue()


def test_a_hard_bounce_on_stdin_stops_the_mail(monkeypatch, followers):
    out = run_bounces(monkeypatch, dsn("keras@example.com", "5.1.1"))
    assert out.strip() == "1 report(s), 2 subscription(s) stopped."
    assert statuses()["keras@example.com"] == "bounced"


def test_a_soft_bounce_changes_nothing(monkeypatch, followers):
    run_bounces(monkeypatch, dsn("lunak@example.com", "4.2.2"))
    run_bounces(monkeypatch, dsn("lunak@example.com", "5.1.1", action="delayed"))
    assert set(statuses().values()) == {"confirmed"}


def test_a_maildir_of_reports_is_read_once(followers, tmp_path):
    box = mailbox.Maildir(tmp_path / "bounces", create=True)
    box.add(mailbox.MaildirMessage(dsn("keras@example.com", "5.1.1")))
    box.add(mailbox.MaildirMessage(abuse_report("marah@example.com")))
    out = io.StringIO()
    call_command("follow", "bounces", "--maildir", str(tmp_path / "bounces"), stdout=out)
    assert out.getvalue().strip() == "2 report(s), 4 subscription(s) stopped."
    assert statuses() == {
        "keras@example.com": "bounced",
        "lunak@example.com": "confirmed",
        "marah@example.com": "complained",
    }
    again = io.StringIO()
    call_command("follow", "bounces", "--maildir", str(tmp_path / "bounces"), stdout=again)
    assert again.getvalue().strip() == "0 report(s), 0 subscription(s) stopped."
