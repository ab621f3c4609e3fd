"""Spam heuristics and rate limits stop robots and floods, and never a legitimate member."""

import time

import pytest

from warta.comments import spam
from warta.comments.forms import form_stamp
from warta.comments.models import Comment
from warta.core.ratelimit import rate_limited


@pytest.mark.parametrize(
    "text",
    [
        "Main di situs SLOT GACOR hari ini pasti maxwin",
        "judi online terpercaya, daftar sekarang",
        "Prediksi togel hari ini: 4821",
        "s1ot g4cor parah bosku",
        "Bandar togel resmi",
        "RTP live tertinggi cek di sini",
        "Bocoran pola slot malam ini",
        "deposit pulsa tanpa potongan",
        "Jual obat kuat asli",
        "viagra murah",
        "cialis 20mg",
        "Agen judi bola",
        "Link s-l-o-t terbaru",
        "c1al1s",
    ],
)
def test_the_shipped_rules_catch_gambling_and_pharma_spam(text):
    assert spam.shipped_rule_hit(text)


@pytest.mark.parametrize(
    "text",
    [
        "Slot waktu rapat RT diundur ke Kamis malam.",
        "Polisi menggerebek tempat judi di Medan, ini kemajuan.",
        "Pemerintah harus tegas memberantas judi, bukan hanya razia.",
        "Bandar Lampung macet lagi pagi ini.",
        "Tolong tambahkan slot parkir di pasar.",
        "Obat untuk demam berdarah sudah tersedia di puskesmas.",
        "Deposito bank naik, deposit dana nasabah aman.",
        "Togel itu penyakit sosial, setuju dengan penulis.",
    ],
)
def test_legitimate_discussion_passes_the_shipped_rules(text):
    assert spam.shipped_rule_hit(text) is None


def test_the_rules_file_is_read_from_the_app():
    assert spam.RULES_FILE.exists()
    assert len(spam.shipped_rules()) >= 15


@pytest.fixture
def open_post(make_blog, make_post):
    return make_post(make_blog(comment_policy="anyone", language="en"))


def test_a_filled_honeypot_is_refused(open_post, send_comment):
    response = send_comment(open_post, homepage="http://spam.example")
    assert response.status_code == 400
    assert not Comment.objects.exists()


def stamp_of(post, now=None):
    return form_stamp(blog_id=post.blog_id, post_id=post.pk, now=now)


def test_a_form_sent_too_fast_is_refused_and_kept_for_a_second_try(open_post, send_comment):
    response = send_comment(open_post, stamp=stamp_of(open_post, time.time()), body="Cepat sekali")
    assert response.status_code == 400
    html = response.content.decode()
    assert "That was too fast" in html
    assert "Cepat sekali" in html  # nothing typed is lost
    assert not Comment.objects.exists()


def test_a_forged_stamp_is_refused(open_post, send_comment):
    assert send_comment(open_post, stamp="123").status_code == 400


def test_too_many_links_are_refused(open_post, send_comment, settings):
    settings.WARTA_COMMENT_MAX_LINKS = 2
    body = " ".join(f"https://a{i}.example/x" for i in range(3))
    response = send_comment(open_post, body=body)
    assert response.status_code == 400
    assert "at most 2 links" in response.content.decode()
    assert send_comment(open_post, body="Lihat https://bps.go.id/data").status_code == 303


def test_spam_phrases_are_refused_with_a_reason(open_post, send_comment):
    response = send_comment(open_post, body="Ayo main slot gacor maxwin")
    assert response.status_code == 403
    assert "looks like spam" in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("entry", "fields"),
    [
        ("pinjol", {"body": "Butuh dana? Pinjol cepat cair"}),
        ("bad@example.com", {"email": "Bad@Example.com"}),
        ("spammy.example", {"url": "https://spammy.example/"}),
    ],
)
def test_the_blogs_block_list_refuses_matching_comments(open_post, send_comment, entry, fields):
    open_post.blog.comment_blocklist = f"# our list\n{entry}\n"
    open_post.blog.save()
    assert send_comment(open_post, **fields).status_code == 403
    assert not Comment.objects.exists()


