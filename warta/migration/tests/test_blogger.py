import re
import xml.etree.ElementTree as ET
from urllib.parse import quote, urlsplit

import pytest

from warta.blogs.models import Blog
from warta.comments.models import Comment
from warta.migration.errors import ImportFailed
from warta.migration.services import import_blogger
from warta.posts.models import Label, Page, Post, Status

A = "{http://www.w3.org/2005/Atom}"
KIND = "http://schemas.google.com/g/2005#kind"
THR = "{http://purl.org/syndication/thread/1.0}"


def read_blogger(path):
    """Count the file with the standard library, independently of the importer."""
    entries = {"post": [], "page": [], "comment": [], "settings": []}
    for entry in ET.parse(path).getroot().iter(f"{A}entry"):
        kind = next(
            c.get("term").rsplit("#", 1)[1]
            for c in entry.iter(f"{A}category")
            if c.get("scheme") == KIND
        )
        entries.setdefault(kind, []).append(entry)
    return entries


def last_id(entry):
    return entry.find(f"{A}id").text.rsplit("-", 1)[1]


def alternate(entry):
    for link in entry.findall(f"{A}link"):
        if link.get("rel") == "alternate":
            return link.get("href")
    return None


@pytest.fixture
def fizkult(testdata):
    return testdata / "blogger-export" / "blog-03-21-2019.xml"


@pytest.fixture
def imported(db, fizkult):
    report = import_blogger(path=fizkult, blog_slug="fizkult")
    return Blog.objects.get(slug="fizkult"), report


def test_blogger_corpus_imports_every_post_page_comment_and_label(imported, fizkult):
    blog, report = imported
    entries = read_blogger(fizkult)
    labels = {
        c.get("term")
        for e in entries["post"]
        for c in e.iter(f"{A}category")
        if c.get("scheme") == "http://www.blogger.com/atom/ns#"
    }
    assert Post.objects.filter(blog=blog).count() == len(entries["post"]) > 0
    assert Page.objects.filter(blog=blog).count() == len(entries["page"]) > 0
    assert Comment.objects.filter(blog=blog).count() == len(entries["comment"]) > 0
    assert set(Label.objects.filter(blog=blog).values_list("name", flat=True)) == labels
    # The one thing Warta cannot take: the blog's Russian locale, said in so many words.
    warnings = [(entry_id, m) for entry_id, m in report.warnings if entry_id]  # not the notes
    assert [entry_id for entry_id, _message in warnings] == ["BLOG_LOCALE"]
    assert "“ru”" in warnings[0][1]
    # What Warta has no place for is said once, for the whole file.
    notes = [m for entry_id, m in report.warnings if not entry_id]
    assert len(notes) == 1 and "BLOG_COMMENT_CAPTCHA" in notes[0]
    for entry in entries["post"]:
        post = Post.objects.get(blog=blog, legacy_id=last_id(entry))
        assert post.title == entry.find(f"{A}title").text
        assert post.published_at.isoformat(timespec="milliseconds")[:19] != ""
        names = {
            c.get("term")
            for c in entry.iter(f"{A}category")
            if c.get("scheme") == "http://www.blogger.com/atom/ns#"
        }
        assert set(post.labels.values_list("name", flat=True)) == names
        assert post.comment_count == int(entry.find(f"{THR}total").text)


def test_blogger_times_keep_their_instant(imported, fizkult):
    from django.utils.dateparse import parse_datetime

    blog, _report = imported
    for entry in read_blogger(fizkult)["post"]:
        post = Post.objects.get(blog=blog, legacy_id=last_id(entry))
        assert post.published_at == parse_datetime(entry.find(f"{A}published").text)
        assert post.updated_at == parse_datetime(entry.find(f"{A}updated").text)


def test_blogger_replies_keep_their_threading(imported, fizkult):
    blog, _report = imported
    replies = 0
    for entry in read_blogger(fizkult)["comment"]:
        comment = Comment.objects.get(blog=blog, legacy_id=last_id(entry))
        post_ref = entry.find(f"{THR}in-reply-to").get("ref").rsplit("-", 1)[1]
        assert comment.post.legacy_id == post_ref
        related = [
            link.get("href") for link in entry.findall(f"{A}link") if link.get("rel") == "related"
        ]
        if related:
            replies += 1
            assert comment.parent.legacy_id == related[0].rsplit("/", 1)[1]
        else:
            assert comment.parent is None
        assert comment.status == Comment.Status.APPROVED
    assert replies > 0


