import pytest

from warta.core.tests.conftest import wsgi_get  # noqa: F401 (the fixture, shared)
from warta.stats.counter import counter

HOST = "kabar.localhost"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1"
)
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.fixture(autouse=True)
def _fresh_counter():
    """What this process counted in earlier tests (rolled back, their ids reused) is not
    this test's."""
    counter.take()
    yield
    counter.take()


@pytest.fixture
def article(blog, make_post):
    return make_post(blog, title="Banjir di Jakarta Utara", labels=["Banjir"])
