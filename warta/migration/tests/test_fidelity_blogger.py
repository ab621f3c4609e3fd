"""Blogger exports as publishers have them: every real file of ``blogger-takeout/`` and
``blogger-export/``, counted here with the standard library, and small files for what no real
file shows (a comment held for moderation, a reply with ``inReplyTo``, a Takeout archive)."""

import datetime
import re
import xml.etree.ElementTree as ET
import zipfile
import zoneinfo
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from warta.blogs.models import Blog
from warta.comments.models import Comment, PageComment
from warta.migration.errors import ImportFailed
from warta.migration.services import import_blogger, import_wordpress
from warta.posts.models import Image, Page, Post, Status

A = "{http://www.w3.org/2005/Atom}"
B = "{http://schemas.google.com/blogger/2018}"
THR = "{http://purl.org/syndication/thread/1.0}"
KIND = "http://schemas.google.com/g/2005#kind"
TAKEOUT_BLOGS = [
    "takeout-ajedrez-alcala.atom",
    "takeout-caramembuat-id.atom",
    "takeout-laser-eye.atom",
    "takeout-pendidikan-id.atom",
    "takeout-potsrun.atom",
]
COMMENT_FEEDS = ["takeout-ajedrez-alcala-comments.atom", "takeout-laser-eye-comments.atom"]
# What each Blogger status must become: only LIVE is public.
POST_STATUS = {"LIVE": "published", "DRAFT": "draft", "SOFT_TRASHED": "trashed"}
COMMENT_STATUS = {"LIVE": "approved", "PENDING_MODERATION": "pending", "SPAM_COMMENT": "spam",
                  "GHOSTED_COMMENT": "spam", "DELETED": "trashed"}  # fmt: skip


def number(value):
    return re.search(r"(\d+)\s*$", value or "").group(1) if value and value.strip() else ""


def read_takeout(path):
    """``{"POST": {id: entry}, "PAGE": …, "COMMENT": …}`` of a Takeout feed."""
    entries = {"POST": {}, "PAGE": {}, "COMMENT": {}}
    for entry in ET.parse(path).getroot().iter(f"{A}entry"):
        kind = entry.findtext(f"{B}type")
        entries.setdefault(kind, {})[number(entry.findtext(f"{A}id"))] = entry
    return entries


def status(entry):
    return (entry.findtext(f"{B}status") or "LIVE").strip()


def anchors(html):
    return set(re.findall(r'<li id="c(\d+)"', html))


@pytest.fixture
def testdata_takeout(testdata):
    return testdata / "blogger-takeout"


def check_takeout_import(blog, entries, client):
    """Everything the file holds is in the blog, with its status; only LIVE comments show,
    every address answers and every reply keeps its parent."""
    tz = zoneinfo.ZoneInfo(blog.time_zone)
    for kind, model in (("POST", Post), ("PAGE", Page)):
        assert model.objects.filter(blog=blog).count() == len(entries[kind])
        for entry_id, entry in entries[kind].items():
            obj = model.objects.get(blog=blog, legacy_id=entry_id)
            assert obj.status == POST_STATUS[status(entry)], (entry_id, status(entry))
            if obj.status != Status.PUBLISHED:
                assert not obj.path or client.get(obj.path).status_code == 404
                continue
            filename = (entry.findtext(f"{B}filename") or "").strip()
            if filename:
                assert obj.path == filename
            elif model is Post:
                # No address in the file (the 2021 Takeout): Blogger's /YYYY/MM/ in the blog's zone.
                published = datetime.datetime.fromisoformat(entry.findtext(f"{A}published"))
                assert obj.path.startswith(f"{published.astimezone(tz):/%Y/%m/}"), obj.path
            assert client.get(obj.path).status_code == 200, obj.path
    comments = {cid: e for cid, e in entries["COMMENT"].items() if number(e.findtext(f"{B}parent"))}
    assert Comment.objects.filter(blog=blog).count() + PageComment.objects.filter(
        blog=blog
    ).count() == len(comments)
    shown_on = {}
    for comment_id, entry in comments.items():
        comment = Comment.objects.get(blog=blog, legacy_id=comment_id)
        assert comment.status == COMMENT_STATUS[status(entry)], (comment_id, status(entry))
        parent = number(entry.findtext(f"{B}inReplyTo"))
        assert (comment.parent.legacy_id if comment.parent else "") == parent
        shown_on.setdefault(comment.post, set())
        if comment.status == Comment.Status.APPROVED:
            shown_on[comment.post].add(comment_id)
    for post, approved in shown_on.items():
        html = client.get(post.path).content.decode()
        assert anchors(html) == approved, post.path  # exactly the approved comments
        assert post.comment_count == len(approved)
        for comment_id in approved:
            answer = client.get(f"{post.path}?showComment=1#c{comment_id}")
            assert answer.status_code == 200


