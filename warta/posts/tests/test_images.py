import io

from django.core.files.base import ContentFile
from PIL import Image as Picture

from warta.posts.models import Image


def jpeg(width, height):
    buffer = io.BytesIO()
    Picture.new("RGB", (width, height), (200, 120, 40)).save(buffer, "JPEG")
    return ContentFile(buffer.getvalue())


def test_an_uploaded_image_gets_a_small_copy_for_lists(blog):
    image = Image(blog=blog, alt="Perahu nelayan")
    image.file.save("perahu.jpg", jpeg(1600, 900), save=False)
    image.save()
    assert (image.width, image.height) == (1600, 900)
    with Picture.open(image.thumbnail.path) as thumbnail:
        assert thumbnail.size == (240, 135)
    assert image.thumbnail.size < image.file.size
    assert image.thumbnail_url.endswith("-thumb.jpg")


def test_a_remote_image_is_listed_as_it_is(blog):
    image = Image.objects.create(blog=blog, remote_url="https://example.org/foto.jpg")
    assert not image.thumbnail
    assert image.thumbnail_url == "https://example.org/foto.jpg"


def test_the_home_page_lists_the_small_copy_and_the_article_the_full_image(
    host_client, blog, make_post
):
    image = Image(blog=blog)
    image.file.save("perahu.jpg", jpeg(1200, 675), save=False)
    image.save()
    post = make_post(blog, lead_image=image, lead_caption="Perahu nelayan")
    home = host_client("kabar").get("/").text
    assert f'src="{image.thumbnail.url}"' in home and f'src="{image.file.url}"' not in home
    article = host_client("kabar").get(post.path).text
    assert f'src="{image.file.url}"' in article
