"""The subscribe box on every blog page: on cached pages it is the same for everyone (no
token, no cookie); a signed-in member gets a one-click button."""

from allauth.account.models import EmailAddress

from warta.core.tests.conftest import wsgi_get  # noqa: F401 (the fixture, shared)

HOST = "kabar.localhost"


def test_the_box_is_on_an_article_and_the_page_stays_cacheable(wsgi_get, blog, make_post):  # noqa: F811
    article = make_post(blog, title="Warga bertahan di Aleppo")
    first = wsgi_get(HOST, article.path)
    html = first.text
    assert '<form method="post" action="/follow/">' in html
    assert '<label for="follow-email">Alamat e-mail Anda</label>' in html
    assert "csrfmiddlewaretoken" not in html
    assert "set-cookie" not in first.headers
    assert wsgi_get(HOST, article.path).headers["x-cache"] == "hit"


def test_the_box_is_on_the_home_page_and_its_own_page(host_client, blog):
    assert 'action="/follow/"' in host_client("kabar").get("/").content.decode()
    page = host_client("kabar").get("/follow/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ikuti Kabar Kita lewat e-mail" in html
    for frequency in ("post", "daily", "weekly"):
        assert f'value="{frequency}"' in html
    assert "follow-box" not in html  # no second form under the page's own


def test_a_signed_in_member_gets_a_one_click_button(client, blog, make_user):
    user = make_user("anggota@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    html = client.get("/", HTTP_HOST=HOST).content.decode()
    assert 'action="/follow/member"' in html
    assert "csrfmiddlewaretoken" in html
