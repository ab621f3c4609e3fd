from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .signals import public_profile_changed


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def create_profile(self, *, display_name, email="", **extra_fields):
        """A person who appears as an author or commenter but cannot sign in (imports)."""
        if not email:
            from django.utils.crypto import get_random_string

            email = f"profile-{get_random_string(16).lower()}@profiles.invalid"
        return self._create_user(
            email, None, display_name=display_name, is_profile_only=True, **extra_fields
        )


class User(AbstractUser):
    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=150,
        blank=True,
        help_text=_("Shown on your posts and comments, e.g. “Taufiq Akbar”."),
    )
    bio = models.TextField(_("bio"), blank=True, max_length=2000)
    photo = models.ImageField(_("photo"), upload_to="profiles/%Y/%m/", blank=True)
    photo_url = models.URLField(_("photo address"), blank=True, max_length=1000)
    website = models.URLField(_("website"), blank=True, max_length=500)
    notify_comments = models.BooleanField(_("e-mail me new comments on my posts"), default=True)
    is_profile_only = models.BooleanField(
        _("profile without login"),
        default=False,
        help_text=_("Imported authors and commenters who have not claimed an account."),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    # What readers see of a user: the name on posts and comments, the author box.
    PUBLIC_FIELDS = ("display_name", "email", "bio", "photo", "photo_url", "website")

    def __str__(self):
        return self.name

    def save(self, *args, update_fields=None, **kwargs):
        """Tell the pages that show this user when what they show changed."""
        public = self.PUBLIC_FIELDS
        if update_fields is not None:
            public = [name for name in public if name in update_fields]
        before = None
        if self.pk and public:
            before = User.objects.filter(pk=self.pk).values_list(*public).first()
        super().save(*args, update_fields=update_fields, **kwargs)
        after = tuple(str(self._meta.get_field(name).value_from_object(self)) for name in public)
        if before is not None and tuple(map(str, before)) != after:
            public_profile_changed.send(sender=User, instance=self)

    def get_absolute_url(self):
        return reverse("reader:author", args=[self.pk])

    @property
    def name(self):
        return self.display_name or self.email.split("@")[0]

    @property
    def avatar_url(self):
        if self.photo:
            return self.photo.url
        return self.photo_url


def display_name(user):
    """How allauth names a user in its pages and mails."""
    return user.name
