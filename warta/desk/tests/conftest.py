import pytest


@pytest.fixture
def writer(client, blog, make_member):
    """``writer(role="author")``: a new member of ``blog`` in that role, signed in on
    ``client``; returns the user."""

    def sign_in(role="author"):
        user = make_member(blog, role=role)
        client.force_login(user)
        return user

    return sign_in


@pytest.fixture
def newsroom(make_blog, make_member):
    """The English blog "meja" and its owner, as ``(blog, owner)``. The tests of every
    role's rights define a newsroom of their own, with a member of each role."""
    blog = make_blog("meja", title="Meja Redaksi", language="en")
    return blog, make_member(blog, role="owner")


@pytest.fixture
def owner(client, newsroom):
    """``client``, signed in as the newsroom's owner."""
    client.force_login(newsroom[1])
    return client
