"""A reader's account in a real Chromium: sign in through allauth's form, then comment."""

import pytest
from allauth.account.models import EmailAddress

from warta.comments.models import Comment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("language", "sign_in", "password", "submit"),
    [
        ("id", "Masuk untuk berkomentar", "Kata sandi", "Masuk"),
        ("en", "Sign in to comment", "Password", "Sign In"),
    ],
)
def test_a_reader_signs_in_from_the_post_and_comments(
    page, blog_url, make_blog, make_post, make_user, settings,
    language, sign_in, password, submit,
):  # fmt: skip
    settings.WARTA_COMMENT_MIN_SECONDS = 0
    blog = make_blog(comment_policy="signed_in", language=language)
    post = make_post(blog)
    user = make_user("sari@example.com", password="Rahasia-panjang-9", display_name="Sari")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    page.goto(blog_url(blog, post.path))
    page.get_by_role("link", name=sign_in).click()
    assert page.locator("h1").inner_text() == submit
    page.locator("input[name=login]").fill("sari@example.com")
    page.get_by_placeholder(password, exact=True).fill("Rahasia-panjang-9")
    page.locator("form").filter(has=page.locator("input[type=password]")).get_by_role(
        "button", name=submit, exact=True
    ).click()
    page.wait_for_url(f"**{post.path}")
    assert "Sari" in page.locator(".commenting-as").inner_text()
    page.locator("#comment-body").fill("Sudah masuk, sekarang berkomentar")
    page.locator("#respond button[type=submit]").click()
    page.wait_for_url("**#c*")
    assert Comment.objects.get().user == user
