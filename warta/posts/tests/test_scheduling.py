"""Scheduled posts go live at their time through the django-tasks database worker, once
each, whatever number of workers run; the page cache shows them at once."""

import datetime
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, connections
from django.utils import timezone

from warta.blogs.models import Blog
from warta.posts import services
from warta.posts.models import Post, Status

WARTA = str(Path(sys.executable).parent / "warta")


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def scheduled(blog, make_post, *, at, title="Terjadwal"):
    post = make_post(blog, title=title, status=Status.SCHEDULED, published_at=at)
    return post


def test_scheduling_enqueues_a_task_for_the_posts_time(blog, make_post, database_tasks):
    from django_tasks_db.models import DBTaskResult

    at = timezone.now() + datetime.timedelta(minutes=5)
    post = scheduled(blog, make_post, at=at)
    services.schedule(post)
    task = DBTaskResult.objects.get()
    assert task.run_after == at
    assert task.task_path == "warta.posts.tasks.publish_scheduled"
    assert task.args_kwargs["kwargs"] == {"post_id": post.pk}


def test_publish_due_publishes_due_posts_only_and_bumps_the_blogs_generation(blog, make_post):
    now = timezone.now()
    due = scheduled(blog, make_post, at=now - datetime.timedelta(seconds=5))
    later = scheduled(blog, make_post, at=now + datetime.timedelta(hours=1))
    draft = make_post(blog, status=Status.DRAFT)
    generation = Blog.objects.get(pk=blog.pk).generation
    assert services.publish_due() == [due.pk]
    assert services.publish_due() == []  # once
    assert Post.objects.get(pk=due.pk).status == Status.PUBLISHED
    assert Post.objects.get(pk=later.pk).status == Status.SCHEDULED
    assert Post.objects.get(pk=draft.pk).status == Status.DRAFT
    assert Blog.objects.get(pk=blog.pk).generation > generation


def test_a_scheduled_post_is_not_shown_before_its_time(client, blog, make_post):
    post = scheduled(blog, make_post, at=timezone.now() + datetime.timedelta(hours=1))
    post.refresh_from_db()
    assert post.path
    assert client.get(post.path, HTTP_HOST="kabar.localhost").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_several_workers_at_once_publish_each_post_once(blog, make_post):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite lets one writer in at a time; the race is PostgreSQL's")
    past = timezone.now() - datetime.timedelta(seconds=1)
    posts = [scheduled(blog, make_post, at=past, title=f"Terjadwal {n}") for n in range(12)]
    barrier = threading.Barrier(4)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(services.publish_due())
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    published = [pk for result in results for pk in result]
    assert sorted(published) == sorted(post.pk for post in posts)  # each exactly once
    assert set(Post.objects.values_list("status", flat=True)) == {Status.PUBLISHED}


@pytest.mark.django_db(transaction=True)
def test_two_real_worker_processes_publish_the_post_on_time(blog, make_post, database_tasks):
    """Two ``warta db_worker`` processes on the test database, nobody visiting anything."""
    if connection.vendor == "sqlite":
        pytest.skip(
            "the test database is in memory; tests/browser/test_desk_schedule.py "
            "runs the worker of a real `warta serve` on SQLite"
        )
    from django_tasks_db.models import DBTaskResult

    at = timezone.now() + datetime.timedelta(seconds=4)
    post = scheduled(blog, make_post, at=at)
    services.schedule(post)
    services.schedule(post)  # scheduled twice (edited): still published once
    settings_db = connection.settings_dict
    url = (
        f"postgres://{settings_db['USER']}@{settings_db['HOST']}:{settings_db['PORT'] or 5432}"
        f"/{settings_db['NAME']}"
    )
    env = dict(
        os.environ, WARTA_DATABASE_URL=url, WARTA_TASKS_BACKEND="django_tasks_db.DatabaseBackend"
    )
    command = [
        WARTA,
        "db_worker",
        "--no-reload",
        "--interval",
        "0.5",
        "--no-startup-delay",
        "-v",
        "0",
    ]
    workers = [subprocess.Popen(command, env=env) for _ in range(2)]
    try:
        deadline = at + datetime.timedelta(seconds=30)
        while timezone.now() < deadline:
            if Post.objects.get(pk=post.pk).status == Status.PUBLISHED:
                break
            time.sleep(0.2)
        published = timezone.now()
        assert Post.objects.get(pk=post.pk).status == Status.PUBLISHED
        assert published - at < datetime.timedelta(seconds=30)
        until = time.monotonic() + 15
        while DBTaskResult.objects.exclude(status="SUCCESSFUL").exists():
            assert time.monotonic() < until
            time.sleep(0.2)
        returns = [r.return_value for r in DBTaskResult.objects.all()]
        # Each task ran once; between them the post was published by exactly one.
        assert sorted(returns, key=len) == [[], [post.pk]]
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(10)


