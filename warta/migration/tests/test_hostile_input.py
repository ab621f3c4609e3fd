import pytest

from warta.migration.errors import ImportFailed
from warta.migration.services import import_blogger, import_warta_json, import_wordpress

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
{root}"""
BLOGGER_BODY = (
    "<feed xmlns='http://www.w3.org/2005/Atom'><entry><id>tag:blogger.com,1999:blog-1.post-1</id>"
    "<category scheme='http://schemas.google.com/g/2005#kind' "
    "term='http://schemas.google.com/blogger/2008/kind#post'/>"
    "<title>&lol9;</title><content type='html'>{content}</content>"
    "<published>2020-01-01T00:00:00Z</published></entry></feed>"
)
WXR_BODY = (
    '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
    "<wp:wxr_version>1.2</wp:wxr_version><item><title>&lol9;</title>"
    "<wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type><wp:status>publish</wp:status>"
    "</item></channel></rss>"
)
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE feed [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
{root}"""


@pytest.mark.parametrize(
    ("importer", "root"),
    [(import_blogger, BLOGGER_BODY.format(content="x")), (import_wordpress, WXR_BODY)],
    ids=["blogger", "wordpress"],
)
@pytest.mark.parametrize("prolog", [BILLION_LAUGHS, EXTERNAL], ids=["billion-laughs", "xxe"])
def test_files_with_entity_declarations_are_refused_and_change_nothing(
    db, tmp_path, counts, importer, root, prolog
):
    path = tmp_path / "hostile.xml"
    path.write_text(prolog.format(root=root.replace("&lol9;", "&lol9;&xxe;")), "utf-8")
    before = counts()
    with pytest.raises(ImportFailed, match="DOCTYPE"):
        importer(path=path, blog_slug="target")
    assert counts() == before


def test_a_blogger_body_is_sanitised_like_any_post(db, tmp_path):
    from warta.posts.models import Post

    content = "&lt;p onclick=&quot;x()&quot;&gt;Hai&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    path = tmp_path / "b.xml"
    path.write_text(BLOGGER_BODY.format(content=content).replace("&lol9;", "Judul"), "utf-8")
    import_blogger(path=path, blog_slug="target")
    post = Post.objects.get(blog__slug="target")
    assert "<script" not in post.body_html
    assert "onclick" not in post.body_html
    assert "Hai" in post.body_html


@pytest.mark.parametrize(
    ("importer", "file"),
    [
        (import_blogger, "blogger-export/blog-03-21-2019.xml"),
        (import_wordpress, "wxr-theme-unit-test/themeunittestdata.wordpress.xml"),
    ],
    ids=["blogger", "wordpress"],
)
def test_a_file_cut_in_half_leaves_the_blog_unchanged(
    db, testdata, tmp_path, counts, make_blog, make_post, importer, file
):
    blog = make_blog("target")
    make_post(blog, title="Sudah ada")
    data = (testdata / file).read_bytes()
    half = tmp_path / "half.xml"
    half.write_bytes(data[: len(data) // 2])
    before = counts()
    with pytest.raises(ImportFailed) as error:
        importer(path=half, blog_slug="target")
    assert error.value.line
    assert "line" in str(error.value)
    assert counts() == before


@pytest.mark.parametrize(
    ("importer", "file"),
    [
        (import_blogger, "wxr-samples/wpimporter-valid-wxr-1.1.xml"),
        (import_wordpress, "blogger-export/blog-03-21-2019.xml"),
        (import_wordpress, "wxr-samples/wpimporter-crazy-cdata.xml"),
        (import_wordpress, "wxr-samples/wpimporter-malformed.xml"),
        (import_wordpress, "wxr-samples/wpimporter-invalid-version-tag.xml"),
        (import_wordpress, "wxr-samples/wpimporter-missing-version-tag.xml"),
        (import_warta_json, "wxr-samples/wpimporter-valid-wxr-1.1.xml"),
    ],
)
def test_a_file_of_the_wrong_kind_or_broken_gets_a_clear_error(
    db, testdata, counts, importer, file
):
    before = counts()
    with pytest.raises(ImportFailed) as error:
        importer(path=testdata / file, blog_slug="target")
    assert str(error.value)
    assert counts() == before


def test_an_interrupted_import_rolls_back_everything(db, testdata, counts, monkeypatch):
    from warta.migration import staging

    real = staging.BlogWriter.write_comments

    def interrupted(self, batch):
        real(self, batch)
        raise KeyboardInterrupt

    monkeypatch.setattr(staging.BlogWriter, "write_comments", interrupted)
    before = counts()
    with pytest.raises(KeyboardInterrupt):
        import_blogger(path=testdata / "blogger-export/blog-03-21-2019.xml", blog_slug="x")
    assert counts() == before
