"""The format registry: one list that the commands, the desk's page and its addresses read,
and the writer every XML export goes through."""

import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command

from warta.blogs.models import Membership
from warta.migration.formats import FORMATS, register
from warta.migration.formats.base import Format, Importer, JsonLinesExporter
from warta.migration.services import export_blog, import_blogger, import_wordpress
from warta.posts.models import Post, Status


class TitlesExporter(JsonLinesExporter):
    extension = "titles.jsonl"
    content_type = "application/jsonl; charset=utf-8"

    def sections(self):
        return [(self.entries(Post), lambda post: {"title": post.title})]


class TitlesImporter(Importer):
    def read_entries(self):
        with open(self.path, encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                self.stage_entry(Post, {"number": number, **json.loads(line)})

    def entry_fields(self, model, entry):
        return {
            "title": entry["title"],
            "status": Status.PUBLISHED,
            "legacy_id": str(entry["number"]),
        }


class Titles(Format):
    label = "Titles only"
    summary = "one line a post"
    importer = TitlesImporter
    exporter = TitlesExporter


@pytest.fixture
def titles():
    """A format registered the way a new one is: a Format with its importer and exporter."""
    register("titles", Titles())
    yield
    del FORMATS["titles"]


@pytest.fixture
def owner_client(blog, make_member, client):
    client.force_login(make_member(blog, Membership.Role.OWNER))
    return client


def test_the_desk_lists_every_registered_format_in_order_with_its_download(owner_client, titles):
    page = owner_client.get("/desk/export/", HTTP_HOST="kabar.localhost").content.decode()
    links = [page.index(f'href="/desk/export/{name}/"') for name in FORMATS]
    assert links == sorted(links)
    assert list(FORMATS)[:3] == ["json", "blogger", "wordpress"]
    assert '<a href="/desk/export/titles/" download>Titles only</a> — one line a post' in page


def test_a_registered_format_downloads_with_its_type_and_file_name(
    blog, make_post, owner_client, titles
):
    make_post(blog, title="Banjir di Demak")
    response = owner_client.get("/desk/export/titles/", HTTP_HOST="kabar.localhost")
    assert response["Content-Type"] == "application/jsonl; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="kabar-')
    assert response["Content-Disposition"].endswith('.titles.jsonl"')
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert [json.loads(line) for line in lines] == [{"title": "Banjir di Demak"}]


def test_the_commands_take_a_registered_format_both_ways(blog, make_post, titles, tmp_path):
    make_post(blog, title="Harga cabai turun")
    path = tmp_path / "kabar.titles.jsonl"
    call_command("export", "titles", "--blog", "kabar", "-o", str(path))
    call_command("import", "titles", str(path), "--blog", "salinan")
    assert list(Post.objects.filter(blog__slug="salinan").values_list("title", flat=True)) == [
        "Harga cabai turun"
    ]


def test_an_address_for_a_name_not_in_the_registry_is_not_found(owner_client):
    assert owner_client.get("/desk/export/pdf/", HTTP_HOST="kabar.localhost").status_code == 404


@pytest.mark.parametrize("kind", ["blogger", "wordpress", "json"])
def test_an_export_streams_one_record_a_chunk(blog, make_post, make_comment, kind):
    """The desk sends each chunk as it is written: a blog never sits whole in memory."""
    titles = [f"Berita nomor {n}" for n in range(5)]
    for title in titles:
        make_comment(make_post(blog, title=title), body="Komentar")
    chunks = list(export_blog(blog, kind))
    holding = [[title for title in titles if title in chunk] for chunk in chunks]
    assert [found for found in holding if found] == [[title] for title in titles]


@pytest.mark.parametrize("kind", ["blogger", "wordpress"])
def test_characters_xml_cannot_carry_are_left_out_and_the_file_imports(
    blog, make_post, kind, tmp_path
):
    """A form accepts a vertical tab or an escape character; XML 1.0 has no way to write one."""
    make_post(blog, title="Judul\x0bdengan tab", body="<p>Isi\x1b berita</p>", body_format="html")
    path = tmp_path / "export.xml"
    path.write_text("".join(export_blog(blog, kind)), "utf-8")
    ET.parse(path)
    {"blogger": import_blogger, "wordpress": import_wordpress}[kind](path=path, blog_slug="salinan")
    copy = Post.objects.get(blog__slug="salinan")
    assert (copy.title, copy.body) == ("Juduldengan tab", "<p>Isi berita</p>")


@pytest.mark.parametrize("body", ["[gallery]", "a ]]> b", "]]", "<p>[caption]</p>]"])
def test_a_wordpress_body_with_closing_brackets_keeps_every_character(
    blog, make_post, tmp_path, body
):
    """Bodies go out as CDATA, which ends at ``]]>``; lxml 6.1 also crashed on a final ``]``."""
    make_post(blog, title="Galeri", body=body, body_format="html")
    path = tmp_path / "export.wxr.xml"
    path.write_text("".join(export_blog(blog, "wordpress")), "utf-8")
    encoded = ET.parse(path).find(".//{http://purl.org/rss/1.0/modules/content/}encoded")
    assert encoded.text == body


def test_the_web_processes_do_not_load_lxml_for_the_registry():
    """Every web process resolves the desk's addresses; lxml (5 MB) waits for an export."""
    program = (
        "import django, sys; django.setup(); import warta.urls; "
        "from django.urls import resolve; resolve('/desk/export/json/'); "
        "print(sorted(m for m in sys.modules if m.startswith('lxml')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
