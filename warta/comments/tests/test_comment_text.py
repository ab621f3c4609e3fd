"""The comment auto-linker next to quotes, brackets and punctuation, and the HTML imported
comments keep (bold, italics, links with ``rel="nofollow ugc"``)."""

import pytest

from warta.comments.models import Comment
from warta.comments.text import count_links, render_comment, render_comment_html

REL = 'rel="nofollow ugc noopener"'


def link(url, label=None):
    return f'<a href="{url}" {REL}>{label or url}</a>'


@pytest.mark.parametrize(
    ("text", "html"),
    [
        # The report: a URL in double quotes kept the quote (as &quot;) and a stray ";".
        (
            'see "http://example.com/a.css" x',
            f'<p>see "{link("http://example.com/a.css")}" x</p>',
        ),
        ("'https://contoh.id/a'", f"<p>'{link('https://contoh.id/a')}'</p>"),
        ("(lihat https://contoh.id/a).", f"<p>(lihat {link('https://contoh.id/a')}).</p>"),
        ("[https://contoh.id/a]", f"<p>[{link('https://contoh.id/a')}]</p>"),
        (
            "https://id.wikipedia.org/wiki/Bogor_(kota), ya",
            f"<p>{link('https://id.wikipedia.org/wiki/Bogor_(kota)')}, ya</p>",
        ),
        ("Baca https://contoh.id/a!", f"<p>Baca {link('https://contoh.id/a')}!</p>"),
        ("Baca https://contoh.id/a?", f"<p>Baca {link('https://contoh.id/a')}?</p>"),
        ("Di https://contoh.id/a; lalu", f"<p>Di {link('https://contoh.id/a')}; lalu</p>"),
        ("<https://contoh.id/a>", f"<p>&lt;{link('https://contoh.id/a')}&gt;</p>"),
        (
            "https://contoh.id/?q=1&b=2",
            f"<p>{link('https://contoh.id/?q=1&amp;b=2')}</p>",
        ),
        ("http://", "<p>http://</p>"),
    ],
)
def test_urls_next_to_quotes_brackets_and_punctuation(text, html):
    assert render_comment(text) == html


def test_a_script_stays_text_and_paragraphs_stay():
    html = render_comment('<script>alert("x")</script>\n\nbaris "dua"\ntiga')
    assert html == ('<p>&lt;script&gt;alert("x")&lt;/script&gt;</p><p>baris "dua"<br>tiga</p>')


def test_links_are_counted_as_the_linker_sees_them():
    assert count_links('"http://a.id/x" dan (https://b.id/y).') == 2


def test_imported_html_keeps_bold_italics_and_links_only():
    html = render_comment_html(
        '<b>tebal</b> <i>miring</i> <a href="https://a.id/" onclick="x()" target="_blank">a</a>'
        '<img src=x onerror=alert(1)><script>alert(1)</script><a href="javascript:alert(1)">j</a>'
    )
    assert html == f"<p><b>tebal</b> <i>miring</i> {link('https://a.id/', 'a')}<a {REL}>j</a></p>"
    heading = render_comment_html("<h1>judul</h1> <u>garis</u>")
    assert "judul" in heading and "garis" in heading
    assert "<h1" not in heading and "<u>" not in heading


def test_imported_html_without_markup_of_its_own_gets_paragraphs():
    assert render_comment_html("satu\ndua\n\ntiga") == "<p>satu<br>dua</p><p>tiga</p>"
    assert render_comment_html("satu<br>dua") == "satu<br>dua"


def test_an_imported_html_comment_keeps_its_html_when_saved_again(make_blog, make_post):
    post = make_post(make_blog(), title="Pos")
    comment = Comment(
        blog=post.blog,
        post=post,
        body="tebal",
        body_html='<b>tebal</b> <a href="https://a.id/">a</a>',
        is_html=True,
    )
    comment.save()
    comment.status = Comment.Status.SPAM
    comment.save()
    comment.refresh_from_db()
    assert comment.body_html == f"<p><b>tebal</b> {link('https://a.id/', 'a')}</p>"


def test_each_comment_carries_both_anchors_old_links_use(
    make_blog, make_post, make_comment, client
):
    post = make_post(make_blog(), title="Pos")
    native = make_comment(post, author_name="Ani", body="Halo")
    imported = make_comment(post, author_name="Budi", body="Lama")
    Comment.objects.filter(pk=imported.pk).update(legacy_id="4711")
    post.__class__.objects.filter(pk=post.pk).threads_changed()
    html = client.get(post.path, HTTP_HOST=f"{post.blog.slug}.localhost").content.decode()
    assert f'id="c{native.pk}"' in html
    assert 'id="c4711"' in html and 'id="comment-4711"' in html
