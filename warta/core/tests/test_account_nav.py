from warta.blogs.models import Membership


def test_anonymous_readers_see_a_sign_in_link_and_nothing_personal(host_client, blog, make_post):
    post = make_post(blog)
    html = host_client("kabar").get(post.path).text
    assert f'href="/accounts/login/?next={post.path}"' in html
    assert "/desk/" not in html and "csrfmiddlewaretoken" not in html


def test_writers_see_the_desk_link_and_members_do_not(client, blog, make_member, make_post):
    post = make_post(blog)
    for role, sees_desk in [(Membership.Role.AUTHOR, True), (Membership.Role.MEMBER, False)]:
        person = make_member(blog, role=role)
        client.force_login(person)
        html = client.get(post.path, HTTP_HOST="kabar.localhost").text
        assert person.name in html
        assert ('href="/desk/comments/"' in html) is sees_desk
        assert "Keluar" in html
