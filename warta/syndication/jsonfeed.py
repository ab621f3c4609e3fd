"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) of a blog's posts, at ``/feed.json``,
with the same Blogger parameters as the other feeds and ``next_url`` to page through them."""

import json

from django.http import HttpResponse
from django.utils.encoding import iri_to_uri

VERSION = "https://jsonfeed.org/version/1.1"
CONTENT_TYPE = "application/feed+json; charset=utf-8"


def response(feed, request, *args, **kwargs):
    obj = feed.get_object(request, *args, **kwargs)
    body = json.dumps(document(feed, request, obj), ensure_ascii=False, separators=(",", ":"))
    answer = HttpResponse(body, content_type=CONTENT_TYPE)
    answer["X-Content-Type-Options"] = "nosniff"
    return answer


def document(feed, request, obj):
    root = request.build_absolute_uri("/")[:-1]

    def absolute(path):  # once per feed, not once per link: each call checks the Host
        return iri_to_uri(path if "://" in path else root + path)

    items = feed.items(obj)
    data = {
        "version": VERSION,
        "title": feed.title(obj),
        "home_page_url": absolute(feed.link(obj)),
        "feed_url": absolute(request.get_full_path()),
        "language": feed.blog.language,
        "items": [item_of(feed, item, absolute) for item in items],
    }
    if description := feed.subtitle(obj):
        data["description"] = description
    if next_url := feed.next_url():
        data["next_url"] = next_url
    return data


def item_of(feed, item, absolute):
    url = absolute(feed.item_link(item))
    data = {"id": url, "url": url, "title": feed.item_title(item)}
    content = feed.item_content_html(item)
    summary = feed.item_summary(item)
    if content is not None:
        data["content_html"] = content
    else:
        data["content_text"] = summary or ""
    if summary:
        data["summary"] = summary
    if image := feed.item_image(item):
        data["image"] = absolute(image)
    data["date_published"] = feed.item_pubdate(item).isoformat()
    if updated := feed.item_updateddate(item):
        data["date_modified"] = updated.isoformat()
    if authors := feed.item_authors(item):
        data["authors"] = [{"name": name} for name in authors]
    if tags := feed.item_categories(item):
        data["tags"] = list(tags)
    return data
