"""A blog's feeds, as Blogger serves them: Atom at ``/feeds/posts/default`` and ``/atom.xml``,
RSS 2.0 with ``?alt=rss`` and at ``/rss.xml``, a feed per label, and the comment feeds of the
blog and of each post. Feed readers see what a signed-out reader sees, and nothing more."""

import datetime
import email.utils
from types import SimpleNamespace
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from warta.posts.models import Status

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def at(day, hour=9):
    """A moment of March 2024, in UTC, whole seconds (RSS dates carry no fractions)."""
    return datetime.datetime(2024, 3, day, hour, tzinfo=datetime.UTC)


def get_xml(client, path, content_type):
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"] == f"{content_type}; charset=utf-8"
    return ElementTree.fromstring(response.content)


def atom(client, path):
    return get_xml(client, path, "application/atom+xml")


def rss(client, path):
    return get_xml(client, path, "application/rss+xml")


def link_of(element):
    return element.find(f"{ATOM}link[@rel='alternate']").get("href")


def entries(feed):
    return feed.findall(f"{ATOM}entry")


def titles(feed):
    return [entry.findtext(f"{ATOM}title") for entry in entries(feed)]


def entry_titled(feed, title):
    (entry,) = [entry for entry in entries(feed) if entry.findtext(f"{ATOM}title") == title]
    return entry


def entry_html(entry):
    """The HTML an Atom entry carries, as ``content`` or as ``summary``."""
    body = entry.find(f"{ATOM}content")
    if body is None:
        body = entry.find(f"{ATOM}summary")
    assert body.get("type") == "html"
    return body.text


def rss_items(feed):
    return feed.findall("channel/item")


def trash(post):
    post.status = Status.TRASHED
    post.save()
    return post


@pytest.fixture
def newsroom(blog, make_blog, make_post, make_user):
    """Kabar Kita's published posts, created out of date order, and what no feed may show."""
    rina = make_user(display_name="Rina Wartawan")
    shown = SimpleNamespace(
        banjir=make_post(
            blog,
            title="Banjir di Jakarta Utara",
            body="Air **setinggi** lutut.",
            author=rina,
            labels=["Nasional", "Cuaca"],
            published_at=at(3),
            updated_at=at(4, 8),
        ),
        beras=make_post(
            blog, title="Harga beras naik", author=rina, labels=["Ekonomi"], published_at=at(5)
        ),
        pemilu=make_post(
            blog, title="Hasil pemilu", author=rina, labels=["Nasional"], published_at=at(1)
        ),
    )
    hidden = SimpleNamespace(
        draft=make_post(blog, title="Draf rahasia", status=Status.DRAFT, labels=["Nasional"]),
        scheduled=make_post(
            blog,
            title="Jadwal besok",
            status=Status.SCHEDULED,
            labels=["Nasional"],
            published_at=timezone.now() + datetime.timedelta(days=1),
        ),
        trashed=trash(make_post(blog, title="Berita ditarik", labels=["Nasional"])),
        elsewhere=make_post(
            make_blog("lain", title="Blog Lain"), title="Kabar blog lain", labels=["Nasional"]
        ),
    )
    return SimpleNamespace(blog=blog, shown=shown, hidden=hidden)


@pytest.mark.parametrize("path", ["/feeds/posts/default", "/atom.xml"])
def test_the_atom_feed_is_titled_and_described_as_the_blog(host_client, newsroom, path):
    feed = atom(host_client("kabar"), path)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == "Kabar Kita"
    assert feed.findtext(f"{ATOM}subtitle") == "Berita dan informasi terkini"
    assert feed.get(XML_LANG) == "id"
    assert link_of(feed) == "http://kabar.localhost/"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"http://kabar.localhost{path}"


@pytest.mark.parametrize("language", ["id", "en"])
def test_both_feed_formats_speak_the_blogs_language(host_client, make_blog, language):
    make_blog("bahasa", language=language)
    client = host_client("bahasa")
    assert atom(client, "/feeds/posts/default").get(XML_LANG) == language
    assert rss(client, "/rss.xml").findtext("channel/language") == language


