"""A blog's page-view counts travel with its Warta JSON export (its backup) and come back
on import, each to the same post, day, referrer and phone-or-not; importing twice does not
count twice, and a count that cannot be read is skipped with a warning."""

import datetime
import json

from django.utils.translation import gettext as _

from warta.blogs.models import Blog
from warta.migration.services import export_blog, import_warta_json
from warta.stats.models import PageViews
from warta.stats.referrers import INTERNAL

DAY = datetime.date(2026, 11, 30)


def counts(blog):
    return sorted(
        (
            row.post.title if row.post else "",
            row.path,
            row.day,
            row.referrer,
            row.phone,
            row.views,
        )
        for row in PageViews.objects.for_blog(blog).select_related("post")
    )


def export(blog, tmp_path):
    path = tmp_path / "backup.jsonl"
    path.write_text("".join(export_blog(blog, "json")), encoding="utf-8")
    return path


def test_the_counts_round_trip_through_the_json_export(blog, make_post, tmp_path):
    first = make_post(blog, title="Banjir di Demak")
    second = make_post(blog, title="Harga beras naik", legacy_id="7412")
    for post, path, referrer, phone, views in [
        (first, first.path, "facebook.com", True, 1200),
        (first, first.path, "", False, 35),
        (second, second.path, INTERNAL, False, 8),
        (None, "/search/label/Banjir", "t.co", True, 3),
    ]:
        PageViews.objects.create(
            blog=blog, post=post, path=path, day=DAY, referrer=referrer, phone=phone, views=views
        )
    path = export(blog, tmp_path)
    records = [json.loads(line) for line in path.read_text().splitlines()]
    views = [record for record in records if record.get("type") == "views"]
    assert len(views) == 4 and set(views[0]) == {
        "type", "post", "path", "day", "referrer", "phone", "views"
    }  # fmt: skip

    report = import_warta_json(path=path, blog_slug="salinan")
    copy = Blog.objects.get(slug="salinan")
    assert counts(copy) == counts(blog)
    assert report.imported["views"] == 4

    again = import_warta_json(path=path, blog_slug="salinan")
    assert counts(copy) == counts(blog)
    assert "views" not in again.imported and again.skipped["views"] == 4


def test_a_count_that_cannot_be_read_is_skipped_with_a_warning(blog, make_post, tmp_path):
    post = make_post(blog, title="Banjir di Demak")
    PageViews.objects.create(blog=blog, post=post, path=post.path, day=DAY, views=5)
    path = export(blog, tmp_path)
    broken = {"type": "views", "post": "", "path": "/", "day": "kemarin", "views": 3}
    negative = {"type": "views", "post": "", "path": "/", "day": "2026-11-29", "views": -3}
    with path.open("a", encoding="utf-8") as stream:
        stream.write(json.dumps(broken) + "\n" + json.dumps(negative) + "\n")
    report = import_warta_json(path=path, blog_slug="salinan")
    assert counts(Blog.objects.get(slug="salinan")) == counts(blog)
    skipped = _("A page-view count that cannot be read was skipped.")
    assert [message for _line, message in report.warnings] == [skipped, skipped]
