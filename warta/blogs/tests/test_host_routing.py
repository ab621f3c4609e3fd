import pytest


@pytest.mark.parametrize("host", ["kabar.localhost", "kabar.localhost:8000", "KABAR.localhost"])
def test_a_blog_answers_on_its_subdomain(client, blog, host):
    response = client.get("/", HTTP_HOST=host)
    assert response.status_code == 200
    assert response.context["blog"] == blog


def test_each_blog_answers_on_its_own_subdomain(client, make_blog):
    first = make_blog("satu", title="Blog Satu")
    second = make_blog("dua", title="Blog Dua")
    assert client.get("/", HTTP_HOST="satu.localhost").context["blog"] == first
    assert client.get("/", HTTP_HOST="dua.localhost").context["blog"] == second


def test_a_custom_domain_serves_its_blog(client, make_blog):
    blog = make_blog("berita", custom_domain="www.BeritaKita.id")
    assert blog.custom_domain == "beritakita.id"
    for host in ["beritakita.id", "www.beritakita.id"]:
        assert client.get("/", HTTP_HOST=host).context["blog"] == blog


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost", "localhost:8000"])
def test_the_bare_domain_serves_the_default_blog(client, make_blog, host):
    first = make_blog("pertama")
    make_blog("kedua")
    assert client.get("/", HTTP_HOST=host).context["blog"] == first


def test_the_default_blog_can_be_chosen(client, make_blog, settings):
    make_blog("pertama")
    chosen = make_blog("pilihan")
    settings.WARTA_DEFAULT_BLOG = "pilihan"
    assert client.get("/", HTTP_HOST="127.0.0.1").context["blog"] == chosen


def test_an_unknown_host_gets_a_400_not_a_page_nor_a_500(client, blog):
    response = client.get("/", HTTP_HOST="tidak-ada.localhost")
    assert response.status_code == 400
    response = client.get("/", HTTP_HOST="unknown.example.org")
    assert response.status_code == 400


def test_the_page_speaks_the_blogs_language(client, make_blog):
    make_blog("id-blog", language="id")
    make_blog("en-blog", language="en")
    indonesian = client.get("/", HTTP_HOST="id-blog.localhost")
    english = client.get("/", HTTP_HOST="en-blog.localhost")
    assert indonesian["Content-Language"] == "id"
    assert '<html lang="id">' in indonesian.text
    assert "Cari" in indonesian.text
    assert english["Content-Language"] == "en"
    assert "Search this blog" in english.text
