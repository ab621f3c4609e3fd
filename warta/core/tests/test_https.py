"""Under ``WARTA_HTTPS``, browsers are told to come back by HTTPS only (HSTS) and a request
by plain HTTP is redirected: Django's deployment check finds nothing to say about either.
Each test reads the settings afresh in a process of its own, as a server started with that
environment would."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

ANSWERS = textwrap.dedent(
    """
    import json
    import django
    from django.http import HttpResponse
    from django.middleware.security import SecurityMiddleware
    from django.test import RequestFactory

    django.setup()
    middleware = SecurityMiddleware(lambda request: HttpResponse("ok"))
    factory = RequestFactory()
    secure = middleware(factory.get("/", HTTP_HOST="kabar.warta.id", HTTP_X_FORWARDED_PROTO="https"))
    plain = middleware(factory.get("/2016/12/banjir.html", HTTP_HOST="kabar.warta.id"))
    print(json.dumps({
        "hsts": secure.headers.get("Strict-Transport-Security"),
        "plain": [plain.status_code, plain.headers.get("Location")],
    }))
    """
)


def environment(tmp_path, **overrides):
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("WARTA_", "DJANGO_"))
    }
    env.update(
        WARTA_DATA_DIR=str(tmp_path),
        WARTA_SECRET_KEY="s" * 20 + "-not-the-real-one-" + "k" * 40,
        WARTA_DOMAIN="warta.id",
        DJANGO_SETTINGS_MODULE="warta.settings",
        **overrides,
    )
    return env


def run(args, env):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def answers(tmp_path, **overrides):
    result = run(["-c", ANSWERS], environment(tmp_path, **overrides))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_deployment_check_finds_hsts_and_the_https_redirect_set(tmp_path):
    result = run(
        ["-m", "warta.manage", "check", "--deploy"], environment(tmp_path, WARTA_HTTPS="1")
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "security.W004" not in report  # SECURE_HSTS_SECONDS
    assert "security.W008" not in report  # SECURE_SSL_REDIRECT


def test_pages_by_https_carry_hsts_and_plain_http_is_redirected(tmp_path):
    seen = answers(tmp_path, WARTA_HTTPS="1")
    assert seen["hsts"] == "max-age=31536000"
    assert seen["plain"] == [301, "https://kabar.warta.id/2016/12/banjir.html"]


@pytest.mark.parametrize(
    ("variables", "header"),
    [
        ({"WARTA_HSTS_SECONDS": "3600"}, "max-age=3600"),
        ({"WARTA_HSTS_INCLUDE_SUBDOMAINS": "1"}, "max-age=31536000; includeSubDomains"),
        ({"WARTA_HSTS_SECONDS": "0"}, None),
    ],
)
def test_hsts_is_configurable(tmp_path, variables, header):
    assert answers(tmp_path, WARTA_HTTPS="1", **variables)["hsts"] == header


def test_without_https_nothing_is_redirected_nor_pinned(tmp_path):
    seen = answers(tmp_path)
    assert seen["hsts"] is None
    assert seen["plain"] == [200, None]
