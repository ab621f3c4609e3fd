"""The blog's JSON feeds: JSON Feed 1.1 at ``/feed.json`` (linked from every page), valid
against the specification's schema; and Blogger's own JSON (``?alt=json``), read the way the
scripts written against Blogger read it (``feed.entry[i].title.$t``), also as a script
(``?alt=json-in-script&callback=name``) only for a callback that is nothing but a name."""

import datetime
import json
import re

import jsonschema
import pytest

from warta.posts.models import Image, Post

from .many import publish_many

HOST = "http://kabar.localhost"

# JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), written out as a JSON Schema: every
# field the specification names, with its type; the required ones required.
AUTHOR = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "url": {"type": "string", "format": "uri"},
        "avatar": {"type": "string", "format": "uri"},
    },
    "anyOf": [{"required": ["name"]}, {"required": ["url"]}, {"required": ["avatar"]}],
}
RFC3339 = {"type": "string", "format": "date-time"}
JSON_FEED_1_1 = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string"},
        "home_page_url": {"type": "string", "format": "uri"},
        "feed_url": {"type": "string", "format": "uri"},
        "description": {"type": "string"},
        "user_comment": {"type": "string"},
        "next_url": {"type": "string", "format": "uri"},
        "icon": {"type": "string", "format": "uri"},
        "favicon": {"type": "string", "format": "uri"},
        "authors": {"type": "array", "items": AUTHOR},
        "language": {"type": "string"},
        "expired": {"type": "boolean"},
        "hubs": {"type": "array"},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "anyOf": [{"required": ["content_html"]}, {"required": ["content_text"]}],
                "properties": {
                    "id": {"type": "string"},
                    "url": {"type": "string", "format": "uri"},
                    "external_url": {"type": "string", "format": "uri"},
                    "title": {"type": "string"},
                    "content_html": {"type": "string"},
                    "content_text": {"type": "string"},
                    "summary": {"type": "string"},
                    "image": {"type": "string", "format": "uri"},
                    "banner_image": {"type": "string", "format": "uri"},
                    "date_published": RFC3339,
                    "date_modified": RFC3339,
                    "authors": {"type": "array", "items": AUTHOR},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "language": {"type": "string"},
                    "attachments": {"type": "array"},
                },
            },
        },
    },
}
VALIDATOR = jsonschema.Draft202012Validator(
    JSON_FEED_1_1, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


@pytest.fixture
def newsroom(blog, make_user, make_comment):
    rina = make_user(display_name="Rina Wartawan", photo_url="https://example.org/rina.jpg")
    posts = publish_many(
        blog, 60, authors=[rina], labels=lambda n: ["Nasional", f"Kelompok {n % 3}"]
    )
    image = Image.objects.create(
        blog=blog, remote_url="https://example.org/banjir.jpg", width=800, height=450
    )
    Post.objects.filter(pk=posts[-1].pk).update(lead_image=image)
    for _ in range(3):
        make_comment(posts[-1], status="approved")
    make_comment(posts[-2], status="approved")
    make_comment(posts[-2], status="pending")
    return Post.objects.filter(blog=blog).select_related("author").prefetch_related("labels")


def get_json(client, path, content_type):
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    return json.loads(response.content)


# ---------------------------------------------------------------- JSON Feed 1.1


@pytest.mark.parametrize(
    "path", ["/feed.json", "/feed.json?max-results=7&start-index=50", "/feed.json?start-index=99"]
)
def test_the_json_feed_validates_against_json_feed_1_1(host_client, newsroom, path):
    feed = get_json(host_client("kabar"), path, "application/feed+json; charset=utf-8")
    VALIDATOR.validate(feed)


def test_the_schema_check_can_fail():
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate({"version": "https://jsonfeed.org/version/1.1", "title": "x"})
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate({"version": "1.1", "title": "x", "items": [{"id": "1"}]})


def test_json_feed_items_hold_the_posts(host_client, newsroom):
    feed = get_json(
        host_client("kabar"), "/feed.json?max-results=100", "application/feed+json; charset=utf-8"
    )
    assert feed["title"] == "Kabar Kita" and feed["language"] == "id"
    assert feed["home_page_url"] == f"{HOST}/"
    posts = list(newsroom.order_by("-published_at"))
    assert len(feed["items"]) == len(posts)
    for item, post in zip(feed["items"], posts, strict=True):
        assert item["url"] == item["id"] == HOST + post.path
        assert item["title"] == post.title
        assert item["content_html"] == post.body_html
        assert item["summary"] == post.summary
        assert datetime.datetime.fromisoformat(item["date_published"]) == post.published_at
        assert datetime.datetime.fromisoformat(item["date_modified"]) == post.updated_at
        assert item["authors"] == [{"name": "Rina Wartawan"}]
        assert set(item["tags"]) == {label.name for label in post.labels.all()}
    assert feed["items"][0]["image"] == "https://example.org/banjir.jpg"


def test_json_feed_pages_with_next_url(host_client, newsroom):
    client = host_client("kabar")
    url, seen = "/feed.json?max-results=8", []
    while url:
        feed = get_json(client, url.removeprefix(HOST), "application/feed+json; charset=utf-8")
        seen += [item["url"] for item in feed["items"]]
        url = feed.get("next_url")
    assert seen == [HOST + post.path for post in newsroom.order_by("-published_at")]


def test_a_summary_blogs_json_feed_carries_text_summaries(host_client, newsroom, blog):
    blog.feed_content = blog.FeedContent.SUMMARY
    blog.save()
    feed = get_json(host_client("kabar"), "/feed.json", "application/feed+json; charset=utf-8")
    VALIDATOR.validate(feed)
    for item in feed["items"]:
        assert "content_html" not in item
        assert item["content_text"] == item["summary"] == newsroom.get(title=item["title"]).summary


def test_every_page_links_the_json_feed(host_client, newsroom):
    post = newsroom.first()
    for path in ("/", post.path, "/search/label/Nasional"):
        page = host_client("kabar").get(path).text
        assert '<link rel="alternate" type="application/feed+json"' in page
        assert 'href="/feed.json"' in page


# ---------------------------------------------------------------- Blogger's JSON


class BloggerScript:
    """What a "recent posts" widget written against Blogger reads of ``json.feed``."""

    def __init__(self, data):
        self.feed = data["feed"]

    def total(self):
        return int(self.feed["openSearch$totalResults"]["$t"])

    def posts(self):
        for entry in self.feed.get("entry", []):
            (url,) = [link["href"] for link in entry["link"] if link["rel"] == "alternate"]
            yield {
                "title": entry["title"]["$t"],
                "url": url,
                "labels": [category["term"] for category in entry.get("category", [])],
                "published": entry["published"]["$t"],
                "authors": [author["name"]["$t"] for author in entry["author"]],
                "comments": int(entry["thr$total"]["$t"]) if "thr$total" in entry else 0,
                "html": (entry.get("content") or entry["summary"])["$t"],
                "thumbnail": entry.get("media$thumbnail", {}).get("url"),
                "avatar": entry["author"][0].get("gd$image", {}).get("src"),
            }


def blogger(client, path):
    return BloggerScript(get_json(client, path, "application/json; charset=utf-8"))


def test_a_blogger_script_reads_the_posts_as_the_database_holds_them(host_client, newsroom):
    script = blogger(host_client("kabar"), "/feeds/posts/default?alt=json&max-results=500")
    posts = list(newsroom.order_by("-published_at"))
    assert script.total() == len(posts) == 60
    read = list(script.posts())
    assert len(read) == len(posts)
    for entry, post in zip(read, posts, strict=True):
        assert entry["title"] == post.title
        assert entry["url"] == HOST + post.path
        assert set(entry["labels"]) == {label.name for label in post.labels.all()}
        # Blogger's own spelling: the blog's time zone, to the millisecond.
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+07:00", entry["published"])
        assert datetime.datetime.fromisoformat(entry["published"]) == post.published_at
        assert entry["authors"] == ["Rina Wartawan"]
        assert entry["comments"] == post.comment_count
        assert entry["html"] == post.body_html
        assert entry["avatar"] == "https://example.org/rina.jpg"
    assert [entry["comments"] for entry in read[:3]] == [3, 1, 0]  # the pending one is not
    assert read[0]["thumbnail"] == "https://example.org/banjir.jpg"


def test_a_blogger_script_pages_with_start_index_and_the_total(host_client, newsroom):
    client = host_client("kabar")
    first = blogger(client, "/feeds/posts/summary?alt=json&max-results=0")
    total = first.total()
    assert total == 60 and "entry" not in first.feed or first.feed["entry"] == []
    assert {c["term"] for c in first.feed["category"]} == {
        "Nasional",
        "Kelompok 0",
        "Kelompok 1",
        "Kelompok 2",
    }
    seen = []
    for start in range(1, total + 1, 7):
        page = blogger(client, f"/feeds/posts/summary?alt=json&max-results=7&start-index={start}")
        assert page.feed["openSearch$startIndex"]["$t"] == str(start)
        seen += [entry["url"] for entry in page.posts()]
    assert seen == [HOST + post.path for post in newsroom.order_by("-published_at")]


def test_a_label_feed_in_blogger_json_counts_only_that_label(host_client, newsroom):
    script = blogger(host_client("kabar"), "/feeds/posts/default/-/Kelompok%201?alt=json")
    assert script.total() == newsroom.filter(labels__name="Kelompok 1").count() == 20
    assert all("Kelompok 1" in entry["labels"] for entry in script.posts())


def test_a_summary_feed_in_blogger_json_carries_summaries(host_client, newsroom):
    entry = blogger(host_client("kabar"), "/feeds/posts/summary?alt=json")
    first = entry.feed["entry"][0]
    assert "content" not in first
    assert first["summary"] == {
        "type": "text",
        "$t": newsroom.get(title=first["title"]["$t"]).summary,
    }


def test_the_comment_feed_in_blogger_json_names_the_post_each_comment_answers(
    host_client, newsroom
):
    data = get_json(
        host_client("kabar"), "/feeds/comments/default?alt=json", "application/json; charset=utf-8"
    )
    entries = data["feed"]["entry"]
    assert int(data["feed"]["openSearch$totalResults"]["$t"]) == len(entries) == 4
    # Newest comment first: the one approved comment of the second newest post.
    second = newsroom.order_by("-published_at")[1]
    assert entries[0]["thr$in-reply-to"]["href"] == HOST + second.path
    assert [entry["thr$in-reply-to"]["href"] for entry in entries[1:]] == [
        HOST + newsroom.order_by("-published_at")[0].path
    ] * 3


@pytest.mark.parametrize("callback", ["showPosts", "Widget.recent_posts", "_cb1"])
def test_json_in_script_calls_the_named_function(host_client, newsroom, callback):
    response = host_client("kabar").get(
        f"/feeds/posts/default?alt=json-in-script&callback={callback}&max-results=2"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    body = response.content.decode()
    match = re.fullmatch(rf"// API callback\n{re.escape(callback)}\((.*)\);", body, re.DOTALL)
    assert match, body[:80]
    assert len(json.loads(match.group(1))["feed"]["entry"]) == 2


@pytest.mark.parametrize(
    "callback",
    [
        "",
        "alert(1)",
        "a;alert(1)//",
        "x</script><script>alert(1)",
        "a..b",
        "1abc",
        "a" * 65,
        "jalur\u2028",
        "%E2%80%A8",
    ],
)
def test_json_in_script_refuses_a_callback_that_is_not_a_plain_name(
    host_client, newsroom, callback
):
    path = "/feeds/posts/default?alt=json-in-script"
    response = host_client("kabar").get(f"{path}&callback={callback}")
    assert response.status_code == 400
    assert not response["Content-Type"].startswith("text/javascript")


def test_json_text_cannot_close_a_script_element(host_client, blog, make_post):
    make_post(blog, title="</script><script>alert(1)</script> & \u2028")
    response = host_client("kabar").get(
        "/feeds/posts/default?alt=json-in-script&callback=showPosts"
    )
    body = response.content.decode()
    assert "</script" not in body and "<script" not in body and "\u2028" not in body
    payload = json.loads(body.split("showPosts(", 1)[1].rsplit(");", 1)[0])
    assert (
        payload["feed"]["entry"][0]["title"]["$t"] == "</script><script>alert(1)</script> & \u2028"
    )