def test_publishing_on_schedule_is_a_save_for_whoever_listens(blog, make_post):
    """The search index and the page cache listen to post_save: the update sends it."""
    from django.db.models.signals import post_save

    post = scheduled(blog, make_post, at=timezone.now() - datetime.timedelta(seconds=1))
    heard = []

    def listen(sender, instance, **kwargs):
        heard.append((instance.pk, instance.status, kwargs["created"]))

    post_save.connect(listen, sender=Post)
    try:
        services.publish_due()
    finally:
        post_save.disconnect(listen, sender=Post)
    assert heard == [(post.pk, Status.PUBLISHED, False)]


def test_warta_serve_starts_the_task_worker_beside_granian(monkeypatch, database_tasks):
    import json

    from django.core.management import call_command

    calls = []
    monkeypatch.setattr(os, "execv", lambda path, argv: calls.append(argv))
    monkeypatch.delenv("WARTA_THREADS", raising=False)
    call_command("serve", port=8123)
    call_command("serve", port=8123, no_task_worker=True)
    with_worker, without = calls
    at = with_worker.index("--task-worker")
    worker = json.loads(with_worker[at + 1])
    assert worker[1:4] == ["-m", "warta.manage", "db_worker"]
    assert with_worker.index("--") > at
    assert "--task-worker" not in without
    os.environ.pop("WARTA_THREADS", None)


def test_the_supervisor_keeps_the_task_worker_running_and_stops_it(tmp_path):
    """A sidecar that exits is started again; stopping the supervisor stops it."""
    import signal

    from warta.core.supervisor import Supervisor

    starts = tmp_path / "starts"
    sidecar = [
        sys.executable,
        "-c",
        f"open({str(starts)!r}, 'a').write('x'); import sys, time; "
        f"sys.exit(1) if len(open({str(starts)!r}).read()) < 3 else time.sleep(60)",
    ]
    server = [sys.executable, "-c", "import time; time.sleep(60)"]
    supervisor = Supervisor(server, log=open(os.devnull, "w"), sidecars=[sidecar])
    supervisor.first_delay = 0.05
    # The supervisor's signal handlers need the main thread: it runs here, a timer stops it.
    timer = threading.Timer(4, lambda: supervisor.forward(signal.SIGTERM, None))
    timer.start()
    status = supervisor.run()
    timer.join()
    assert starts.read_text() == "xxx"  # failed twice, started again each time
    assert supervisor.sidecars[0].child.poll() is not None  # stopped with the server
    assert status != 0  # the server was stopped by the signal


def test_publish_due_from_cron_without_a_worker(blog, make_post):
    import io

    from django.core.management import call_command

    post = scheduled(blog, make_post, at=timezone.now() - datetime.timedelta(seconds=1))
    out = io.StringIO()
    call_command("publish_due", stdout=out)
    assert out.getvalue().strip() == "1 post(s) published."
    assert Post.objects.get(pk=post.pk).status == Status.PUBLISHED