@pytest.mark.parametrize("path", ["/feeds/posts/default", "/atom.xml"])
def test_the_feed_lists_the_published_posts_newest_first(host_client, newsroom, path):
    feed = atom(host_client("kabar"), path)
    assert titles(feed) == ["Harga beras naik", "Banjir di Jakarta Utara", "Hasil pemilu"]
    # Feed readers poll by the feed's own date: the latest change of any entry.
    newest_change = max(post.updated_at for post in vars(newsroom.shown).values())
    assert datetime.datetime.fromisoformat(feed.findtext(f"{ATOM}updated")) == newest_change


def test_an_entry_carries_the_post(host_client, newsroom):
    post = newsroom.shown.banjir
    entry = entry_titled(atom(host_client("kabar"), "/feeds/posts/default"), post.title)
    # The post's Blogger-style path, dated in the blog's time zone, made absolute.
    assert link_of(entry) == "http://kabar.localhost/2024/03/banjir-di-jakarta-utara.html"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Rina Wartawan"
    assert datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}published")) == at(3)
    assert datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated")) == at(4, 8)
    labels = {category.get("term") for category in entry.findall(f"{ATOM}category")}
    assert labels == {"Nasional", "Cuaca"}
    assert entry_html(entry) == post.body_html
    assert "<strong>setinggi</strong>" in entry_html(entry)  # rendered, not the Markdown


@pytest.mark.parametrize(
    "path",
    [
        "/feeds/posts/default",
        "/feeds/posts/default?alt=rss",
        "/feeds/posts/summary",
        "/feeds/posts/default/-/Nasional",
        "/atom.xml",
        "/rss.xml",
    ],
)
def test_drafts_scheduled_trashed_and_other_blogs_posts_stay_out(host_client, newsroom, path):
    response = host_client("kabar").get(path)
    assert response.status_code == 200
    feed = response.content.decode()
    assert newsroom.shown.banjir.title in feed
    for post in vars(newsroom.hidden).values():
        assert post.title not in feed
        if post.path:
            assert post.path not in feed


def test_the_feed_holds_the_newest_25_posts(host_client, blog, make_post):
    """Blogger's default size: a feed reader that wants more asks the archive."""
    first = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    for n in range(26):
        make_post(blog, title=f"Kabar ke-{n}", published_at=first + datetime.timedelta(hours=n))
    feed = atom(host_client("kabar"), "/feeds/posts/default")
    assert titles(feed) == [f"Kabar ke-{n}" for n in range(25, 0, -1)]


@pytest.mark.parametrize("path", ["/feeds/posts/default?alt=rss", "/rss.xml"])
def test_rss_gives_the_same_items_as_atom(host_client, newsroom, path):
    client = host_client("kabar")
    feed = rss(client, path)
    assert feed.tag == "rss" and feed.get("version") == "2.0"
    channel = feed.find("channel")
    assert channel.findtext("title") == "Kabar Kita"
    assert channel.findtext("description") == "Berita dan informasi terkini"
    assert channel.findtext("link") == "http://kabar.localhost/"
    items = [(item.findtext("title"), item.findtext("link")) for item in rss_items(feed)]
    same = atom(client, "/feeds/posts/default")
    assert items == [(entry.findtext(f"{ATOM}title"), link_of(entry)) for entry in entries(same)]


def test_an_rss_item_carries_the_post(host_client, newsroom):
    post = newsroom.shown.banjir
    (item,) = [
        i
        for i in rss_items(rss(host_client("kabar"), "/rss.xml"))
        if i.findtext("title") == post.title
    ]
    assert item.findtext("link") == "http://kabar.localhost/2024/03/banjir-di-jakarta-utara.html"
    assert item.findtext("guid") == item.findtext("link")
    assert item.findtext(f"{DC}creator") == "Rina Wartawan"
    assert email.utils.parsedate_to_datetime(item.findtext("pubDate")) == at(3)
    assert {category.text for category in item.findall("category")} == {"Nasional", "Cuaca"}
    assert item.findtext("description") == post.body_html


