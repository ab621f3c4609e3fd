"""WordPress exports as publishers have them: every real file of ``wxr-real/`` and the theme
unit test data, counted here with the standard library, and small files for what no real file
shows (an undeclared ``atom:`` prefix, a fediverse like, a comment on an attachment, an id
that appears twice)."""

import re
import xml.etree.ElementTree as ET
from urllib.parse import quote, unquote, urlsplit

import pytest
from django.utils.text import slugify

from warta.blogs.models import Blog
from warta.comments.models import Comment, PageComment
from warta.migration.services import import_wordpress
from warta.posts.models import Page, Post, Status

FILES = [
    "wxr-real/wp-clog-zh.xml",
    "wxr-real/wp6-drrajshah.xml",
    "wxr-real/wp6-stepsite-ja.xml",
    "wxr-real/wpcom-kecebongsoft-id.xml",
    "wxr-real/wpcom-ninedof.xml",
    "wxr-theme-unit-test/themeunittestdata.wordpress.xml",
]
CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
STATUS = {"1": "approved", "0": "pending", "spam": "spam", "trash": "trashed"}
KEPT_TYPES = {"": "comment", "comment": "comment", "pingback": "pingback", "trackback": "trackback"}


def wp(element, name, default=""):
    for child in element:
        if child.tag.endswith("}" + name) and "wordpress.org/export/" in child.tag:
            return (child.text or "").strip()
    return default


def wp_all(element, name):
    return [c for c in element if c.tag.endswith("}" + name) and "wordpress.org/export/" in c.tag]


def read(path):
    """Items by type and id (the first of a repeated id), read with the standard library
    once the control characters XML cannot hold are taken out."""
    root = ET.fromstring(CONTROL.sub(b"", path.read_bytes()))
    items = {}
    for item in root.iter("item"):
        items.setdefault(wp(item, "post_type"), {}).setdefault(wp(item, "post_id"), item)
    return items


def anchors(html):
    return set(re.findall(r'<span id="comment-([^"]+)"', html))


@pytest.mark.parametrize("file", FILES)
def test_every_wordpress_export_keeps_each_comment_address_and_status(
    db, testdata, host_client, file
):
    path = testdata / file
    items = read(path)
    report = import_wordpress(path=path, blog_slug="wp")
    blog = Blog.objects.get(slug="wp")
    client = host_client("wp")
    posts, pages = items.get("post", {}), items.get("page", {})
    assert Post.objects.filter(blog=blog).count() == len(posts)
    assert Page.objects.filter(blog=blog).count() == len(pages)

    expected_shown: dict[str, set] = {}  # post id -> approved comment ids
    counted = {"comment": 0, "page comment": 0}
    for kind, group in (
        ("post", posts),
        ("page", pages),
        ("attachment", items.get("attachment", {})),
    ):
        for item_id, item in group.items():
            for c in wp_all(item, "comment"):
                comment_type = wp(c, "comment_type")
                if comment_type not in KEPT_TYPES:
                    continue
                home_kind, home = kind, item_id
                if kind == "attachment":
                    home = wp(item, "post_parent", "0")
                    home_kind = "post" if home in posts else "page" if home in pages else ""
                    if not home_kind:
                        continue
                model = Comment if home_kind == "post" else PageComment
                saved = model.objects.get(blog=blog, legacy_id=wp(c, "comment_id"))
                assert saved.kind == KEPT_TYPES[comment_type]
                assert saved.status == STATUS[wp(c, "comment_approved")]
                parent = wp(c, "comment_parent", "0")
                assert (saved.parent.legacy_id if saved.parent else "0") == parent
                entry = saved.post if model is Comment else saved.page
                assert entry.legacy_id == home
                counted["comment" if model is Comment else "page comment"] += 1
                if saved.status == "approved":
                    expected_shown.setdefault((home_kind, home), set()).add(saved.legacy_id)
    assert Comment.objects.filter(blog=blog).count() == counted["comment"]
    assert PageComment.objects.filter(blog=blog).count() == counted["page comment"]
    assert report.imported.get("page comment", 0) == counted["page comment"]

    for post_id, item in {**posts, **pages}.items():
        model = Post if post_id in posts else Page
        entry = model.objects.get(blog=blog, legacy_id=post_id)
        if entry.status != Status.PUBLISHED:
            # A draft (a private post among them) has no address and nothing leads to it.
            if entry.status == Status.DRAFT:
                assert not entry.path
                assert (
                    client.get(f"/?{'page_id' if model is Page else 'p'}={post_id}").status_code
                    != 301
                )
            continue
        page = client.get(entry.path)
        assert page.status_code == 200, entry.path
        # Exactly the approved comments show, on posts and pages, each with its #comment-N.
        shown = expected_shown.get(("post" if model is Post else "page", post_id), set())
        assert anchors(page.content.decode()) == shown, entry.path
        if model is Post:
            assert entry.comment_count == len(shown)
        link = urlsplit(item.findtext("link") or "")
        old = re.sub("^/+", "/", unquote(link.path))
        query = "page_id" if model is Page else "p"
        addresses = {f"/?{query}={post_id}"}
        if old.count("/") > 1 and not link.query:
            addresses |= {old, old.rstrip("/"), old.rstrip("/") + "/"}
            # The percent-encoded spelling a browser sends answers too.
            addresses.add(re.sub("^/+", "/", link.path))
        for address in addresses:
            answer = client.get(address)
            if unquote(address) == entry.path:
                assert answer.status_code == 200
            else:
                assert answer.status_code == 301, address
                assert unquote(answer["Location"]) == entry.path, address

    for comment in Comment.objects.filter(blog=blog).exclude(status="approved"):
        assert (
            f'id="comment-{comment.legacy_id}"'
            not in client.get(comment.post.path).content.decode()
        )


