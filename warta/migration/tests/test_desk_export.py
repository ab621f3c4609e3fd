import json
import xml.etree.ElementTree as ET

import pytest

from warta.blogs.models import Membership

from .conftest import OWNERS_AND_ADMINISTRATORS_ONLY


@pytest.fixture
def kabar(blog, make_post, make_comment):
    post = make_post(blog, title="Kabar pertama", labels=["Nasional"])
    make_comment(post, body="Komentar")
    make_post(blog, title="Kabar kedua")
    return blog


@pytest.mark.parametrize(("role", "status"), OWNERS_AND_ADMINISTRATORS_ONLY)
def test_only_owners_and_administrators_may_export(kabar, make_member, client, role, status):
    client.force_login(make_member(kabar, role))
    for path in ("/desk/export/", "/desk/export/json/"):
        assert client.get(path, HTTP_HOST="kabar.localhost").status_code == status


def test_a_reader_who_is_not_signed_in_is_sent_to_sign_in(kabar, client):
    response = client.get("/desk/export/json/", HTTP_HOST="kabar.localhost")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_export_is_refused_on_a_host_without_a_blog(kabar, make_user, client):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    assert client.get("/desk/export/", HTTP_HOST="nope.localhost").status_code == 400


def test_the_owner_downloads_each_format_as_an_attachment(kabar, make_member, client):
    client.force_login(make_member(kabar, Membership.Role.OWNER))
    response = client.get("/desk/export/json/", HTTP_HOST="kabar.localhost")
    assert 'attachment; filename="kabar-' in response["Content-Disposition"]
    records = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert records[0]["format"] == "warta"
    assert sorted(r["title"] for r in records if r.get("type") == "post") == [
        "Kabar kedua",
        "Kabar pertama",
    ]
    for kind, root in (("blogger", "{http://www.w3.org/2005/Atom}feed"), ("wordpress", "rss")):
        response = client.get(f"/desk/export/{kind}/", HTTP_HOST="kabar.localhost")
        assert ET.fromstring(b"".join(response.streaming_content)).tag == root
    assert client.get("/desk/export/pdf/", HTTP_HOST="kabar.localhost").status_code == 404
