"""The invitation link an admin copies names the blog's own address."""

import re

import pytest

from warta.blogs.models import Invitation


@pytest.mark.parametrize("host", ["www.kabar.localhost:8000", "KABAR.localhost."])
def test_the_invitation_link_is_on_the_blogs_own_host(client, blog, make_member, host):
    client.force_login(make_member(blog, role="admin"))
    response = client.post(
        "/desk/members/", {"email": "tamu@example.com", "role": "author"}, HTTP_HOST=host
    )
    invitation = Invitation.objects.get()
    assert f"http://kabar.localhost{invitation.get_absolute_url()}" in response.text
    assert set(re.findall(r"https?://([^/\s\"'<]+)", response.text)) == {"kabar.localhost"}