def test_the_rate_limit_per_address_holds(open_post, send_comment, settings):
    settings.WARTA_COMMENT_RATE_PER_IP = "3/60"
    codes = [send_comment(open_post, body=f"Komentar {i}").status_code for i in range(5)]
    assert codes == [303, 303, 303, 429, 429]
    assert Comment.objects.count() == 3


def test_the_rate_limit_per_account_holds(
    make_blog, make_post, make_member, send_comment, settings
):
    settings.WARTA_COMMENT_RATE_PER_USER = "2/60"
    blog = make_blog(comment_policy="members")
    post = make_post(blog)
    member = make_member(blog)
    codes = [send_comment(post, user=member, body=f"Komentar {i}").status_code for i in range(3)]
    assert codes == [303, 303, 429]


def test_rate_limits_are_counted_in_the_shared_cache(settings):
    from django.core.cache import cache

    assert not rate_limited("comment-ip", "abc", "2/60")
    assert not rate_limited("comment-ip", "abc", "2/60")
    assert rate_limited("comment-ip", "abc", "2/60")
    assert cache.get("rate:comment-ip:abc") == 3
    assert not rate_limited("comment-ip", "other", "2/60")


def test_a_legitimate_member_passes_every_check(
    make_blog, make_post, make_member, send_comment, settings
):
    """A real member, writing about a meeting slot with one link, after others were limited."""
    settings.WARTA_COMMENT_RATE_PER_IP = "1/60"
    blog = make_blog(comment_policy="members", moderation="none")
    blog.comment_blocklist = "pinjol\nip:" + spam.hash_ip("10.0.0.9")
    blog.save()
    post = make_post(blog)
    member = make_member(blog)
    # Anonymous traffic from the same address used up its allowance already.
    rate_limited("comment-ip", spam.hash_ip("127.0.0.1"), "1/60")
    rate_limited("comment-ip", spam.hash_ip("127.0.0.1"), "1/60")
    body = (
        "Slot waktu rapat warga dipindah ke Kamis.\n\n"
        "Jadwal lengkap: https://kelurahan.example/jadwal"
    )
    response = send_comment(post, user=member, body=body)
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.APPROVED
    assert comment.user == member


def test_one_click_spam_teaches_the_blogs_list(
    client, make_blog, make_post, make_member, make_comment
):
    blog = make_blog(comment_policy="anyone")
    post = make_post(blog)
    editor = make_member(blog, role="editor")
    bad = make_comment(
        post,
        author_email="Promo@Spam.example",
        body="Kunjungi https://www.cepat-kaya.example/daftar",
        ip_hash=spam.hash_ip("10.1.1.1"),
    )
    client.force_login(editor)
    response = client.post(
        "/desk/comments/", {"one": f"spam:{bad.pk}"}, HTTP_HOST=f"{blog.slug}.localhost"
    )
    assert response.status_code == 302
    bad.refresh_from_db()
    blog.refresh_from_db()
    post.refresh_from_db()
    assert bad.status == Comment.Status.SPAM
    assert post.comment_count == 0
    entries = blog.comment_blocklist.splitlines()
    assert "promo@spam.example" in entries
    assert "cepat-kaya.example" in entries
    assert f"ip:{spam.hash_ip('10.1.1.1')}" in entries


