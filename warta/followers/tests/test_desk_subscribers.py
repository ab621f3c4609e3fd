"""The desk's subscribers page: owners and admins see who follows with what status, export
them as CSV, and import a FeedBurner or Mailchimp list (confirmations, never posts)."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from warta.blogs.models import Membership
from warta.followers.models import Subscriber

from .conftest import link_in, subject_of

HOST = "kabar.localhost"
# The head of Mailchimp's "subscribed" audience export.
MAILCHIMP = (
    "Email Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,"
    "CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,LAST_CHANGED,LEID,EUID,"
    "NOTES,TAGS\n"
    'sari@example.com,Sari,,2,"2019-03-01 10:00:00",,"2019-03-01 10:05:00",,,,,,,,,'
    '"2019-03-01 10:05:00",1,abc,,\n'
    'Budi@Example.com,Budi,Santoso,2,"2019-04-01 10:00:00",,,,,,,,,,,"2019-04-01",2,def,,\n'
)
FEEDBURNER = "Email,Subscribed On,Status\ndodi@example.com,2012-05-01,Active\nsari@example.com,2013-01-01,Active\n"


@pytest.fixture
def owner(blog, make_member, client):
    user = make_member(blog, role=Membership.Role.OWNER)
    client.force_login(user)
    return user


def upload(client, content, name="subscribed_members_export.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        "/desk/subscribers/",
        {"file": SimpleUploadedFile(name, data, "text/csv")},
        HTTP_HOST=HOST,
    )


def test_the_list_shows_each_status_with_its_count(client, owner, blog):
    for n, status in enumerate(["confirmed", "confirmed", "pending", "bounced"]):
        Subscriber.objects.create(blog=blog, email=f"p{n}@example.com", status=status)
    html = client.get("/desk/subscribers/", HTTP_HOST=HOST).content.decode()
    assert "(4)" in html and "Terkonfirmasi (2)" in html and "Menunggu konfirmasi (1)" in html
    assert "p3@example.com" in html
    only = client.get("/desk/subscribers/?status=pending", HTTP_HOST=HOST).content.decode()
    assert "p2@example.com" in only and "p0@example.com" not in only


def test_the_csv_export_holds_every_subscriber(client, owner, blog):
    Subscriber.objects.create(blog=blog, email="a@example.com", status="confirmed")
    Subscriber.objects.create(blog=blog, email="b@example.com")
    response = client.get("/desk/subscribers/export.csv", HTTP_HOST=HOST)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["email", "status", "frequency"]
    assert sorted(r[:2] for r in rows[1:]) == [
        ["a@example.com", "confirmed"],
        ["b@example.com", "pending"],
    ]


@pytest.mark.parametrize("role", [Membership.Role.EDITOR, Membership.Role.AUTHOR])
def test_editors_and_authors_cannot_see_subscribers(client, blog, make_member, role):
    client.force_login(make_member(blog, role=role))
    assert client.get("/desk/subscribers/", HTTP_HOST=HOST).status_code == 403
    assert client.get("/desk/subscribers/export.csv", HTTP_HOST=HOST).status_code == 403


@pytest.mark.parametrize("content", [MAILCHIMP, FEEDBURNER])
def test_an_import_sends_confirmations_and_never_a_post(
    smtp, client, owner, blog, content, publish, django_capture_on_commit_callbacks
):
    Subscriber.objects.create(
        blog=blog, email="sari@example.com", status="confirmed", confirmed_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, content)
    assert response.status_code == 302
    new = Subscriber.objects.exclude(email="sari@example.com")
    assert set(new.values_list("status", "source")) == {("pending", "import")}
    assert sorted(m["To"] for m in smtp.messages) == sorted(new.values_list("email", flat=True))
    confirmations = len(smtp.messages)
    publish(blog, title="Hanya untuk yang sudah konfirmasi")
    assert [m["To"] for m in smtp.messages[confirmations:]] == ["sari@example.com"]


def test_an_imported_address_follows_once_it_confirms(
    smtp, client, owner, blog, host_client, publish, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, FEEDBURNER)
    by_address = {m["To"]: m for m in smtp.messages}
    assert (
        subject_of(by_address["dodi@example.com"]) == "Konfirmasi bahwa Anda mengikuti Kabar Kita"
    )
    assert (
        host_client("kabar").post(link_in(by_address["dodi@example.com"], "confirm")).status_code
        == 200
    )
    assert Subscriber.objects.get(email="dodi@example.com").status == "confirmed"
    smtp.messages.clear()
    publish(blog, title="Kabar pertama untuk Dodi")
    assert [m["To"] for m in smtp.messages] == ["dodi@example.com"]


@pytest.mark.parametrize(
    "content, message",
    [
        ("Name,Phone\nSari,0812\n", "Tidak ada kolom e-mail"),
        ("Email Address,First Name\nsari@example.com,Sari\nbukan-alamat,Budi\n", "baris 3"),
        (b"\xff\xfeE\x00m\x00", "bukan berkas CSV dalam UTF-8"),
        ("Email Address,UNSUB_TIME\nsari@example.com,2020-01-01\n", "orang yang keluar"),
        ("", "Berkas yang dikirimkan kosong"),
        ("\n\n", "Berkas ini kosong"),
    ],
)
def test_a_bad_csv_is_refused_and_nothing_stored(
    smtp, client, owner, blog, content, message, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Subscriber.objects.exists()
    assert smtp.messages == []