@pytest.mark.parametrize("file", TAKEOUT_BLOGS)
def test_every_takeout_blog_imports_with_its_statuses_addresses_and_comments(
    db, testdata_takeout, host_client, file
):
    path = testdata_takeout / file
    entries = read_takeout(path)
    report = import_blogger(path=path, blog_slug="takeout")
    blog = Blog.objects.get(slug="takeout")
    check_takeout_import(blog, entries, host_client("takeout"))
    assert report.imported.get("post", 0) == len(entries["POST"])


def test_the_laser_eye_takeout_keeps_its_spam_and_ghosted_comments_out_of_sight(
    db, testdata_takeout, host_client
):
    entries = read_takeout(testdata_takeout / "takeout-laser-eye.atom")
    statuses = [status(e) for e in entries["COMMENT"].values()]
    assert {"SPAM_COMMENT", "GHOSTED_COMMENT", "LIVE"} <= set(statuses)
    import_blogger(path=testdata_takeout / "takeout-laser-eye.atom", blog_slug="laser")
    blog = Blog.objects.get(slug="laser")
    assert Comment.objects.filter(blog=blog, status="approved").count() == statuses.count("LIVE")
    assert Comment.objects.filter(blog=blog, status="spam").count() == (
        statuses.count("SPAM_COMMENT") + statuses.count("GHOSTED_COMMENT")
    )
    client = host_client("laser")
    for comment in Comment.objects.filter(blog=blog).exclude(status="approved"):
        html = client.get(comment.post.path).content.decode()
        assert f'id="c{comment.legacy_id}"' not in html


@pytest.mark.parametrize("feed", COMMENT_FEEDS)
def test_a_takeout_comments_feed_creates_nothing_and_never_doubles_a_comment(
    db, testdata_takeout, feed
):
    blog_feed = testdata_takeout / feed.replace("-comments", "")
    import_blogger(path=blog_feed, blog_slug="own")
    before = Comment.objects.filter(blog__slug="own").count()
    posts = Post.objects.filter(blog__slug="own").count()
    report = import_blogger(path=testdata_takeout / feed, blog_slug="own")
    assert Comment.objects.filter(blog__slug="own").count() == before
    assert Post.objects.filter(blog__slug="own").count() == posts
    assert report.imported == {}


def takeout_zip(tmp_path, testdata_takeout, name, *, album=b""):
    """A Takeout archive laid out as Google writes it, from the real feed and settings."""
    path = tmp_path / "takeout-20260101.zip"
    folder = f"Takeout/Blogger/Blogs/{name}"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(testdata_takeout / f"takeout-{name}.atom", f"{folder}/feed.atom")
        archive.write(testdata_takeout / f"takeout-{name}-settings.csv", f"{folder}/settings.csv")
        archive.write(
            testdata_takeout / f"takeout-{name}-comments.atom",
            f"Takeout/Blogger/Comments/{name}/feed.atom",
        )
        if album:
            archive.writestr(f"Takeout/Blogger/Albums/{name}/foto-pantai.png", album)
    return path


def png() -> bytes:
    import io

    from PIL import Image as Picture

    data = io.BytesIO()
    Picture.new("RGB", (3, 2), "teal").save(data, "PNG")
    return data.getvalue()


