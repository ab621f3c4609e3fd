"""A reader on a real Chromium follows old links into a blog moved from WordPress and from
Blogger: the #comment-N and #cN deep links land on the comment, an old permalink without its
trailing slash and a percent-encoded non-Latin address reach the post."""

from urllib.parse import quote

import pytest

from warta.comments.models import Comment
from warta.migration.services import import_blogger, import_wordpress
from warta.posts.models import Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FILLER = "".join(
    f"<p>Paragraf panjang nomor {n}, supaya halaman harus digulir.</p>" for n in range(60)
)
WXR = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Lama</title>
<atom:link href="https://lama.wordpress.com/feed/" rel="self"/>
<wp:wxr_version>1.2</wp:wxr_version>
<item><title>Kabar panjang</title><link>https://lama.wordpress.com/2020/01/02/kabar/</link>
<wp:post_id>10</wp:post_id><wp:post_date_gmt>2020-01-02 10:00:00</wp:post_date_gmt>
<wp:post_name>kabar</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<content:encoded><![CDATA[{FILLER}]]></content:encoded>
<wp:comment><wp:comment_id>4242</wp:comment_id><wp:comment_author>Ani</wp:comment_author>
<wp:comment_date_gmt>2020-01-03 00:00:00</wp:comment_date_gmt>
<wp:comment_content><![CDATA[Lihat <b>ini</b> <a href="https://contoh.id/">sumber</a>]]></wp:comment_content>
<wp:comment_approved>1</wp:comment_approved></wp:comment>
</item>
<item><title>留言板</title><link>https://lama.wordpress.com/2020/02/03/%e7%95%99%e8%a8%80%e6%9d%bf/</link>
<wp:post_id>11</wp:post_id><wp:post_date_gmt>2020-02-03 10:00:00</wp:post_date_gmt>
<wp:post_name>%e7%95%99%e8%a8%80%e6%9d%bf</wp:post_name><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type><content:encoded>欢迎</content:encoded></item>
</channel></rss>
"""


def in_view(page, selector):
    return page.evaluate(
        """(selector) => {
            const box = document.querySelector(selector).getBoundingClientRect();
            return box.top >= 0 && box.top < window.innerHeight;
        }""",
        selector,
    )


def test_old_wordpress_links_land_on_the_post_and_the_comment(page, blog_url, tmp_path):
    path = tmp_path / "lama.wordpress.xml"
    path.write_text(WXR, "utf-8")
    import_wordpress(path=path, blog_slug="lama")
    post = Post.objects.get(blog__slug="lama", legacy_id="10")
    page.set_viewport_size({"width": 360, "height": 640})

    # The old permalink without its slash, with the comment's WordPress anchor.
    page.goto(blog_url(post.blog, "/2020/01/02/kabar#comment-4242"))
    assert page.url.split("#")[0].endswith(post.path)
    page.wait_for_function("() => window.scrollY > 0")
    assert in_view(page, "#comment-4242")
    comment = page.locator("#c4242")
    assert comment.get_by_text("ini").evaluate("e => e.tagName") == "B"
    link = comment.get_by_role("link", name="sumber")
    assert link.get_attribute("rel") == "nofollow ugc noopener"

    # The percent-encoded Chinese address a browser sends reaches the post.
    chinese = Post.objects.get(blog__slug="lama", legacy_id="11")
    page.goto(blog_url(post.blog, "/2020/02/03/" + quote("留言板") + "/"))
    assert page.get_by_role("heading", name="留言板").is_visible()
    assert chinese.path == "/2020/02/留言板.html"


def test_a_blogger_show_comment_link_lands_on_the_comment(page, blog_url, testdata_dir):
    path = testdata_dir / "blogger-export" / "blog-03-21-2019.xml"
    import_blogger(path=path, blog_slug="fizkult")
    comment = Comment.objects.filter(blog__slug="fizkult", status="approved").last()
    page.set_viewport_size({"width": 360, "height": 640})
    page.goto(blog_url(comment.blog, f"{comment.post.path}?showComment=1#c{comment.legacy_id}"))
    page.wait_for_function("() => window.scrollY > 0")
    assert in_view(page, f"#c{comment.legacy_id}")


@pytest.fixture
def testdata_dir():
    from warta.migration.tests.conftest import testdata_dir

    return testdata_dir()
