from warta.core.tests.conftest import wsgi_get  # noqa: F401 (the fixture, shared)
