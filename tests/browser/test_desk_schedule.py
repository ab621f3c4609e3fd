"""`make run` as shipped: a fresh data folder, the printed one-time link, a post scheduled in
the desk of a real `warta serve`, then nobody in the desk: the task worker that `warta serve`
started publishes it on time, and readers (the page cache too) see it at once."""

import datetime
import re
import subprocess
import time
import zoneinfo

import pytest

from warta.core.tests.servers import WARTA, prepare_site, serving, site_env

pytestmark = [pytest.mark.browser]

LEAD = 25  # seconds between scheduling and the post's time


def test_a_scheduled_post_appears_on_time_with_nobody_in_the_desk(browser, tmp_path):
    prepare_site(tmp_path)
    with serving(tmp_path) as site:
        assert site.task_workers(), "warta serve started no task worker"
        base = f"http://kabar.localhost:{site.port}"
        printed = subprocess.run(
            [WARTA, "blog", "link", "kabar", "--if-never-signed-in", "--base-url", base],
            env=site_env(tmp_path),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        link = re.search(r"(http://\S+/desk/welcome/\S+)", printed).group(1)

        context = browser.new_context(java_script_enabled=False)
        try:
            page = context.new_page()
            page.goto(link)
            page.wait_for_url(base + "/desk/")
            page.get_by_role("link", name="Tulisan baru").click()
            page.get_by_label("Judul", exact=True).fill("Pengumuman jadwal banjir rob")
            page.get_by_label("Isi", exact=True).fill("Air pasang diperkirakan naik sore ini.")
            page.get_by_label("Label", exact=True).fill("Nasional")
            jakarta = zoneinfo.ZoneInfo("Asia/Jakarta")
            due = datetime.datetime.now(jakarta).replace(microsecond=0) + datetime.timedelta(
                seconds=LEAD
            )
            page.get_by_label("Tanggal dan jam terbit", exact=True).fill(
                due.strftime("%Y-%m-%dT%H:%M:%S")
            )
            page.get_by_role("button", name="Jadwalkan").click()
            assert "Dijadwalkan terbit" in page.content()
        finally:
            context.close()  # nobody in the desk from here on

        path = f"/{due.year}/{due.month:02d}/pengumuman-jadwal-banjir-rob.html"
        assert site.get(path)[0] == 404
        home = site.get("/")[2].decode()  # the home page, cached now, without the post
        assert "Pengumuman jadwal banjir rob" not in home
        deadline = due + datetime.timedelta(seconds=30)
        while datetime.datetime.now(jakarta) < deadline:
            status = site.get(path)[0]
            if status == 200:
                break
            time.sleep(0.5)
        seen = datetime.datetime.now(jakarta)
        assert status == 200, f"not published within 30 s of its time\n{site.output()}"
        assert seen >= due - datetime.timedelta(seconds=1)  # not early either
        print(f"published {(seen - due).total_seconds():.1f} s after its time")
        assert "Pengumuman jadwal banjir rob" in site.get("/")[2].decode()
        label = site.get("/search/label/Nasional")[2].decode()
        assert "Pengumuman jadwal banjir rob" in label
