import xml.etree.ElementTree as ET

from warta.comments.models import Comment
from warta.devtools.import_bench import generate
from warta.migration.formats.blogger import BloggerImporter
from warta.migration.services import import_blogger
from warta.posts.models import Post

A = "{http://www.w3.org/2005/Atom}"


def test_the_generated_benchmark_file_is_a_blogger_backup_that_imports_whole(db, tmp_path):
    path = tmp_path / "bench.xml"
    generate(path, posts=40, comments=300)
    kinds = [
        c.get("term").rsplit("#", 1)[1]
        for entry in ET.parse(path).getroot().iter(f"{A}entry")
        for c in entry.iter(f"{A}category")
        if c.get("scheme") == "http://schemas.google.com/g/2005#kind"
    ]
    import_blogger(path=path, blog_slug="bench")
    assert Post.objects.filter(blog__slug="bench").count() == kinds.count("post") == 40
    assert Comment.objects.filter(blog__slug="bench").count() == kinds.count("comment") == 300
    assert Comment.objects.filter(blog__slug="bench").exclude(parent=None).exists()


def test_replies_listed_before_their_parents_across_batches_keep_their_threads(
    db, tmp_path, monkeypatch
):
    """Newest first, as a hand-sorted file may be: each reply comes batches before its parent."""
    path = tmp_path / "bench.xml"
    generate(path, posts=10, comments=60)
    lines = path.read_text("utf-8").splitlines(keepends=True)
    comments = [line for line in lines if "kind#comment" in line]
    others = [line for line in lines if "kind#comment" not in line]
    # The last comment (59, a reply to 49) becomes 99, a reply to a comment not in the file.
    orphan = comments[-1].replace("post-2000000059<", "post-2000000099<")
    orphan = orphan.replace("default/2000000049'", "default/1999999999'")
    assert orphan.count("99") > comments[-1].count("99")
    path.write_text("".join(others[:-1] + comments[::-1][1:] + [orphan, others[-1]]), "utf-8")
    monkeypatch.setattr(BloggerImporter, "batch_size", 7)

    report = import_blogger(path=path, blog_slug="bench")

    stored = Comment.objects.filter(blog__slug="bench")
    assert stored.count() == 60
    for line in comments[:-1]:
        own = line.split("post-", 1)[1].split("<", 1)[0]
        parent = line.split("comments/default/")[1].split("'")[0] if "related" in line else None
        comment = stored.get(legacy_id=own)
        assert (comment.parent.legacy_id if comment.parent else None) == parent
    assert stored.get(legacy_id="2000000099").parent is None
    assert ("1999999999", "A reply's parent comment is missing.") in report.warnings
    replies = sum("rel='related'" in line for line in comments[:-1])
    assert stored.exclude(parent=None).count() == replies > 7
