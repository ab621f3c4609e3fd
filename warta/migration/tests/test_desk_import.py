"""Imports in the desk: an owner uploads a backup, the task worker imports it (here the
immediate backend, inside the request), the status page shows the progress and the report.
A file that cannot be imported is refused at once and leaves no upload and no row."""

import io
import os
import re
import tempfile
import time
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from warta.blogs.models import Membership
from warta.comments.models import Comment
from warta.migration.models import ImportJob
from warta.posts.models import Page, Post

from .conftest import OWNERS_AND_ADMINISTRATORS_ONLY

HOST = "kabar.localhost"
BLOGGER_XML = "blogger-export/blog-03-21-2019.xml"
TAKEOUT = "blogger-takeout"


@pytest.fixture
def imports(settings, tmp_path):
    folder = tmp_path / "imports"
    settings.WARTA_IMPORT_DIR = folder
    return folder


def stored_files(folder):
    return sorted(path.name for path in folder.rglob("*")) if folder.exists() else []


@pytest.fixture
def owner(blog, make_member, client):
    user = make_member(blog, Membership.Role.OWNER)
    client.force_login(user)
    return user


def upload(client, name, data, file_format="blogger"):
    return client.post(
        "/desk/import/",
        {"file_format": file_format, "file": SimpleUploadedFile(name, data)},
        HTTP_HOST=HOST,
    )