def test_non_latin_slugs_keep_their_own_letters(db, testdata, host_client):
    path = testdata / "wxr-real" / "wp-clog-zh.xml"
    items = read(path)
    import_wordpress(path=path, blog_slug="zh")
    client = host_client("zh")
    kept = 0
    for post_id, item in items["post"].items():
        name = unquote(wp(item, "post_name")).lower()
        post = Post.objects.get(blog__slug="zh", legacy_id=post_id)
        if post.status != Status.PUBLISHED or name.isascii():
            continue
        if slugify(name, allow_unicode=True) != name:  # 贪吃蛇【box】 is no slug: made anew
            assert post.slug == slugify(name, allow_unicode=True) or post.slug
            continue
        assert post.slug == name  # 留言板, not "post" or "post_2"
        assert post.path.endswith(f"/{name}.html")
        assert client.get(quote(post.path)).status_code == 200
        kept += 1
    assert kept > 50
    assert not Post.objects.filter(blog__slug="zh", slug__regex=r"^post(_\d+)?$").exists()


def test_a_raw_control_character_is_dropped_and_said_in_the_report(db, testdata):
    path = testdata / "wxr-real" / "wp6-stepsite-ja.xml"
    lines = [n for n, line in enumerate(path.read_bytes().split(b"\n"), 1) if CONTROL.search(line)]
    assert lines  # the file really is not well-formed
    report = import_wordpress(path=path, blog_slug="ja")
    said = {entry_id for entry_id, message in report.warnings if "U+0008" in message}
    assert said == {f"line {n}" for n in lines}
    # Nothing silently dropped, as a recovering parser would: every item is here.
    items = read(path)
    assert Post.objects.filter(blog__slug="ja").count() == len(items["post"]) == 190


