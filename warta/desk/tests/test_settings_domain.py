"""A custom domain in the desk: the DNS records to set, and a check that resolves the name
(through the resolver ``WARTA_DNS_RESOLVER`` names: here a table, no public DNS) and says
whether it reaches this server."""

import socket

import lxml.html
import pytest

HOST = "meja.localhost"

# name -> addresses, as a DNS server would answer them for the tests
ZONE = {
    "localhost": ["127.0.0.1", "::1"],
    "meja.localhost": ["127.0.0.1"],
    "kabarkita.id": ["127.0.0.1"],
    "www.kabarkita.id": ["127.0.0.1"],
    "elsewhere.id": ["203.0.113.9"],
    "halfway.id": ["203.0.113.9"],
    "www.halfway.id": ["127.0.0.1"],
}


def fake_getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    if host not in ZONE:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    return [
        (
            socket.AF_INET6 if ":" in address else socket.AF_INET,
            socket.SOCK_STREAM,
            proto,
            "",
            (address, 0),
        )
        for address in ZONE[host]
    ]


@pytest.fixture(autouse=True)
def _resolver(settings):
    settings.WARTA_DNS_RESOLVER = f"{__name__}.fake_getaddrinfo"


@pytest.fixture
def owner(client, make_blog, make_member):
    blog = make_blog("meja", title="Meja Redaksi", language="en")
    client.force_login(make_member(blog, role="owner"))
    client.blog = blog
    return client


def set_domain(client, domain):
    client.blog.custom_domain = domain
    client.blog.save()


def check(client):
    response = client.post("/desk/settings/domain/check/", HTTP_HOST=HOST)
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content)
    (status,) = page.xpath("//div[@class='domain-check']")
    return " ".join(status.text_content().split())


def test_the_page_shows_the_records_to_set(owner):
    set_domain(owner, "kabarkita.id")
    page = lxml.html.fromstring(owner.get("/desk/settings/domain/", HTTP_HOST=HOST).content)
    rows = [
        [cell.text_content() for cell in row.xpath("td")]
        for row in page.xpath("//table[contains(@class, 'dns-records')]/tbody/tr")
    ]
    assert rows[0] == ["www.kabarkita.id", "CNAME", "localhost."]
    assert rows[1][:2] == ["kabarkita.id", "A"]
    assert "Until then, the blog answers at meja.localhost." in page.text_content()


def test_a_domain_pointing_here_is_said_to_reach_this_server(owner):
    set_domain(owner, "kabarkita.id")
    said = check(owner)
    assert said.startswith("kabarkita.id reaches this server.")
    assert "www.kabarkita.id: points here (127.0.0.1)" in said


def test_a_domain_pointing_elsewhere_is_said_not_to(owner):
    set_domain(owner, "elsewhere.id")
    said = check(owner)
    assert said.startswith("elsewhere.id does not reach this server yet.")
    assert "elsewhere.id: points elsewhere (203.0.113.9)" in said
    assert "www.elsewhere.id: does not resolve" in said


def test_the_www_name_alone_pointing_here_is_enough(owner):
    set_domain(owner, "halfway.id")
    assert check(owner).startswith("halfway.id reaches this server.")


def test_a_name_that_does_not_resolve_is_said_so(owner):
    set_domain(owner, "belum-ada.id")
    said = check(owner)
    assert "does not reach this server yet" in said
    assert "belum-ada.id: does not resolve" in said


def test_after_a_check_the_a_record_shows_this_servers_addresses(owner):
    set_domain(owner, "kabarkita.id")
    response = owner.post("/desk/settings/domain/check/", HTTP_HOST=HOST)
    page = lxml.html.fromstring(response.content)
    row = page.xpath("//table[contains(@class, 'dns-records')]/tbody/tr")[1]
    assert row.xpath("td")[2].text_content() == "127.0.0.1, ::1"


def test_checking_without_a_domain_asks_for_one(owner):
    response = owner.post("/desk/settings/domain/check/", HTTP_HOST=HOST, follow=True)
    assert "Save a custom domain first" in response.text


def test_only_managers_may_check(client, make_blog, make_member):
    blog = make_blog("meja", custom_domain="kabarkita.id")
    client.force_login(make_member(blog, role="editor"))
    assert client.post("/desk/settings/domain/check/", HTTP_HOST=HOST).status_code == 403
