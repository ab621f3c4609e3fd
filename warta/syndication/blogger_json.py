"""Blogger's own JSON (``?alt=json``, ``?alt=json-in-script&callback=name``): Atom written as
GData JSON, ``{"feed": {"entry": [{"title": {"$t": ...}}]}}``, so the scripts and widgets
written against Blogger's feeds (recent posts, label clouds, comment counters) keep working.

Text is ``{"$t": text}``, counts are strings, as Blogger writes them."""

import json

from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext as _

from warta.pagecache.keys import script_callback

FORMATS = ("json", "json-in-script")
NAMESPACES = {
    "xmlns": "http://www.w3.org/2005/Atom",
    "xmlns$openSearch": "http://a9.com/-/spec/opensearchrss/1.0/",
    "xmlns$blogger": "http://schemas.google.com/blogger/2008",
    "xmlns$gd": "http://schemas.google.com/g/2005",
    "xmlns$thr": "http://purl.org/syndication/thread/1.0",
}
LABEL_SCHEME = "http://www.blogger.com/atom/ns#"
ATOM = "application/atom+xml"
# Characters that end a <script> or a JavaScript string early, written as escapes instead
# (in JSON text they occur only inside strings, where the escape means the same character).
SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}
SCRIPT_UNSAFE.update({"\u2028": "\\u2028", "\u2029": "\\u2029"})


def script_safe(text):
    for character, escape in SCRIPT_UNSAFE.items():  # str.translate was 30 times slower
        if character in text:
            text = text.replace(character, escape)
    return text


def text(value):
    return {"$t": "" if value is None else str(value)}


def response(feed, request, alt, *args, **kwargs):
    callback = None
    if alt == "json-in-script":
        callback = script_callback(request.GET.get("callback", ""))
        if callback is None:
            return HttpResponseBadRequest(
                _("json-in-script needs a callback: a function name such as showPosts."),
                content_type="text/plain; charset=utf-8",
            )
    obj = feed.get_object(request, *args, **kwargs)
    body = json.dumps(
        {"version": "1.0", "encoding": "UTF-8", "feed": document(feed, request, obj)},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    body = script_safe(body)
    if callback is None:
        answer = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        answer = HttpResponse(
            f"// API callback\n{callback}({body});", content_type="text/javascript; charset=utf-8"
        )
    answer["X-Content-Type-Options"] = "nosniff"
    return answer


def document(feed, request, obj):
    blog = feed.blog
    tz = blog.tzinfo
    items = feed.items(obj)
    query = feed.query
    root = request.build_absolute_uri("/")[:-1]

    def absolute(path):  # once per feed, not once per link: each call checks the Host
        return iri_to_uri(path if "://" in path else root + path)

    words = {"replies": _("Post Comments")}
    self_url = absolute(request.get_full_path())
    links = [
        {
            "rel": "http://schemas.google.com/g/2005#feed",
            "type": ATOM,
            "href": absolute(request.path),
        },
        {"rel": "self", "type": ATOM, "href": self_url},
        {"rel": "alternate", "type": "text/html", "href": absolute(feed.link(obj))},
    ]
    if feed.more:
        links.append({"rel": "next", "type": ATOM, "href": feed.next_url()})
    if query.start_index > 1:
        previous = max(query.start_index - query.max_results, 1)
        links.append({"rel": "previous", "type": ATOM, "href": feed.page_url(previous)})
    updated = max(
        (feed.item_updateddate(item) or feed.item_pubdate(item) for item in items), default=None
    )
    return {
        **NAMESPACES,
        "id": text(feed.feed_id()),
        "updated": text(stamp(updated or blog.updated_at, tz)),
        "category": [{"term": name} for name in feed.feed_labels(obj)],
        "title": {"type": "text", **text(feed.title(obj))},
        "subtitle": {"type": "html", **text(feed.subtitle(obj))},
        "link": links,
        "author": [{"name": text(blog.title), "email": text("noreply@blogger.com")}],
        "generator": {"version": "1.0", "uri": absolute("/"), "$t": "Warta"},
        "openSearch$totalResults": text(feed.total(obj)),
        "openSearch$startIndex": text(query.start_index),
        "openSearch$itemsPerPage": text(query.max_results),
        "entry": [entry(feed, request, item, tz, absolute, words) for item in items],
    }


def entry(feed, request, item, tz, absolute, words):
    url = absolute(feed.item_link(item))
    title = feed.item_title(item)
    published = feed.item_pubdate(item)
    updated = feed.item_updateddate(item) or published
    data = {
        "id": text(feed.item_entry_id(item)),
        "published": text(stamp(published, tz)),
        "updated": text(stamp(updated, tz)),
        "category": [
            {"scheme": LABEL_SCHEME, "term": name} for name in feed.item_categories(item) or ()
        ],
        "title": {"type": "text", **text(title)},
    }
    content = feed.item_content_html(item)
    if content is not None:
        data["content"] = {"type": "html", **text(content)}
    else:
        data["summary"] = {"type": "text", **text(feed.item_summary(item))}
    links = []
    count = feed.item_comment_count(item)
    if count is not None:
        links += [
            {
                "rel": "replies",
                "type": ATOM,
                "href": absolute(f"/feeds/{item.pk}/comments/default"),
                "title": words["replies"],
            },
            {
                "rel": "replies",
                "type": "text/html",
                "href": f"{url}#comments",
                "title": comment_label(count),
            },
        ]
    links.append({"rel": "alternate", "type": "text/html", "href": url, "title": title})
    data["link"] = links
    avatar = feed.item_avatar(item)
    data["author"] = [
        {
            "name": text(name),
            "email": text("noreply@blogger.com"),
            **({"gd$image": avatar_image(absolute(avatar))} if avatar and n == 0 else {}),
        }
        for n, name in enumerate(feed.item_authors(item))
    ]
    if thumbnail := feed.item_thumbnail(item):
        data["media$thumbnail"] = {
            "xmlns$media": "http://search.yahoo.com/mrss/",
            "url": absolute(thumbnail),
            "height": "72",
            "width": "72",
        }
    if count is not None:
        data["thr$total"] = text(count)
    if (post := feed.item_in_reply_to(item)) is not None:
        data["thr$in-reply-to"] = {
            "xmlns$thr": NAMESPACES["xmlns$thr"],
            "href": absolute(post.path),
            "ref": feed.feed_id() + f".post-{post.legacy_id or post.pk}",
            "type": "text/html",
        }
    return data


def stamp(moment, tz):
    """As Blogger writes its feeds' dates: the blog's time zone, to the millisecond."""
    return moment.astimezone(tz).isoformat(timespec="milliseconds")


def comment_label(count):
    from django.utils.translation import ngettext

    return ngettext("%(count)d Comment", "%(count)d Comments", count) % {"count": count}


def avatar_image(src):
    return {
        "rel": "http://schemas.google.com/g/2005#thumbnail",
        "width": "32",
        "height": "32",
        "src": src,
    }