def test_a_takeout_archive_is_read_directly_with_its_settings_and_albums(
    db, tmp_path, testdata_takeout, host_client, settings, tmp_path_factory
):
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    path = takeout_zip(tmp_path, testdata_takeout, "laser-eye", album=png())
    report = import_blogger(path=path, blog_slug="zip")
    blog = Blog.objects.get(slug="zip")
    # settings.csv: the blog's time zone and moderation; its locale "en" is Warta's.
    assert blog.time_zone == "America/Los_Angeles"
    assert blog.language == "en"
    assert blog.moderation == Blog.Moderation.NONE
    assert blog.comment_policy == Blog.CommentPolicy.SIGNED_IN  # BLOGGER_PLUS_OPENID
    check_takeout_import(
        blog,
        read_takeout(testdata_takeout / "takeout-laser-eye.atom"),
        host_client("zip"),
    )
    album = Image.objects.get(blog=blog, alt="foto-pantai")
    assert album.file and album.width == 3
    assert report.imported["image"] > 1
    # No real address from settings.csv is kept or said.
    csv_text = (testdata_takeout / "takeout-laser-eye-settings.csv").read_text("utf-8")
    addresses = set(re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+", csv_text))
    assert addresses
    said = report.summary() + str(Blog.objects.filter(pk=blog.pk).values().get())
    assert not any(address in said for address in addresses)


def test_the_newer_settings_csv_locale_that_warta_lacks_is_reported(db, tmp_path, testdata_takeout):
    path = takeout_zip(tmp_path, testdata_takeout, "ajedrez-alcala")
    report = import_blogger(path=path, blog_slug="ajedrez")
    blog = Blog.objects.get(slug="ajedrez")
    assert blog.time_zone == "Europe/Madrid"
    assert blog.title == "CLUB DE AJEDREZ ALCALÁ DE HENARES"
    warnings = dict(report.warnings)
    assert "“es”" in warnings["BLOG_LOCALE"]
    assert blog.get_language_display() in warnings["BLOG_LOCALE"]


def test_a_zip_that_is_not_a_takeout_names_the_file_to_give(db, tmp_path, counts):
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Takeout/Google Photos/a.jpg", b"x")
    before = counts()
    with pytest.raises(ImportFailed, match="feed.atom") as error:
        import_blogger(path=path, blog_slug="nope")
    assert "Start tag" not in str(error.value)
    assert counts() == before


def test_a_takeout_of_several_blogs_names_each_feed(db, tmp_path, testdata_takeout):
    path = tmp_path / "two.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name in ("pendidikan-id", "caramembuat-id"):
            archive.write(
                testdata_takeout / f"takeout-{name}.atom", f"Takeout/Blogger/Blogs/{name}/feed.atom"
            )
    with pytest.raises(ImportFailed) as error:
        import_blogger(path=path, blog_slug="two")
    assert "Takeout/Blogger/Blogs/pendidikan-id/feed.atom" in str(error.value)
    assert "Takeout/Blogger/Blogs/caramembuat-id/feed.atom" in str(error.value)


def test_a_takeout_zip_given_to_the_wordpress_importer_says_what_to_give(
    db, tmp_path, testdata_takeout
):
    path = takeout_zip(tmp_path, testdata_takeout, "laser-eye")
    with pytest.raises(ImportFailed, match=r"\.xml") as error:
        import_wordpress(path=path, blog_slug="wp")
    assert "Start tag expected" not in str(error.value)


TAKEOUT_HEAD = """<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>
<id>tag:blogger.com,1999:blog-9</id><title>Kecil</title>
<entry><id>tag:blogger.com,1999:blog-9.post-10</id><blogger:type>POST</blogger:type>
<blogger:status>LIVE</blogger:status><blogger:filename>/2020/05/warga.html</blogger:filename>
<title>Warga</title><content type='html'>&lt;p&gt;Isi&lt;/p&gt;</content>
<published>2020-05-01T10:00:00Z</published><author><name>Ana</name></author></entry>
"""


def comment(cid, status, *, in_reply_to="", content="Komentar", published="2020-05-02"):
    return (
        f"<entry><id>tag:blogger.com,1999:blog-9.post-{cid}</id><blogger:type>COMMENT</blogger:type>"
        f"<blogger:status>{status}</blogger:status><blogger:parent>10</blogger:parent>"
        f"<blogger:inReplyTo>{in_reply_to}</blogger:inReplyTo>"
        f"<content type='html'>{content}</content><published>{published}T00:00:00Z</published>"
        "<author><name>Pembaca</name><blogger:type>ANONYMOUS</blogger:type></author></entry>\n"
    )


def test_takeout_statuses_replies_and_comment_html_as_blogger_showed_them(
    db, tmp_path, host_client
):
    link = "Lihat &lt;b&gt;ini&lt;/b&gt; &lt;a href=&quot;https://contoh.id/a&quot; onclick=&quot;x()&quot;&gt;sumber&lt;/a&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    path = tmp_path / "feed.atom"
    path.write_text(
        TAKEOUT_HEAD
        # The reply before the comment it answers, as Takeout orders by id.
        + comment(20, "LIVE", in_reply_to="tag:blogger.com,1999:blog-9.post-30", published="2020-05-03")
        + comment(30, "LIVE", content=link)
        + comment(40, "PENDING_MODERATION", content="Tunggu https://spam.example/")
        + comment(50, "GHOSTED_COMMENT", content="")
        + comment(60, "SOMETHING_NEW")
        + "</feed>",
        "utf-8",
    )  # fmt: skip
    report = import_blogger(path=path, blog_slug="kecil")
    blog = Blog.objects.get(slug="kecil")
    by_id = {c.legacy_id: c for c in Comment.objects.filter(blog=blog)}
    assert by_id["20"].parent == by_id["30"]
    assert by_id["40"].status == "pending"
    assert by_id["50"].status == "spam"
    assert by_id["60"].status == "pending"  # unknown: held, and said
    assert any(key == "60" for key, _m in report.warnings)
    html = host_client("kecil").get("/2020/05/warga.html").content.decode()
    assert anchors(html) == {"20", "30"}
    assert "spam.example" not in html
    shown = by_id["30"].body_html
    assert "<b>ini</b>" in shown
    assert '<a href="https://contoh.id/a" rel="nofollow ugc noopener">sumber</a>' in shown
    assert "onclick" not in shown and "<script" not in shown and "alert" not in shown
    assert "(https://contoh.id/a)" not in shown
    # The anchors old links use, Blogger's #c and WordPress's #comment-, are on the page.
    assert 'id="c30"' in html and 'id="comment-30"' in html


def test_a_cut_atom_file_names_one_line(db, testdata, tmp_path):
    data = (testdata / "blogger-takeout" / "takeout-potsrun.atom").read_bytes()
    path = tmp_path / "cut.atom"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImportFailed) as error:
        import_blogger(path=path, blog_slug="cut")
    message = str(error.value)
    assert len(re.findall(r"\bline\b", message)) == 1, message
    assert re.search(r"\(line \d+\)$", message)