@pytest.mark.parametrize(
    "path",
    [
        "/feeds/posts/default/-/Nasional",
        "/feeds/posts/summary/-/Nasional",
    ],
)
def test_a_label_feed_lists_only_that_labels_posts(host_client, newsroom, path):
    feed = atom(host_client("kabar"), path)
    assert feed.findtext(f"{ATOM}title") == "Kabar Kita: Nasional"
    assert titles(feed) == ["Banjir di Jakarta Utara", "Hasil pemilu"]


def test_a_label_feed_in_rss(host_client, newsroom):
    feed = rss(host_client("kabar"), "/feeds/posts/default/-/Ekonomi?alt=rss")
    assert [item.findtext("title") for item in rss_items(feed)] == ["Harga beras naik"]


def test_a_label_with_a_space_is_found_by_its_escaped_name(host_client, blog, make_post):
    make_post(blog, title="Jalan rusak di Bekasi", labels=["Berita Daerah"])
    make_post(blog, title="Tanpa label")
    feed = atom(host_client("kabar"), "/feeds/posts/default/-/Berita%20Daerah")
    assert titles(feed) == ["Jalan rusak di Bekasi"]


@pytest.mark.parametrize("label", ["Olahraga", "Politik"])
def test_a_label_unknown_to_the_blog_has_no_feed(host_client, newsroom, make_post, label):
    make_post(newsroom.hidden.elsewhere.blog, labels=["Politik"])  # only another blog's
    assert host_client("kabar").get(f"/feeds/posts/default/-/{label}").status_code == 404


# ---------------------------------------------------------------- comments


@pytest.fixture
def conversation(make_blog, make_post, make_comment, make_user):
    """An English blog's comments, created out of date order, and what no feed may show."""
    blog = make_blog("suara", title="Suara Warga", language="en")
    flood = make_post(blog, title="Flood in North Jakarta", published_at=at(3))
    rice = make_post(
        blog, title="Rice prices rise", published_at=at(5), legacy_id="7301234567890123456"
    )
    sari = make_user("sari@example.com", display_name="Sari Pembaca")
    shown = SimpleNamespace(
        budi=make_comment(
            flood,
            author_name="Budi",
            author_email="budi@example.com",
            body="The water reached our school.",
            created_at=at(6),
        ),
        sari=make_comment(rice, user=sari, body="Same at our market.", created_at=at(8)),
        dewi=make_comment(flood, author_name="Dewi", body="Stay safe, everyone.", created_at=at(7)),
    )
    withdrawn = make_post(blog, title="Withdrawn story", published_at=at(2))
    make_comment(withdrawn, body="A comment on a withdrawn story.", created_at=at(10))
    trash(withdrawn)
    hidden = SimpleNamespace(
        pending=make_comment(
            flood, body="Waiting for a moderator.", status="pending", created_at=at(9)
        ),
        spam=make_comment(rice, body="Cheap pills here.", status="spam", created_at=at(9)),
        trashed=make_comment(rice, body="Removed by the editor.", status="trashed"),
        withdrawn=withdrawn.comments.get(),
        elsewhere=make_comment(make_post(make_blog("lain")), body="A comment on another blog."),
    )
    return SimpleNamespace(
        blog=blog, flood=flood, rice=rice, withdrawn=withdrawn, shown=shown, hidden=hidden
    )


def test_the_comment_feed_lists_approved_comments_newest_first(host_client, conversation):
    feed = atom(host_client("suara"), "/feeds/comments/default")
    assert feed.findtext(f"{ATOM}title") == "Comments on Suara Warga"
    assert titles(feed) == [
        "Sari Pembaca on “Rice prices rise”",
        "Dewi on “Flood in North Jakarta”",
        "Budi on “Flood in North Jakarta”",
    ]


