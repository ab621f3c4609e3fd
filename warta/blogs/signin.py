"""One-time sign-in links, printed by ``warta blog create`` and ``warta blog link`` and
opened at ``/desk/welcome/<uid>/<token>/``. A token holds the account's last sign-in time
in its hash (Django's password-reset tokens), so signing in once makes it worthless; it
expires after ``PASSWORD_RESET_TIMEOUT`` (3 days) in any case."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


class SignInTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "warta.blogs.signin.SignInTokenGenerator"


sign_in_tokens = SignInTokenGenerator()


def sign_in_path(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"/desk/welcome/{uid}/{sign_in_tokens.make_token(user)}/"