def takeout_zip(testdata, members=None) -> bytes:
    """A Takeout archive as Google sends it, made of the real files in the testdata."""
    folder = testdata / TAKEOUT
    members = members or {
        "Takeout/Blogger/Blogs/Cara membuat/feed.atom": folder / "takeout-caramembuat-id.atom",
        "Takeout/Blogger/Blogs/Cara membuat/settings.csv": folder
        / "takeout-laser-eye-settings.csv",
        "Takeout/Blogger/Comments/Cara membuat/feed.atom": folder
        / "takeout-laser-eye-comments.atom",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, path in members.items():
            archive.writestr(name, path.read_bytes() if hasattr(path, "read_bytes") else path)
    return buffer.getvalue()


@pytest.mark.parametrize(("role", "status"), OWNERS_AND_ADMINISTRATORS_ONLY)
def test_only_owners_and_administrators_may_import(blog, make_member, client, role, status):
    client.force_login(make_member(blog, role))
    assert client.get("/desk/import/", HTTP_HOST=HOST).status_code == status
    assert upload(client, "x.xml", b"<feed/>").status_code == status


def test_the_nav_links_the_import_page_for_owners_only(blog, make_member, client):
    client.force_login(make_member(blog, Membership.Role.OWNER))
    assert 'href="/desk/import/"' in client.get("/desk/", HTTP_HOST=HOST).content.decode()
    client.force_login(make_member(blog, Membership.Role.EDITOR))
    assert 'href="/desk/import/"' not in client.get("/desk/", HTTP_HOST=HOST).content.decode()


def test_the_owner_imports_a_blogger_backup_and_reads_the_report(
    blog, owner, client, testdata, imports
):
    response = upload(client, "blog-03-21-2019.xml", (testdata / BLOGGER_XML).read_bytes())
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/desk/import/{job.pk}/"
    assert job.status == ImportJob.Status.DONE
    assert (job.created_by, job.blog, job.file_format) == (owner, blog, "blogger")
    assert job.report["imported"]["post"] == 33
    assert Post.objects.filter(blog=blog).count() == 33
    assert Page.objects.filter(blog=blog).count() == 3
    assert Comment.objects.filter(blog=blog).count() == 52
    assert stored_files(imports) == []  # the upload is deleted when the job ends

    page = client.get(response["Location"], HTTP_HOST=HOST).content.decode()
    assert f'<progress id="import-progress" max="{job.total}" value="{job.total}"' in page
    assert "http-equiv" not in page  # a finished job's page stops refreshing itself
    # The report, in the blog's language (Indonesian) where its words are translated.
    assert "<td>33</td>" in page
    assert "blog-03-21-2019.xml" in client.get("/desk/import/", HTTP_HOST=HOST).content.decode()


def test_the_upload_waits_in_the_private_folder_for_the_worker(
    blog, owner, client, testdata, imports, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    upload(client, "feed.atom", (testdata / TAKEOUT / "takeout-pendidikan-id.atom").read_bytes())
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.QUEUED
    assert stored_files(imports) == [job.upload.name]
    assert not (settings.MEDIA_ROOT.exists() and list(settings.MEDIA_ROOT.rglob("*.atom")))
    job.run()  # what the worker does
    assert job.status == ImportJob.Status.DONE
    assert stored_files(imports) == []


def test_the_status_is_json_for_the_pages_script(blog, owner, client, testdata, imports):
    upload(client, "feed.atom", (testdata / TAKEOUT / "takeout-pendidikan-id.atom").read_bytes())
    job = ImportJob.objects.get()
    status = client.get(f"/desk/import/{job.pk}/status.json", HTTP_HOST=HOST).json()
    assert status == {
        "status": "done",
        "status_label": "selesai",  # in the blog's language
        "done": job.total,
        "total": job.total,
        "finished": True,
    }


def test_a_queued_job_page_refreshes_itself_and_loads_its_script(blog, owner, client, imports):
    job = ImportJob.objects.create(blog=blog, file_format="blogger", file_name="a.xml", total=10)
    page = client.get(f"/desk/import/{job.pk}/", HTTP_HOST=HOST).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "migration/import-progress.js" in page
    assert 'max="10" value="0"' in page


def running_job(blog, *, heard_minutes_ago):
    """An import the worker took up, its progress file last written so long ago."""
    job = ImportJob(blog=blog, file_format="blogger", file_name="a.xml", language="id")
    job.upload.save("a.xml", ContentFile(b"<feed/>"), save=False)
    job.status = ImportJob.Status.RUNNING
    job.save()
    progress = Path(job.progress_path)
    progress.write_text('{"done": 3, "total": 10}')
    heard = time.time() - heard_minutes_ago * 60
    os.utime(progress, (heard, heard))
    return job, Path(job.upload.path), progress


def test_an_import_whose_worker_went_away_is_failed_and_its_upload_removed(
    blog, owner, client, imports
):
    posts_before = Post.objects.count()
    job, file, progress = running_job(blog, heard_minutes_ago=16)
    status = client.get(f"/desk/import/{job.pk}/status.json", HTTP_HOST=HOST).json()
    assert status["status"] == "failed" and status["finished"] is True
    job.refresh_from_db()
    assert job.error == (
        "Impor berhenti: pekerjanya berakhir sebelum impor selesai. Tidak ada yang diubah."
    )
    assert job.finished_at is not None
    assert not file.exists() and not progress.exists() and not job.upload
    assert Post.objects.count() == posts_before
    page = client.get(f"/desk/import/{job.pk}/", HTTP_HOST=HOST).content.decode()
    assert "pekerjanya berakhir" in page


def test_an_import_heard_from_lately_is_still_running(blog, owner, client, imports):
    job, file, progress = running_job(blog, heard_minutes_ago=2)
    page = client.get("/desk/import/", HTTP_HOST=HOST)
    assert page.status_code == 200
    status = client.get(f"/desk/import/{job.pk}/status.json", HTTP_HOST=HOST).json()
    assert status["status"] == "running" and status["done"] == 3
    assert file.exists() and progress.exists()


def test_a_stalled_import_is_failed_from_the_list_of_imports_too(blog, owner, client, imports):
    job, file, _progress = running_job(blog, heard_minutes_ago=60)
    client.get("/desk/import/", HTTP_HOST=HOST)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and not file.exists()


def test_a_worker_that_finishes_meanwhile_keeps_its_result(blog, imports):
    job, _file, _progress = running_job(blog, heard_minutes_ago=30)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE)
    assert job.give_up_if_stalled() is False
    assert job.status == ImportJob.Status.DONE


def test_another_blogs_import_is_not_found(blog, owner, client, make_blog):
    other = ImportJob.objects.create(blog=make_blog("lain"), file_format="blogger", file_name="a")
    assert client.get(f"/desk/import/{other.pk}/", HTTP_HOST=HOST).status_code == 404
    assert client.get(f"/desk/import/{other.pk}/status.json", HTTP_HOST=HOST).status_code == 404


def test_a_takeout_archive_imports_its_blog_feed_and_settings(
    blog, owner, client, testdata, imports
):
    response = upload(client, "takeout-20240101.zip", takeout_zip(testdata))
    job = ImportJob.objects.get()
    assert response.status_code == 302, response.content.decode()
    assert job.status == ImportJob.Status.DONE, job.error
    assert Post.objects.filter(blog=blog).count() == job.report["imported"]["post"] > 0
    assert stored_files(imports) == []


def test_a_failed_import_changes_nothing_and_says_why(
    blog, owner, client, imports, counts, make_post
):
    make_post(blog, title="Sudah ada")
    before = counts()
    # Well-formed Atom, so it is accepted for import; no entry says its kind.
    feed = b"<feed xmlns='http://www.w3.org/2005/Atom'><entry><id>1</id></entry></feed>"
    response = upload(client, "feed.atom", feed)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert counts() == before
    assert stored_files(imports) == []
    page = client.get(response["Location"], HTTP_HOST=HOST).content.decode()
    assert job.error in page
    # The blog speaks Indonesian: so does the reason.
    assert job.error.startswith("Ini bukan cadangan Blogger")


def zip_bytes(members: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


FEED = "<feed xmlns='http://www.w3.org/2005/Atom'></feed>"
BAD_INPUT = {
    "a zip that is not a Takeout archive": (
        "photos.zip",
        lambda testdata: zip_bytes({"IMG_0001.txt": "a holiday", "notes/readme.txt": "x"}),
        "This ZIP archive holds no Blogger blog",
    ),
    "a zip bomb": (
        "takeout.zip",
        lambda testdata: zip_bytes({"Takeout/Blogger/Blogs/x/feed.atom": FEED + " " * 8 * 2**20}),
        "zip bomb",
    ),
    "a path-traversal name in a zip": (
        "takeout.zip",
        lambda testdata: zip_bytes(
            {"Takeout/Blogger/Blogs/x/feed.atom": FEED, "Takeout/../../../etc/cron.d/x": "x"}
        ),
        "outside its own folders",
    ),
    "an absolute name in a zip": (
        "takeout.zip",
        lambda testdata: zip_bytes({"Takeout/Blogger/Blogs/x/feed.atom": FEED, "/etc/x": "x"}),
        "outside its own folders",
    ),
    "a file that is not XML": (
        "photo.xml",
        lambda testdata: b"\x89PNG\r\n\x1a\n" + b"\0" * 100,
        "neither XML nor a ZIP archive",
    ),
    "a damaged zip": (
        "takeout.zip",
        lambda testdata: zip_bytes({"Takeout/Blogger/Blogs/x/feed.atom": FEED})[:60],
        "damaged",
    ),
    "a truncated Atom file": (
        "feed.atom",
        lambda testdata: (testdata / TAKEOUT / "takeout-potsrun.atom").read_bytes()[:90_000],
        "not well-formed XML",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUT, ids=list(BAD_INPUT))
def test_bad_input_is_refused_and_leaves_no_file_and_no_row(
    make_blog, make_member, client, testdata, imports, counts, case, tmp_path, monkeypatch
):
    # Every temporary file (the upload's, the check's unpacked archive) goes here.
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    english = make_blog("kabar", language="en")
    client.force_login(make_member(english, Membership.Role.OWNER))
    name, data, message = BAD_INPUT[case]
    before = counts()
    response = upload(client, name, data(testdata))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'class="error"' in page
    assert re.search(r'value="blogger"[^>]*checked', page)  # the form keeps the choice
    assert not ImportJob.objects.exists()
    assert counts() == before
    assert stored_files(imports) == []
    assert list(scratch.iterdir()) == []


def test_a_refusal_is_in_the_blogs_language(blog, owner, client, testdata, imports):
    cut = (testdata / TAKEOUT / "takeout-potsrun.atom").read_bytes()[:90_000]
    page = upload(client, "feed.atom", cut).content.decode()
    assert "Berkas ini bukan XML yang valid" in page
    assert not ImportJob.objects.exists()


def test_a_file_over_the_limit_is_refused(blog, owner, client, imports, settings):
    settings.WARTA_IMPORT_MAX_BYTES = 1000
    response = upload(client, "feed.atom", b"<feed>" + b" " * 2000 + b"</feed>")
    assert response.status_code == 200
    assert not ImportJob.objects.exists()
    assert stored_files(imports) == []


def test_a_wordpress_export_imports_through_the_desk(blog, owner, client, testdata, imports):
    data = (testdata / "wxr-theme-unit-test/themeunittestdata.wordpress.xml").read_bytes()
    upload(client, "export.xml", data, file_format="wordpress")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE, job.error
    assert Post.objects.filter(blog=blog).count() == job.report["imported"]["post"] > 0


@pytest.mark.parametrize(
    ("kind", "file", "within"),
    [
        ("blogger", BLOGGER_XML, 0),
        ("blogger", f"{TAKEOUT}/takeout-laser-eye.atom", 0),
        ("blogger", f"{TAKEOUT}/takeout-potsrun.atom", 0),
        ("wordpress", "wxr-theme-unit-test/themeunittestdata.wordpress.xml", 0.02),
        ("wordpress", "wxr-real/wpcom-ninedof.xml", 0.02),
    ],
)
def test_the_progress_bars_total_is_what_the_importer_counts(db, testdata, kind, file, within):
    """The bar's end is counted in the file before the import starts: exactly the entries the
    Blogger importer reads, within 2% for WordPress."""
    from warta.migration.formats import FORMATS
    from warta.migration.report import Progress, estimated_ticks

    counted = Progress(stream=io.StringIO())
    FORMATS[kind].import_file(path=testdata / file, blog_slug="hitung", progress=counted)
    estimate = estimated_ticks(testdata / file, kind)
    assert abs(estimate - counted.count) <= within * counted.count, (estimate, counted.count)
