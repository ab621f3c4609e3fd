"""The desk's media library as a plain form: upload, the grid with search and images without
alternative text flagged, alternative text, where an image is used, delete only when unused;
every bad file refused in the blog's language with nothing stored; the editor's lead image
picked from the library, with a warning when it has no alternative text."""

import io
import re

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as Picture

from warta.core.pictures import clean_picture
from warta.core.tests.test_pictures import png_claiming
from warta.posts.models import Image, Post, Status

from .editor_form import editor_form

HOST = "kabar.localhost"


def jpeg_bytes(size=(900, 600), *, exif=None):
    buffer = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    Picture.new("RGB", size, (30, 90, 160)).save(buffer, "JPEG", **options)
    return buffer.getvalue()


def png_bytes(size=(300, 200)):
    buffer = io.BytesIO()
    Picture.new("RGB", size, "red").save(buffer, "PNG")
    return buffer.getvalue()


def upload(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def get(client, path, **data):
    return client.get(path, data, HTTP_HOST=HOST)


def post(client, path, data):
    return client.post(path, data, HTTP_HOST=HOST)


def library_image(blog, user=None, *, alt="", size=(900, 600), name="perahu.jpg"):
    data = io.BytesIO(jpeg_bytes(size))
    return Image.objects.store(
        blog=blog, picture=clean_picture(data), upload_name=name, alt=alt, uploaded_by=user
    )


def test_only_writers_of_the_blog_reach_the_library(client, blog, make_member):
    assert get(client, "/desk/media/").status_code == 302  # to sign in
    client.force_login(make_member(blog, role="member"))
    assert get(client, "/desk/media/").status_code == 403


def test_the_desk_nav_links_to_the_library(client, blog, writer):
    writer()
    html = get(client, "/desk/media/").content.decode()
    assert re.search(r'<a href="/desk/media/" aria-current="page">[^<]+</a>', html)


def test_an_upload_by_the_plain_form_is_stored_clean_with_renditions(client, blog, writer):
    user = writer()
    exif = Picture.Exif()
    exif[0x010F] = "KameraPonsel"
    exif.get_ifd(0x8825).update({1: "S", 2: (6.0, 10.0, 30.0)})
    response = post(
        client,
        "/desk/media/",
        {"image": upload("Perahu Nelayan.JPG", jpeg_bytes(exif=exif)), "alt": "Perahu nelayan"},
    )
    image = Image.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/desk/media/{image.pk}/"
    assert (image.blog, image.uploaded_by, image.alt) == (blog, user, "Perahu nelayan")
    assert image.file.name.endswith("/perahu-nelayan.jpg")
    assert b"KameraPonsel" not in image.file.read()
    assert sorted(map(int, image.renditions["widths"])) == [320, 640, 900]
    detail = get(client, response["Location"]).content.decode()
    assert 'value="Perahu nelayan"' in detail and image.preview_url in detail


def refused_with(response, text):
    assert response.status_code == 400
    page = lxml.html.fromstring(response.content)
    errors = " ".join(page.xpath("//*[@class='error']//text()"))
    assert text in errors, errors
    return page


@pytest.mark.parametrize(
    "name, data, text",
    [
        ("besar.jpg", jpeg_bytes() + b"\x00" * (20 * 1024 * 1024), "terlalu besar"),  # 20 MB
        ("catatan.jpg", b"Ini catatan rapat, bukan foto.\n" * 40, "Berkas ini bukan gambar"),
        ("bom.png", png_claiming(50_000, 50_000), "terlalu banyak piksel"),
        ("potong.png", png_bytes()[:150], "Berkas ini bukan gambar"),
        (
            "gambar.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
            b"<script>alert(document.cookie)</script></svg>",
            "Berkas ini bukan gambar",
        ),
    ],
    ids=["20-mb", "text-named-jpg", "50000x50000-bomb", "truncated-png", "svg-with-script"],
)
def test_a_bad_file_is_refused_in_the_blogs_language_and_nothing_is_stored(
    client, blog, writer, settings, name, data, text
):
    writer()
    response = post(client, "/desk/media/", {"image": upload(name, data), "alt": "Banjir"})
    page = refused_with(response, text)
    assert page.xpath("//input[@name='alt']/@value") == ["Banjir"]  # what was typed stays
    assert not Image.objects.exists()
    assert stored_files(settings) == []


def test_the_size_limit_is_the_setting(client, blog, writer, settings):
    writer()
    settings.WARTA_IMAGE_MAX_BYTES = 1000
    response = post(client, "/desk/media/", {"image": upload("a.jpg", jpeg_bytes())})
    refused_with(response, "1000\xa0bita")
    assert not Image.objects.exists() and stored_files(settings) == []


def test_no_file_chosen_is_refused(client, blog, writer):
    writer()
    response = post(client, "/desk/media/", {"alt": "x"})
    assert response.status_code == 400 and not Image.objects.exists()


def test_the_grid_searches_and_flags_images_without_alt_text(client, blog, writer):
    user = writer()
    flood = library_image(blog, user, alt="Banjir rob di Demak", name="rob.jpg")
    bare = library_image(blog, user, name="tanpa-teks.jpg")
    html = get(client, "/desk/media/").content.decode()
    page = lxml.html.fromstring(html)
    items = page.xpath("//li[contains(@class,'media-item')]")
    assert len(items) == 2
    flagged = page.xpath("//li[contains(@class,'no-alt')]//a/@href")
    assert flagged == [f"/desk/media/{bare.pk}/"]
    assert page.xpath("//p[@class='media-missing-alt']/a/@href") == ["?missing_alt=on"]
    found = lxml.html.fromstring(get(client, "/desk/media/", q="demak").content)
    assert found.xpath("//li[contains(@class,'media-item')]//a/@href") == [
        f"/desk/media/{flood.pk}/"
    ]
    by_name = lxml.html.fromstring(get(client, "/desk/media/", q="tanpa-teks").content)
    assert by_name.xpath("//li[contains(@class,'media-item')]//a/@href") == [
        f"/desk/media/{bare.pk}/"
    ]
    missing = lxml.html.fromstring(get(client, "/desk/media/", missing_alt="on").content)
    assert missing.xpath("//li[contains(@class,'media-item')]//a/@href") == [
        f"/desk/media/{bare.pk}/"
    ]


def test_images_of_other_blogs_are_not_shown_nor_reachable(client, blog, writer, make_blog):
    writer()
    elsewhere = library_image(make_blog("lain"), alt="Rahasia")
    assert "Rahasia" not in get(client, "/desk/media/").content.decode()
    assert get(client, f"/desk/media/{elsewhere.pk}/").status_code == 404
    assert post(client, f"/desk/media/{elsewhere.pk}/delete/", {}).status_code == 404
    assert Image.objects.filter(pk=elsewhere.pk).exists()


def test_alt_text_is_edited_on_the_images_page(client, blog, writer):
    image = library_image(blog, writer())
    page = get(client, f"/desk/media/{image.pk}/").content.decode()
    assert 'class="media-flag"' in page  # no alternative text yet
    response = post(client, f"/desk/media/{image.pk}/", {"alt": "Perahu di tanggul"})
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.alt == "Perahu di tanggul"
    assert 'class="media-flag"' not in get(client, f"/desk/media/{image.pk}/").content.decode()


def test_where_used_is_listed_and_a_used_image_is_not_deleted(
    client, blog, writer, make_post, settings
):
    image = library_image(blog, writer("editor"))
    lead = make_post(blog, title="Banjir rob", lead_image=image)
    inline = make_post(blog, title="Tanggul jebol", body=f"Lihat ![foto]({image.url})")
    page = lxml.html.fromstring(get(client, f"/desk/media/{image.pk}/").content)
    uses = page.xpath("//ul[@class='media-uses']//a/@href")
    assert uses == [f"/desk/posts/{lead.pk}/", f"/desk/posts/{inline.pk}/"]
    assert not page.xpath("//form[contains(@action,'/delete/')]")
    files = stored_files(settings)
    response = post(client, f"/desk/media/{image.pk}/delete/", {})
    assert response.status_code == 302 and response["Location"] == f"/desk/media/{image.pk}/"
    follow = get(client, response["Location"]).content.decode()
    assert "masih digunakan" in follow or "still used" in follow
    assert Image.objects.filter(pk=image.pk).exists() and stored_files(settings) == files


def test_an_unused_image_is_deleted_with_every_rendition(client, blog, writer, settings):
    image = library_image(blog, writer("editor"))
    assert len(stored_files(settings)) == len(image.stored_names()) > 5
    response = post(client, f"/desk/media/{image.pk}/delete/", {})
    assert response.status_code == 302 and response["Location"] == "/desk/media/"
    assert not Image.objects.exists() and stored_files(settings) == []


def test_an_author_deletes_only_their_own_images(client, blog, writer, make_member):
    others = library_image(blog, make_member(blog, role="editor"))
    writer("author")
    post(client, f"/desk/media/{others.pk}/delete/", {})
    assert Image.objects.filter(pk=others.pk).exists()
    assert get(client, "/desk/media/delete/").status_code == 404


# --- the editor's lead image from the library


def test_a_library_image_becomes_the_lead_and_readers_get_its_renditions(client, blog, writer):
    image = library_image(blog, writer("editor"), alt="Perahu nelayan", size=(1400, 900))
    editor = get(client, "/desk/posts/new/").content.decode()
    assert f'<option value="{image.pk}">Perahu nelayan (1400×900)</option>' in editor
    response = post(
        client, "/desk/posts/new/", editor_form(action="publish", lead_image=str(image.pk))
    )
    assert response.status_code == 302
    published = Post.objects.get()
    assert published.status == Status.PUBLISHED and published.lead_image == image
    client.logout()
    article = lxml.html.fromstring(get(client, published.path).content)
    source = article.xpath("//figure[@class='lead']//source[@type='image/webp']")[0]
    assert source.get("srcset") == image.webp_srcset
    lead = article.xpath("//figure[@class='lead']//img")[0]
    assert lead.get("srcset") == image.srcset and lead.get("alt") == "Perahu nelayan"
    assert lead.get("src") == image.rendition_url(960) and "sizes" in lead.attrib
    share_url, width, height = image.share
    assert article.xpath("//meta[@property='og:image']/@content") == [
        "http://kabar.localhost" + share_url
    ]
    assert article.xpath("//meta[@property='og:image:width']/@content") == ["1200"]
    assert article.xpath("//meta[@property='og:image:height']/@content") == ["630"]
    home = lxml.html.fromstring(get(client, "/").content)
    thumb = home.xpath("//img[@class='thumb']")[0]
    assert image.srcset in thumb.get("srcset") and thumb.get("sizes") == "7.5rem"


def test_the_editor_warns_when_the_lead_image_has_no_alt_text(client, blog, writer, make_post):
    writer("editor")
    bare = library_image(blog)
    draft = make_post(blog, title="Draf", status=Status.DRAFT, lead_image=bare)
    html = get(client, f"/desk/posts/{draft.pk}/").content.decode()
    assert 'class="lead-alt-warning error"' in html
    # The picker says so too (in the blog's language once the catalogue has it).
    assert f'<option value="{bare.pk}" selected>perahu.jpg (900×600) — ' in html
    draft.lead_alt = "Perahu di tanggul"
    draft.save()
    assert "lead-alt-warning" not in get(client, f"/desk/posts/{draft.pk}/").content.decode()


def test_a_lead_image_uploaded_in_the_editor_is_cleaned_like_any_upload(client, blog, writer):
    writer("editor")
    exif = Picture.Exif()
    exif[0x010F] = "KameraPonsel"
    data = editor_form(lead_alt="Tanggul")
    data["lead_image_upload"] = upload("Tanggul.jpg", jpeg_bytes(exif=exif))
    assert post(client, "/desk/posts/new/", data).status_code == 302
    image = Post.objects.get().lead_image
    assert b"KameraPonsel" not in image.file.read()
    assert image.renditions["widths"] and image.alt == "Tanggul"


def test_a_bad_lead_image_upload_keeps_the_form_and_stores_nothing(client, blog, writer, settings):
    writer("editor")
    data = editor_form(title="Judul yang diketik")
    data["lead_image_upload"] = upload("bom.png", png_claiming(50_000, 50_000))
    response = post(client, "/desk/posts/new/", data)
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert "terlalu banyak piksel" in html and 'value="Judul yang diketik"' in html
    assert not Post.objects.exists() and not Image.objects.exists()
    assert stored_files(settings) == []


def test_readers_see_new_alt_text_and_late_renditions_at_once(
    client, blog, writer, make_post, settings, django_capture_on_commit_callbacks
):
    settings.WARTA_IMAGE_INLINE_PIXELS = 100  # every image left to the task
    user = writer("editor")
    with django_capture_on_commit_callbacks(execute=False) as pending:
        image = library_image(blog, user, alt="Lama")
    post_ = make_post(blog, title="Banjir", lead_image=image)
    client.logout()
    first = lxml.html.fromstring(get(client, post_.path).content)  # now in the page cache
    assert first.xpath("//figure[@class='lead']//img/@srcset") == []
    for callback in pending:
        callback()  # the background task, as the worker runs it
    image.refresh_from_db()
    again = lxml.html.fromstring(get(client, post_.path).content)
    assert again.xpath("//figure[@class='lead']//img/@srcset") == [image.srcset]
    client.force_login(user)
    post(client, f"/desk/media/{image.pk}/", {"alt": "Baru"})
    client.logout()
    page = lxml.html.fromstring(get(client, post_.path).content)
    assert page.xpath("//figure[@class='lead']//img/@alt") == ["Baru"]


def test_the_grid_pages_keep_the_search(client, blog, writer, settings):
    from warta.desk import media

    user = writer()
    settings.WARTA_IMAGE_INLINE_PIXELS = 0  # no renditions needed here
    for n in range(3):
        library_image(blog, user, alt=f"Rob {n}", size=(40, 30))
    original, media.PER_PAGE = media.PER_PAGE, 2
    try:
        page = lxml.html.fromstring(get(client, "/desk/media/", q="rob", missing_alt="").content)
        assert page.xpath("//p[@class='pager']/a/@href") == ["?q=rob&page=2"]
        second = lxml.html.fromstring(get(client, "/desk/media/", q="rob", page="2").content)
        assert len(second.xpath("//li[contains(@class,'media-item')]")) == 1
    finally:
        media.PER_PAGE = original