WXR = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Kecil</title>
<atom:link href="https://kecil.wordpress.com/feed/" rel="self" type="application/rss+xml"/>
<wp:wxr_version>1.2</wp:wxr_version>
<item><title>Foto</title><wp:post_id>5</wp:post_id><wp:post_type>attachment</wp:post_type>
<wp:post_parent>10</wp:post_parent><wp:status>inherit</wp:status>
<wp:attachment_url>https://kecil.files.wordpress.com/foto.jpg</wp:attachment_url>
<wp:comment><wp:comment_id>71</wp:comment_id><wp:comment_author>Ani</wp:comment_author>
<wp:comment_date_gmt>2020-01-03 00:00:00</wp:comment_date_gmt>
<wp:comment_content>Foto bagus</wp:comment_content><wp:comment_approved>1</wp:comment_approved></wp:comment>
</item>
<item><title>Kabar</title><link>https://kecil.wordpress.com/2020/01/02/kabar/</link>
<wp:post_id>10</wp:post_id><wp:post_date_gmt>2020-01-02 10:00:00</wp:post_date_gmt>
<wp:post_name>kabar</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<content:encoded>Isi</content:encoded>
<wp:comment><wp:comment_id>72</wp:comment_id><wp:comment_author>Budi</wp:comment_author>
<wp:comment_date_gmt>2020-01-03 00:00:00</wp:comment_date_gmt>
<wp:comment_content><![CDATA[Lihat <a href="https://contoh.id/" onclick="x()">ini</a>, <b>tebal</b>]]></wp:comment_content>
<wp:comment_approved>1</wp:comment_approved></wp:comment>
<wp:comment><wp:comment_id>73</wp:comment_id><wp:comment_author>mastodon.social</wp:comment_author>
<wp:comment_date_gmt>2020-01-03 00:00:00</wp:comment_date_gmt>
<wp:comment_content>… liked this!</wp:comment_content><wp:comment_approved>1</wp:comment_approved>
<wp:comment_type>like</wp:comment_type></wp:comment>
<wp:comment><wp:comment_id>74</wp:comment_id><wp:comment_author>Blog lain</wp:comment_author>
<wp:comment_date_gmt>2020-01-04 00:00:00</wp:comment_date_gmt>
<wp:comment_content>[…] menautkan […]</wp:comment_content><wp:comment_approved>1</wp:comment_approved>
<wp:comment_type>pingback</wp:comment_type></wp:comment>
</item>
<item><title>Kabar lain, id sama</title><link>https://kecil.wordpress.com/2020/01/09/lain/</link>
<wp:post_id>10</wp:post_id><wp:post_date_gmt>2020-01-09 10:00:00</wp:post_date_gmt>
<wp:post_name>lain</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<content:encoded>Lain</content:encoded></item>
<item><title>Tentang</title><link>https://kecil.wordpress.com/tentang/</link>
<wp:post_id>20</wp:post_id><wp:post_name>tentang</wp:post_name><wp:status>publish</wp:status>
<wp:post_type>page</wp:post_type><content:encoded>Kami</content:encoded>
<wp:comment><wp:comment_id>81</wp:comment_id><wp:comment_author>Cici</wp:comment_author>
<wp:comment_date_gmt>2020-01-05 00:00:00</wp:comment_date_gmt>
<wp:comment_content>Halo</wp:comment_content><wp:comment_approved>1</wp:comment_approved></wp:comment>
<wp:comment><wp:comment_id>82</wp:comment_id><wp:comment_author>Dodi</wp:comment_author>
<wp:comment_date_gmt>2020-01-06 00:00:00</wp:comment_date_gmt><wp:comment_parent>81</wp:comment_parent>
<wp:comment_content>Balas</wp:comment_content><wp:comment_approved>0</wp:comment_approved></wp:comment>
</item>
</channel></rss>
"""


@pytest.fixture
def small(db, tmp_path):
    path = tmp_path / "kecil.wordpress.xml"
    path.write_text(WXR, "utf-8")
    report = import_wordpress(path=path, blog_slug="kecil")
    return Blog.objects.get(slug="kecil"), report


def test_an_undeclared_atom_prefix_is_read_as_wordpress_reads_it(small):
    blog, report = small
    assert Post.objects.filter(blog=blog).count() == 1
    assert any("atom:" in message for _id, message in report.warnings)


def test_likes_are_counted_not_shown_and_pingbacks_stay_pingbacks(small, host_client):
    blog, report = small
    assert not Comment.objects.filter(blog=blog, legacy_id="73").exists()
    assert report.skipped["like"] == 1
    assert Comment.objects.get(blog=blog, legacy_id="74").kind == Comment.Kind.PINGBACK
    html = host_client("kecil").get("/2020/01/kabar.html").content.decode()
    assert "liked this" not in html


def test_a_comment_on_an_attachment_goes_under_its_post(small, host_client):
    blog, _report = small
    comment = Comment.objects.get(blog=blog, legacy_id="71")
    assert comment.post.legacy_id == "10"
    assert 'id="comment-71"' in host_client("kecil").get("/2020/01/kabar.html").content.decode()


def test_comments_on_a_page_are_kept_with_their_status_and_thread(small, host_client):
    blog, _report = small
    hello, reply = PageComment.objects.filter(blog=blog).order_by("legacy_id")
    assert hello.page.path == "/p/tentang.html"
    assert (hello.status, reply.status) == ("approved", "pending")
    assert reply.parent == hello
    html = host_client("kecil").get("/p/tentang.html").content.decode()
    assert 'id="c81"' in html and 'id="comment-81"' in html and "Halo" in html
    assert 'id="c82"' not in html and "Balas" not in html


def test_comment_html_is_kept_sanitised_with_nofollow(small):
    blog, _report = small
    html = Comment.objects.get(blog=blog, legacy_id="72").body_html
    assert '<a href="https://contoh.id/" rel="nofollow ugc noopener">ini</a>' in html
    assert "<b>tebal</b>" in html and "onclick" not in html


def test_a_repeated_id_is_reported_and_never_redirected_to_another_post(small, host_client):
    blog, report = small
    post = Post.objects.get(blog=blog)
    assert post.title == "Kabar"
    assert any(
        entry_id == "10" and "Kabar lain, id sama" in message
        for entry_id, message in report.warnings
    )
    client = host_client("kecil")
    assert client.get("/2020/01/09/lain/").status_code == 404
    assert client.get("/2020/01/02/kabar").status_code == 301
    assert client.get("/2020/01/02/kabar/")["Location"] == post.path


def test_the_report_names_once_each_thing_of_wordpress_it_does_not_bring(db, testdata):
    path = testdata / "wxr-theme-unit-test" / "themeunittestdata.wordpress.xml"
    text = path.read_text("utf-8")
    assert 'domain="post_format"' in text
    report = import_wordpress(path=path, blog_slug="wp")
    notes = [message for entry_id, message in report.warnings if not entry_id]
    assert len(notes) == len(set(notes))
    assert any("Post formats" in note for note in notes)
    assert any("pages under other pages" in note for note in notes)
    ip_path = testdata / "wxr-real" / "wpcom-kecebongsoft-id.xml"
    ips = set(re.findall(r"<wp:comment_author_IP>([^<]+)<", ip_path.read_text("utf-8")))
    report = import_wordpress(path=ip_path, blog_slug="id")
    summary = report.summary()
    assert "IP addresses are not kept" in summary
    assert ips and not any(ip in summary for ip in ips)