def test_behind_the_https_proxy_each_reader_has_their_own_limit(open_post, send_comment, settings):
    settings.WARTA_COMMENT_RATE_PER_IP = "1/60"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.WARTA_TRUSTED_PROXIES = 1
    first = send_comment(open_post, body="Satu", HTTP_X_FORWARDED_FOR="10.0.0.1")
    second = send_comment(open_post, body="Dua", HTTP_X_FORWARDED_FOR="10.0.0.2")
    again = send_comment(open_post, body="Tiga", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.0.0.1")
    assert [first.status_code, second.status_code, again.status_code] == [303, 303, 429]


def test_the_form_stamp_is_signed_for_its_own_second_key_and_post(settings):
    from django.core import signing

    from warta.comments.forms import stamp_salt

    now = time.time()
    salt = stamp_salt(blog_id=1, post_id=2)
    stamp = form_stamp(blog_id=1, post_id=2, now=now)
    assert stamp == form_stamp(blog_id=1, post_id=2, now=now) == signing.dumps(int(now), salt=salt)
    assert signing.loads(form_stamp(blog_id=1, post_id=2, now=now + 5), salt=salt) == int(now + 5)
    other = form_stamp(blog_id=1, post_id=3, now=now)
    assert other != stamp  # memoised per post, not only per second
    assert signing.loads(other, salt=stamp_salt(blog_id=1, post_id=3)) == int(now)
    assert form_stamp(blog_id=1, post_id=2, now=now) == stamp
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert form_stamp(blog_id=1, post_id=2, now=now) != stamp
    assert signing.loads(form_stamp(blog_id=1, post_id=2, now=now), salt=salt) == int(now)


def test_a_fresh_stamp_of_the_post_is_accepted(open_post, send_comment):
    assert send_comment(open_post, stamp=stamp_of(open_post, time.time() - 10)).status_code == 303
    assert Comment.objects.get().post == open_post


def test_a_stamp_from_another_post_of_the_blog_is_refused(open_post, make_post, send_comment):
    other = make_post(open_post.blog)
    response = send_comment(open_post, stamp=stamp_of(other, time.time() - 60), body="Salah pos")
    assert response.status_code == 400
    html = response.content.decode()
    assert "This form has expired or belongs to another page." in html
    assert "Salah pos" in html  # what the reader typed is kept
    assert not Comment.objects.exists()


def test_a_stamp_from_another_blog_is_refused(open_post, make_blog, make_post, send_comment):
    """The same post id under another blog's id does not verify either."""
    other_blog = make_blog(comment_policy="anyone")
    same_id = form_stamp(blog_id=other_blog.pk, post_id=open_post.pk, now=time.time() - 60)
    assert send_comment(open_post, stamp=same_id).status_code == 400
    of_its_post = stamp_of(make_post(other_blog), time.time() - 60)
    assert send_comment(open_post, stamp=of_its_post).status_code == 400
    assert not Comment.objects.exists()


def test_a_stamp_older_than_the_limit_is_refused(open_post, send_comment, settings, monkeypatch):
    settings.WARTA_COMMENT_STAMP_HOURS = 12
    now = time.time()
    with monkeypatch.context() as clock:
        # Signed 13 hours ago, by the clock of that moment (the signature's own timestamp too).
        clock.setattr(time, "time", lambda: now - 13 * 3600)
        old = stamp_of(open_post)
    response = send_comment(open_post, stamp=old, body="Tab lama")
    assert response.status_code == 400
    assert "Tab lama" in response.content.decode()
    assert not Comment.objects.exists()
    with monkeypatch.context() as clock:
        clock.setattr(time, "time", lambda: now - 11 * 3600)
        recent = stamp_of(open_post)
    assert send_comment(open_post, stamp=recent).status_code == 303


def test_the_refused_page_offers_a_fresh_stamp_of_the_same_post(open_post, send_comment):
    import re
    from html import unescape

    from django.core import signing

    from warta.comments.forms import stamp_salt

    response = send_comment(open_post, stamp="123", body="Coba lagi")
    fresh = unescape(re.search(r'name="stamp" value="([^"]+)"', response.content.decode())[1])
    salt = stamp_salt(blog_id=open_post.blog_id, post_id=open_post.pk)
    assert abs(signing.loads(fresh, salt=salt) - time.time()) < 5