def test_every_blogger_url_of_the_file_answers_with_its_post(imported, fizkult, host_client):
    blog, _report = imported
    client = host_client("fizkult")
    entries = read_blogger(fizkult)
    for entry in entries["post"] + entries["page"]:
        path = urlsplit(alternate(entry)).path
        for variant in (path, path + "?m=1"):
            response = client.get(variant)
            assert response.status_code == 200, variant
            assert entry.find(f"{A}title").text in response.content.decode()
        if entry in entries["post"]:
            feed = client.get(f"/feeds/{last_id(entry)}/comments/default")
            assert feed.status_code == 200
    for entry in entries["comment"]:
        url = urlsplit(alternate(entry))
        response = client.get(f"{url.path}?{url.query}")
        assert response.status_code == 200
        assert f'id="{url.fragment}"' in response.content.decode()
    for label in Label.objects.filter(blog=blog):
        response = client.get("/search/label/" + quote(label.name, safe=""))
        assert response.status_code == 200
    assert client.get("/feeds/posts/default").status_code == 200


def test_blogger_settings_become_the_blogs_settings(imported):
    blog, _report = imported
    assert blog.title == "Физкульт-привет!"
    assert blog.time_zone == "America/Los_Angeles"
    assert blog.comment_policy == Blog.CommentPolicy.SIGNED_IN  # BLOGGERS
    assert blog.moderation == Blog.Moderation.NONE  # DISABLED
    assert blog.moderation_delay_days == 14


def test_blogger_admin_addresses_are_never_stored_or_printed(imported, fizkult):
    from warta.accounts.models import User

    _blog, report = imported
    raw = fizkult.read_text(encoding="utf-8")
    secret = re.search(r"BLOG_ADMIN_PERMISSION</id>.*?<content type='text'>(.*?)</content>", raw)
    addresses = [a for a in re.split(r"[,\s]+", secret.group(1)) if "@" in a]
    assert addresses
    stored = set(User.objects.values_list("email", flat=True))
    for address in addresses:
        assert address not in stored
        assert address not in report.summary()


def test_running_the_blogger_import_twice_changes_nothing(imported, fizkult, counts):
    before = counts()
    report = import_blogger(path=fizkult, blog_slug="fizkult")
    assert counts() == before
    assert report.imported == {}
    assert report.skipped["post"] == len(read_blogger(fizkult)["post"])


def test_blogger_authors_become_profiles_without_login(imported):
    blog, _report = imported
    author = Post.objects.filter(blog=blog).first().author
    assert author.is_profile_only
    assert not author.has_usable_password()
    assert author.display_name == "Хранитель тепла"


def test_the_hand_edited_blogger_file_fails_naming_the_line(db, testdata, counts):
    before = counts()
    with pytest.raises(ImportFailed) as error:
        import_blogger(path=testdata / "blogger-export" / "pelican-bloggerexport.xml",
                       blog_slug="pelican")  # fmt: skip
    assert error.value.line == 973
    assert "973" in str(error.value)
    assert counts() == before


def test_blogger_drafts_stay_drafts_without_an_address(db, testdata, tmp_path):
    source = (testdata / "blogger-export" / "pelican-bloggerexport.xml").read_text("utf-8")
    fixed = tmp_path / "fixed.xml"
    fixed.write_text(source.replace("<app:control>", "<app:control xmlns:app='http://purl.org/atom/app#'>"), "utf-8")  # fmt: skip
    tree = ET.parse(fixed)
    drafts = [
        e
        for e in tree.getroot().iter(f"{A}entry")
        if e.find("{http://purl.org/atom/app#}control") is not None
    ]
    import_blogger(path=fixed, blog_slug="pelican")
    assert drafts
    for entry in drafts:
        model = Post if "kind#post" in ET.tostring(entry, encoding="unicode") else Page
        imported = model.objects.get(legacy_id=last_id(entry))
        assert imported.status == Status.DRAFT
        assert imported.path == ""


TAKEOUT = """<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>
<entry><id>tag:blogger.com,1999:blog-7.post-101</id><blogger:type>POST</blogger:type>
<blogger:status>LIVE</blogger:status><blogger:filename>/2011/10/kabar-lama.html</blogger:filename>
<title>Kabar &amp;amp; lama</title><content type='html'>&lt;p&gt;Isi&lt;/p&gt;</content>
<published>2011-10-25T11:07:23.849+07:00</published><updated>2011-10-26T11:07:23+07:00</updated>
<category scheme='tag:blogger.com,1999:blog-7' term='Politik'/>
<author><name>Rina</name><uri>https://www.blogger.com/profile/9</uri></author></entry>
<entry><id>tag:blogger.com,1999:blog-7.post-102</id><blogger:type>POST</blogger:type>
<blogger:status>DRAFT</blogger:status><title>Belum selesai</title><content type='html'>x</content>
<published>2012-01-01T00:00:00Z</published></entry>
<entry><id>tag:blogger.com,1999:blog-7.post-103</id><blogger:type>POST</blogger:type>
<blogger:status>SOFT_TRASHED</blogger:status><title>Dibuang</title><content type='html'>x</content>
<published>2012-01-01T00:00:00Z</published></entry>
<entry><id>tag:blogger.com,1999:blog-7.page-201</id><blogger:type>PAGE</blogger:type>
<blogger:status>LIVE</blogger:status><blogger:filename>/p/tentang.html</blogger:filename>
<title>Tentang</title><content type='html'>Kami</content><published>2012-01-01T00:00:00Z</published></entry>
<entry><id>tag:blogger.com,1999:blog-7.post-302</id><blogger:type>COMMENT</blogger:type>
<blogger:status>LIVE</blogger:status><blogger:parent>tag:blogger.com,1999:blog-7.post-301</blogger:parent>
<title>t</title><content type='html'>Setuju</content><published>2012-01-03T00:00:00Z</published>
<author><name>Budi</name></author></entry>
<entry><id>tag:blogger.com,1999:blog-7.post-301</id><blogger:type>COMMENT</blogger:type>
<blogger:status>LIVE</blogger:status><blogger:parent>tag:blogger.com,1999:blog-7.post-101</blogger:parent>
<title>t</title><content type='html'>Bagus &lt;a href="https://contoh.id/"&gt;sumber&lt;/a&gt;</content>
<published>2012-01-02T00:00:00Z</published><author><name>Ani</name></author></entry>
<entry><id>tag:blogger.com,1999:blog-7.post-303</id><blogger:type>COMMENT</blogger:type>
<blogger:status>SPAM_COMMENT</blogger:status><blogger:parent>101</blogger:parent>
<title>t</title><content type='html'>Beli obat</content><published>2012-01-04T00:00:00Z</published></entry>
</feed>
"""