def test_the_command_answers_in_the_language_the_environment_names(
    db, testdata, monkeypatch, capsys
):
    path = testdata / "blogger-export" / "blog-03-21-2019.xml"
    monkeypatch.setenv("LC_ALL", "id_ID.UTF-8")
    call_command("import", "blogger", str(path), "--blog", "fizkult")
    out = capsys.readouterr().out
    assert "Diimpor:" in out and "Imported:" not in out
    assert "«ru»" in out or "“ru”" in out
    call_command("import", "blogger", str(path), "--blog", "fizkult", "--language", "en")
    assert "Imported: 0" in capsys.readouterr().out


def test_an_error_quoting_non_latin_text_prints_it_as_text(db, tmp_path, monkeypatch):
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    path = tmp_path / "broken.atom"
    path.write_text(
        "<feed xmlns='http://www.w3.org/2005/Atom'><entry><title>今年も</titel></entry></feed>",
        "utf-8",
    )
    with pytest.raises(CommandError) as error:
        call_command("import", "blogger", str(path), "--blog", "x")
    message = str(error.value)
    assert "\\x" not in message
    assert "titel" in message and "line 1" in message


def test_a_derived_address_follows_the_blogs_time_zone_at_the_month_edge(db, tmp_path):
    """Published 2020-06-01 02:00 UTC is still May in Los Angeles: /2020/05/."""
    path = tmp_path / "feed.atom"
    settings_csv = tmp_path / "settings.csv"
    settings_csv.write_text("blog_name,blog_time_zone\nTepi,America/Los_Angeles\n", "utf-8")
    path.write_text(
        "<feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>"
        "<entry><id>tag:blogger.com,1999:blog-9.post-11</id><blogger:type>POST</blogger:type>"
        "<blogger:status>LIVE</blogger:status><title>Di Tepi Bulan</title><content type='html'>x</content>"
        "<published>2020-06-01T02:00:00Z</published></entry></feed>",
        "utf-8",
    )  # fmt: skip
    import_blogger(path=path, blog_slug="tepi")
    post = Post.objects.get(blog__slug="tepi")
    assert post.path == "/2020/05/di-tepi-bulan.html"
    assert Blog.objects.get(slug="tepi").title == "Tepi"


def test_every_blogger_backup_comment_anchor_lands_and_replies_keep_their_parent(
    db, testdata, host_client
):
    path = testdata / "blogger-export" / "blog-03-21-2019.xml"
    import_blogger(path=path, blog_slug="fizkult")
    client = host_client("fizkult")
    checked = 0
    for entry in ET.parse(path).getroot().iter(f"{A}entry"):
        kind = [c.get("term") for c in entry.iter(f"{A}category") if c.get("scheme") == KIND]
        if not kind[0].endswith("#comment"):
            continue
        comment_id = number(entry.findtext(f"{A}id"))
        link = next(x.get("href") for x in entry.findall(f"{A}link") if x.get("rel") == "alternate")
        url = urlsplit(link)
        html = client.get(f"{url.path}?{url.query}").content.decode()
        assert f'id="{url.fragment}"' in html and f'id="comment-{comment_id}"' in html
        related = [x.get("href") for x in entry.findall(f"{A}link") if x.get("rel") == "related"]
        saved = Comment.objects.get(blog__slug="fizkult", legacy_id=comment_id)
        assert (saved.parent.legacy_id if saved.parent else None) == (
            related[0].rsplit("/", 1)[1] if related else None
        )
        checked += 1
    assert checked == 52


def test_a_takeout_member_that_would_fill_the_disk_is_refused(db, tmp_path, counts):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Takeout/Blogger/Blogs/x/feed.atom", b" " * 20 * 2**20)
    before = counts()
    with pytest.raises(ImportFailed, match="zip bomb"):
        import_blogger(path=path, blog_slug="bomb")
    assert counts() == before
