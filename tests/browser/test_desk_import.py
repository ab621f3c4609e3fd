"""An owner on a real Chromium imports the real Blogger export into the blog of a real
`warta serve`: the upload returns at once, the task worker that `warta serve` started runs
the import, the status page's progress bar reaches the end and the report appears; the
posts are then on the blog."""

import re
import subprocess
import time
import xml.etree.ElementTree as ET
import zipfile
from urllib.parse import urlsplit

import pytest

from warta.core.tests.servers import WARTA, prepare_site, serving, site_env
from warta.migration.tests.conftest import testdata_dir as shared_testdata

pytestmark = [pytest.mark.browser]

ATOM = "{http://www.w3.org/2005/Atom}"
POST_KIND = "http://schemas.google.com/blogger/2008/kind#post"


def post_paths(path):
    """The addresses of the published posts in a Blogger backup, read from the file."""
    paths = []
    for entry in ET.parse(path).getroot().iter(f"{ATOM}entry"):
        kinds = {c.get("term") for c in entry.iter(f"{ATOM}category")}
        if POST_KIND in kinds:
            for link in entry.iter(f"{ATOM}link"):
                if link.get("rel") == "alternate":
                    paths.append(urlsplit(link.get("href")).path)
    return paths


def bar_of(page):
    return page.locator("#import-progress").evaluate("bar => [bar.value, bar.max]")


def test_an_owner_imports_a_blogger_backup_and_watches_it_finish(browser, tmp_path):
    backup = shared_testdata() / "blogger-export" / "blog-03-21-2019.xml"
    paths = post_paths(backup)
    assert len(paths) == 33
    prepare_site(tmp_path)
    with serving(tmp_path) as site:
        assert site.task_workers(), "warta serve started no task worker"
        assert site.get(paths[0])[0] == 404
        base = f"http://kabar.localhost:{site.port}"
        printed = subprocess.run(
            [WARTA, "blog", "link", "kabar", "--if-never-signed-in", "--base-url", base],
            env=site_env(tmp_path),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        link = re.search(r"(http://\S+/desk/welcome/\S+)", printed).group(1)
        context = browser.new_context(viewport={"width": 360, "height": 800})
        try:
            page = context.new_page()
            page.goto(link)
            page.wait_for_url(base + "/desk/")
            page.locator('nav a[href="/desk/import/"]').click()
            page.wait_for_url(base + "/desk/import/")
            page.locator('input[name="file_format"][value="blogger"]').check()
            page.locator('input[name="file"]').set_input_files(str(backup))
            submitted = time.monotonic()
            page.locator("form.desk-import button[type=submit]").click()
            page.wait_for_url(re.compile(r"/desk/import/\d+/$"))

            bar = page.locator("#import-progress")
            seen = []
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                try:
                    seen.append(bar.evaluate("bar => [bar.value, bar.max]"))
                    if page.locator(".import-report").count():
                        break
                except Exception:  # the page is reloading as the import ends
                    pass
                time.sleep(0.1)
            assert page.locator(".import-report").count(), f"no report\n{site.output()}"
            value, maximum = bar.evaluate("bar => [bar.value, bar.max]")
            assert value == maximum > 1  # the bar at its end
            values = [done for done, _total in seen]
            assert values == sorted(values)  # it only moves forward
            report = page.locator(".import-report").inner_text()
            assert re.search(r"\b33\b", report)
            elapsed = time.monotonic() - submitted
            print(f"report after {elapsed:.1f} s; bar samples {seen[:2]} ... {seen[-2:]}")

            # Then a Google Takeout archive, zipped here from the real Takeout feed.
            archive = tmp_path / "takeout-20250101T000000Z-001.zip"
            with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
                zipped.write(
                    shared_testdata() / "blogger-takeout" / "takeout-potsrun.atom",
                    "Takeout/Blogger/Blogs/_center_PotsRun_-center_/feed.atom",
                )
            page.goto(base + "/desk/import/")
            page.locator('input[name="file"]').set_input_files(str(archive))
            page.locator("form.desk-import button[type=submit]").click()
            page.wait_for_url(re.compile(r"/desk/import/\d+/$"))
            page.locator(".import-report").wait_for(timeout=90_000)
            assert bar_of(page)[0] == bar_of(page)[1]
            assert re.search(r"\b40\b", page.locator(".import-report").inner_text())
        finally:
            context.close()

        for path in paths[:5]:
            assert site.get(path)[0] == 200, path
        assert site.get("/p/galerie.html")[0] == 200  # a page of the Takeout


@pytest.mark.django_db(transaction=True)
def test_the_status_pages_script_moves_the_bar_and_shows_the_report_at_the_end(
    page, blog_url, client, make_blog, make_member, settings, tmp_path
):
    """The script polls the job's JSON status: the bar moves without reloading the page,
    and the page reloads itself once, with the report, when the import ends."""
    import json

    from django.core.files.base import ContentFile

    from warta.blogs.models import Membership
    from warta.migration.models import ImportJob

    settings.WARTA_IMPORT_DIR = tmp_path / "imports"
    blog = make_blog("kabar", language="en")
    client.force_login(make_member(blog, Membership.Role.OWNER))
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "domain": "kabar.localhost",
                "path": "/",
            }
        ]
    )
    job = ImportJob(blog=blog, file_format="blogger", file_name="feed.atom", language="en")
    job.upload.save("feed.atom", ContentFile(b"<feed/>"), save=False)
    job.status, job.total = ImportJob.Status.RUNNING, 10
    job.save()

    def progress(done):
        with open(job.progress_path, "w") as stream:
            json.dump({"done": done, "total": 10}, stream)

    progress(3)
    page.goto(blog_url(blog, job.get_absolute_url()))
    assert bar_of(page) == [3, 10]
    page.evaluate("window.notReloaded = true")
    progress(7)
    until = time.monotonic() + 2.5  # within the page's own refresh, 3 s
    while bar_of(page) != [7, 10] and time.monotonic() < until:
        time.sleep(0.05)
    assert bar_of(page) == [7, 10]
    assert page.evaluate("window.notReloaded") is True  # moved by the script, not a reload

    job.status, job.done = ImportJob.Status.DONE, 10
    job.report = {"imported": {"post": 4}, "skipped": {}, "warnings": [["p1", "A warning"]]}
    job.save()
    page.locator(".import-report").wait_for(timeout=5000)
    assert bar_of(page) == [10, 10]
    assert "A warning" in page.locator(".import-warnings").inner_text()
