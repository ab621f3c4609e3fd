import pytest

from warta.posts.models import Image


@pytest.fixture
def lead_image(blog):
    """A remote picture of known size (1200×675), as an import leaves a post's lead image."""
    return Image.objects.create(
        blog=blog, remote_url="https://example.org/demak.jpg", width=1200, height=675
    )
