import xml.etree.ElementTree as ET

from warta.comments.models import Comment
from warta.migration.bench import generate
from warta.migration.blogger import import_blogger
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