def test_a_comment_entry_links_to_the_comment_and_carries_its_text(host_client, conversation):
    feed = atom(host_client("suara"), "/feeds/comments/default")
    budi = conversation.shown.budi
    entry = entry_titled(feed, "Budi on “Flood in North Jakarta”")
    assert link_of(entry) == f"http://suara.localhost{conversation.flood.path}#c{budi.pk}"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Budi"
    assert datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}published")) == at(6)
    assert entry_html(entry) == budi.body_html
    assert "The water reached our school." in entry_html(entry)
    signed_in = entry_titled(feed, "Sari Pembaca on “Rice prices rise”")
    assert signed_in.findtext(f"{ATOM}author/{ATOM}name") == "Sari Pembaca"


@pytest.mark.parametrize("path", ["/feeds/comments/default", "/feeds/comments/default?alt=rss"])
def test_unapproved_comments_and_comments_of_hidden_posts_stay_out(host_client, conversation, path):
    feed = host_client("suara").get(path).content.decode()
    assert conversation.shown.budi.body in feed
    for comment in vars(conversation.hidden).values():
        assert comment.body not in feed
    assert "Withdrawn story" not in feed
    # Commenters gave their addresses to the blog, not to every feed reader.
    assert "budi@example.com" not in feed and "sari@example.com" not in feed


def test_the_comment_feed_in_rss_has_the_same_items(host_client, conversation):
    client = host_client("suara")
    feed = rss(client, "/feeds/comments/default?alt=rss")
    items = [(item.findtext("title"), item.findtext("link")) for item in rss_items(feed)]
    same = atom(client, "/feeds/comments/default")
    assert items == [(entry.findtext(f"{ATOM}title"), link_of(entry)) for entry in entries(same)]


@pytest.mark.parametrize("key", ["pk", "legacy_id"])
def test_a_posts_comment_feed_is_found_by_id_and_by_blogger_id(host_client, conversation, key):
    rice = conversation.rice
    feed = atom(host_client("suara"), f"/feeds/{getattr(rice, key)}/comments/default")
    assert feed.findtext(f"{ATOM}title") == "Comments on “Rice prices rise”"
    assert titles(feed) == ["Sari Pembaca on “Rice prices rise”"]


def test_a_posts_comment_feed_lists_only_its_approved_comments_newest_first(
    host_client, conversation
):
    feed = atom(host_client("suara"), f"/feeds/{conversation.flood.pk}/comments/default")
    assert titles(feed) == ["Dewi on “Flood in North Jakarta”", "Budi on “Flood in North Jakarta”"]
    assert conversation.hidden.pending.body not in ElementTree.tostring(feed, encoding="unicode")


def test_the_comment_feed_of_a_missing_hidden_or_foreign_post_is_not_found(
    host_client, conversation
):
    client = host_client("suara")
    foreign = conversation.hidden.elsewhere.post
    for post_id in ("999999", "7301234567890123457", conversation.withdrawn.pk, foreign.pk):
        assert client.get(f"/feeds/{post_id}/comments/default").status_code == 404, post_id


# ---------------------------------------------------------------- no blog


@pytest.mark.parametrize(
    "path",
    [
        "/feeds/posts/default",
        "/feeds/posts/default?alt=rss",
        "/feeds/posts/default/-/Nasional",
        "/feeds/comments/default",
        "/feeds/{post}/comments/default",
        "/atom.xml",
        "/rss.xml",
    ],
)
def test_feeds_on_a_host_without_a_blog_are_not_found(client, settings, newsroom, path):
    """The bare domain serves only the default blog it names; it never falls back to another."""
    settings.WARTA_DEFAULT_BLOG = "belum-ada"
    path = path.format(post=newsroom.shown.banjir.pk)
    assert client.get(path, HTTP_HOST="localhost").status_code == 404