def test_the_newer_takeout_format_imports_with_statuses_and_threads(db, tmp_path, host_client):
    path = tmp_path / "feed.atom"
    path.write_text(TAKEOUT, "utf-8")
    report = import_blogger(path=path, blog_slug="takeout")
    blog = Blog.objects.get(slug="takeout")
    post = Post.objects.get(blog=blog, legacy_id="101")
    assert post.path == "/2011/10/kabar-lama.html"
    assert post.title == "Kabar & lama"
    assert list(post.labels.values_list("name", flat=True)) == ["Politik"]
    assert Post.objects.get(legacy_id="102").status == Status.DRAFT
    assert Post.objects.get(legacy_id="103").status == Status.TRASHED
    assert Page.objects.get(blog=blog).path == "/p/tentang.html"
    reply = Comment.objects.get(legacy_id="302")
    assert reply.parent.legacy_id == "301"
    assert reply.post == post
    assert Comment.objects.get(legacy_id="301").body == "Bagus sumber (https://contoh.id/)"
    assert Comment.objects.get(legacy_id="303").status == Comment.Status.SPAM
    assert report.imported["comment"] == 3
    assert host_client("takeout").get("/2011/10/kabar-lama.html").status_code == 200


def test_a_takeout_reply_to_a_reply_listed_before_both_finds_its_post(db, tmp_path):
    """304 answers 302, which answers 301, on post 101; 304 comes first in the file."""
    reply_to_reply = (
        "<entry><id>tag:blogger.com,1999:blog-7.post-304</id><blogger:type>COMMENT</blogger:type>"
        "<blogger:status>LIVE</blogger:status><blogger:parent>302</blogger:parent><title>t</title>"
        "<content type='html'>Betul</content><published>2012-01-05T00:00:00Z</published></entry>\n"
    )
    first_comment = TAKEOUT.index("<entry><id>tag:blogger.com,1999:blog-7.post-302")
    path = tmp_path / "feed.atom"
    path.write_text(TAKEOUT[:first_comment] + reply_to_reply + TAKEOUT[first_comment:], "utf-8")

    report = import_blogger(path=path, blog_slug="takeout")

    reply = Comment.objects.get(legacy_id="304")
    assert reply.post.legacy_id == "101"
    assert reply.parent.legacy_id == "302"
    assert reply.parent.parent.legacy_id == "301"
    assert report.imported["comment"] == 4
    assert report.warnings == []


@pytest.mark.parametrize(
    ("access", "policy", "warned"),
    [
        ("ANYONE", Blog.CommentPolicy.ANYONE, False),
        ("BLOGGERS", Blog.CommentPolicy.SIGNED_IN, False),
        ("MEMBERS", Blog.CommentPolicy.MEMBERS, False),
        ("SOMETHING_NEW", Blog.CommentPolicy.MEMBERS, True),
    ],
)
def test_blogger_comment_access_maps_to_the_comment_policy(db, tmp_path, access, policy, warned):
    path = tmp_path / "b.xml"
    path.write_text(
        "<feed xmlns='http://www.w3.org/2005/Atom'><entry>"
        "<id>tag:blogger.com,1999:blog-1.settings.BLOG_COMMENT_ACCESS</id>"
        f"<category scheme='{KIND}' term='http://schemas.google.com/blogger/2008/kind#settings'/>"
        f"<content type='text'>{access}</content></entry></feed>",
        "utf-8",
    )
    report = import_blogger(path=path, blog_slug="policy")
    assert Blog.objects.get(slug="policy").comment_policy == policy
    assert any(key == "BLOG_COMMENT_ACCESS" for key, _m in report.warnings) == warned
