"""An import uploaded in the desk is run by a real ``warta db_worker`` process, not by the
request: the page answers at once, the worker imports, the status shows the report."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from warta.blogs.models import Membership
from warta.migration.models import ImportJob
from warta.posts.models import Post

WARTA = str(Path(sys.executable).parent / "warta")


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_uploaded_import(
    blog, make_member, client, settings, tmp_path, testdata
):
    if connection.vendor == "sqlite":
        pytest.skip(
            "the test database is in memory; tests/browser/test_desk_import.py runs the "
            "worker of a real `warta serve` on SQLite"
        )
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.WARTA_IMPORT_DIR = tmp_path / "imports"
    client.force_login(make_member(blog, Membership.Role.OWNER))
    data = (testdata / "blogger-export/blog-03-21-2019.xml").read_bytes()
    response = client.post(
        "/desk/import/",
        {"file_format": "blogger", "file": SimpleUploadedFile("blog.xml", data)},
        HTTP_HOST="kabar.localhost",
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.status == ImportJob.Status.QUEUED  # the request did not import it
    assert DBTaskResult.objects.get().task_path == "warta.migration.tasks.run_import"
    assert not Post.objects.exists()
    assert len(list(settings.WARTA_IMPORT_DIR.iterdir())) == 1  # the upload, waiting

    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    env = dict(
        os.environ,
        WARTA_DATABASE_URL=url,
        WARTA_TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        WARTA_IMPORT_DIR=str(settings.WARTA_IMPORT_DIR),
        WARTA_DATA_DIR=str(tmp_path / "data"),
    )
    command = [WARTA, "db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay"]
    log = tmp_path / "worker.log"
    with log.open("wb") as output:
        worker = subprocess.Popen([*command, "-v", "1"], env=env, stdout=output, stderr=output)
    try:
        deadline = time.monotonic() + 60
        seen = set()
        while time.monotonic() < deadline:
            status = client.get(
                f"/desk/import/{job.pk}/status.json", HTTP_HOST="kabar.localhost"
            ).json()
            seen.add(status["status"])
            if status["finished"]:
                break
            time.sleep(0.05)
        assert status["finished"], f"not finished: {status}\n{log.read_text()}"
        job.refresh_from_db()
        assert job.status == ImportJob.Status.DONE, f"{job.error}\n{log.read_text()}"
        assert status["done"] == status["total"] > 1
        assert Post.objects.filter(blog=blog).count() == 33
        assert not list(settings.WARTA_IMPORT_DIR.iterdir())
        page = client.get(f"/desk/import/{job.pk}/", HTTP_HOST="kabar.localhost").content
        assert b"<td>33</td>" in page
        print(f"statuses seen while polling: {sorted(seen)}")
    finally:
        worker.terminate()
        worker.wait(10)
