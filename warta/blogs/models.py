import datetime
import secrets
import zoneinfo

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from warta.core import hosts
from warta.core.hosts import public_url
from warta.pagecache.worker import forget_generation

from . import icons, stylesheets, themes

slug_validator = RegexValidator(
    r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$",
    _("Use lowercase letters, digits and hyphens, as in a web address (e.g. “kabar-aleppo”)."),
)


accent_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$",
    _("Write the colour as # and six hexadecimal digits, e.g. “#b3261e”."),
)


def blog_picture_path(blog, filename):
    """``blogs/kabar/favicon-3f9c2a.png``: a new name for each upload, so a replaced icon is
    never served from a browser's cache under the old address."""
    stem, _dot, extension = filename.rpartition(".")
    return f"blogs/{blog.slug}/{stem or 'picture'}-{secrets.token_hex(3)}.{extension or 'png'}"


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


class BlogQuerySet(models.QuerySet):
    def for_host(self, host):
        """The blog a request's Host names, or None: custom domain, subdomain, or default
        (the bare domain and the loopback names); None for what is no host name."""
        host = hosts.host_name(host)
        if not host:
            return None
        domain = settings.WARTA_DOMAIN.lower()
        if host in hosts.default_blog_hosts():
            return self.default()
        if host.endswith("." + domain):
            slug = host[: -len(domain) - 1]
            if slug.startswith("www."):
                slug = slug[4:]
            return self.filter(slug=slug).first()
        return self.filter(custom_domain=host.removeprefix("www.")).first()

    def default(self):
        if settings.WARTA_DEFAULT_BLOG:
            return self.filter(slug=settings.WARTA_DEFAULT_BLOG).first()
        return self.order_by("pk").first()


class Blog(models.Model):
    class Language(models.TextChoices):
        INDONESIAN = "id", _("Indonesian")
        ENGLISH = "en", _("English")

    class CommentPolicy(models.TextChoices):
        ANYONE = "anyone", _("Anyone, including anonymous readers")
        SIGNED_IN = "signed_in", _("Signed-in readers")
        MEMBERS = "members", _("Members of this blog only")
        CLOSED = "closed", _("Nobody (comments closed)")

    class Moderation(models.TextChoices):
        NONE = "none", _("Never: publish at once")
        FIRST_TIME = "first_time", _("First-time commenters")
        ALWAYS = "always", _("Always")
        OLDER_THAN = "older_than", _("Only on posts older than N days")

    class FeedContent(models.TextChoices):
        FULL = "full", _("Full posts")
        SUMMARY = "summary", _("Summaries only")

    slug = models.SlugField(
        _("address"),
        max_length=63,
        unique=True,
        validators=[slug_validator],
        help_text=_("The blog answers at <address>.<your domain>, e.g. “kabar”."),
    )
    title = models.CharField(_("title"), max_length=200)
    tagline = models.CharField(
        _("tagline"),
        max_length=300,
        blank=True,
        help_text=_("One line under the title, e.g. “Berita dan informasi terkini”."),
    )
    description = models.TextField(_("description"), blank=True, max_length=2000)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.INDONESIAN
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Jakarta", validators=[validate_time_zone]
    )
    custom_domain = models.CharField(
        _("custom domain"),
        max_length=253,
        unique=True,
        null=True,
        blank=True,
        help_text=_("e.g. “www.kabarkita.id”; point its DNS at this server."),
    )
    comment_policy = models.CharField(
        _("who may comment"),
        max_length=16,
        choices=CommentPolicy.choices,
        default=CommentPolicy.MEMBERS,
    )
    moderation = models.CharField(
        _("comment moderation"), max_length=16, choices=Moderation.choices, default=Moderation.NONE
    )
    moderation_delay_days = models.PositiveIntegerField(
        _("moderate comments on posts older than (days)"), default=14
    )
    membership_open = models.BooleanField(
        _("anyone may join"),
        default=True,
        help_text=_("When off, readers become members only by invitation."),
    )
    authors_may_publish = models.BooleanField(
        _("authors may publish"),
        default=False,
        help_text=_("When off, an author's post waits for an editor's review."),
    )
    posts_per_page = models.PositiveSmallIntegerField(_("posts per page"), default=10)
    feed_content = models.CharField(
        _("feeds carry"),
        max_length=10,
        choices=FeedContent.choices,
        default=FeedContent.FULL,
        help_text=_(
            "What the blog's main feeds give feed readers: each post in full, or its summary "
            "and a link. The summary feed (/feeds/posts/summary) always carries summaries."
        ),
    )
    comment_blocklist = models.TextField(
        _("disallowed in comments"),
        blank=True,
        help_text=_(
            "One per line: words, e-mail addresses, web domains or “ip:” entries. A comment "
            "containing any of them is refused. Marking a comment as spam adds its sender here."
        ),
    )
    show_pingbacks = models.BooleanField(
        _("show pingbacks and trackbacks"),
        default=True,
        help_text=_("Links other blogs sent to a post (often imported from Blogger)."),
    )
    theme = models.CharField(
        _("theme"), max_length=20, choices=themes.choices(), default=themes.DEFAULT
    )
    accent_color = models.CharField(
        _("accent colour"),
        max_length=7,
        blank=True,
        validators=[accent_validator],
        help_text=_(
            "Links, buttons and the rule under the title, e.g. “#b3261e”. Empty: the theme's own."
        ),
    )
    custom_css = models.TextField(
        _("custom CSS"),
        blank=True,
        validators=[stylesheets.validate_custom_css],
        help_text=_(
            "Added after the theme on every reader page, e.g. “.blog-title{letter-"
            "spacing:.05em}”. Nothing may be loaded from another site."
        ),
    )
    # A short hash of the theme, accent and custom CSS: the served stylesheet's version, so
    # its address changes with what it says and nothing else.
    style_version = models.CharField(max_length=16, blank=True, editable=False)
    menu = models.JSONField(
        _("menu"),
        default=list,
        blank=True,
        help_text=_("The header's links in their order, set on the desk's menu page."),
    )
    favicon = models.ImageField(_("icon"), upload_to=blog_picture_path, blank=True)
    touch_icon = models.ImageField(upload_to=blog_picture_path, blank=True, editable=False)
    logo = models.ImageField(
        _("logo"),
        upload_to=blog_picture_path,
        blank=True,
        width_field="logo_width",
        height_field="logo_height",
    )
    logo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    logo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    share_image = models.ImageField(_("share image"), upload_to=blog_picture_path, blank=True)
    generation = models.PositiveBigIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BlogQuerySet.as_manager()

    class Meta:
        verbose_name = _("blog")
        verbose_name_plural = _("blogs")
        ordering = ["pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.custom_domain == "":
            self.custom_domain = None
        if self.custom_domain:
            self.custom_domain = self.custom_domain.lower().removeprefix("www.")
        self.style_version = stylesheets.version(self.theme, self.accent_color, self.custom_css)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"theme", "accent_color", "custom_css"} & set(
            update_fields
        ):
            kwargs["update_fields"] = {*update_fields, "style_version"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return "/"

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def host(self):
        """The blog's canonical host: its custom domain, else ``<slug>.<WARTA_DOMAIN>``."""
        if self.custom_domain:
            return self.custom_domain
        return f"{self.slug}.{settings.WARTA_DOMAIN}"

    @property
    def base_url(self):
        """``https://kabar.warta.id``: what links that leave the request (mail) start with,
        built from the canonical host, never from the Host header of a request."""
        return public_url(self.host)

    @property
    def favicon_url(self):
        return self.favicon.url if self.favicon else ""

    @property
    def touch_icon_url(self):
        return self.touch_icon.url if self.touch_icon else ""

    @property
    def logo_url(self):
        return self.logo.url if self.logo else ""

    @property
    def share_image_url(self):
        return self.share_image.url if self.share_image else ""

    @property
    def theme_stylesheet(self):
        """The static file of the blog's theme, or "" for the default (``warta.css`` alone)."""
        return themes.stylesheet(self.theme)

    @property
    def stylesheet_url(self):
        """The blog's own stylesheet (accent colour, custom CSS), or "" when it has none.
        Versioned by content, so it is cached for good and changes as soon as it does."""
        if not (self.accent_color or self.custom_css):
            return ""
        version = self.style_version or stylesheets.version(
            self.theme, self.accent_color, self.custom_css
        )
        return f"/theme.css?v={version}"

    def replace_pictures(self, pictures, removed=()):
        """Store the icon, logo or share image made from each clean upload in ``pictures``
        (``{"favicon": CleanPicture}``, see ``core.pictures``), clear those named in
        ``removed``, and save the row; replaced files are deleted once it is committed."""
        from django.core.files.base import ContentFile

        made = {
            "favicon": lambda p: [
                ("favicon", "favicon.png", icons.favicon(p)),
                ("touch_icon", "touch-icon.png", icons.touch_icon(p)),
            ],
            "logo": lambda p: [("logo", "logo.png", icons.logo(p))],
            "share_image": lambda p: [("share_image", "share.jpg", icons.share_image(p))],
        }
        files = {
            "favicon": ("favicon", "touch_icon"),
            "logo": ("logo",),
            "share_image": ("share_image",),
        }
        changed, old, new = set(), [], []
        for kind in {*removed, *pictures}:
            for field in files[kind]:
                if getattr(self, field):
                    old.append(getattr(self, field).name)
                setattr(self, field, "")
                changed.add(field)
        try:
            for kind, picture in pictures.items():
                for field, name, content in made[kind](picture):
                    getattr(self, field).save(name, ContentFile(content), save=False)
                    new.append(getattr(self, field).name)
            if "logo" in changed:
                changed |= {"logo_width", "logo_height"}
                if not self.logo:
                    self.logo_width = self.logo_height = None
            self.save(update_fields=[*changed, "updated_at"])
        except BaseException:
            for name in new:
                self.favicon.storage.delete(name)
            raise
        storage = self.favicon.storage
        transaction.on_commit(lambda: [storage.delete(name) for name in old])

    def bump_generation(self):
        """Invalidate every cached page of this blog: the page cache keys include it."""
        Blog.objects.filter(pk=self.pk).update(generation=F("generation") + 1)
        forget_generation(self.pk)

    def membership_of(self, user):
        if not user or not user.is_authenticated:
            return None
        return self.memberships.filter(user=user).first()

    def is_member(self, user):
        return self.membership_of(user) is not None

    def role_of(self, user):
        membership = self.membership_of(user)
        return membership.role if membership else None

    def can_edit(self, user):
        return self.role_of(user) in Membership.EDITING_ROLES


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        ADMIN = "admin", _("Administrator")
        EDITOR = "editor", _("Editor")
        AUTHOR = "author", _("Author")
        MEMBER = "member", _("Member")

    EDITING_ROLES = {Role.OWNER, Role.ADMIN, Role.EDITOR}
    WRITING_ROLES = EDITING_ROLES | {Role.AUTHOR}

    blog = models.ForeignKey(Blog, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["blog", "user"], name="one_membership_per_blog")
        ]

    def __str__(self):
        return f"{self.user} @ {self.blog} ({self.role})"


class InvitationQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(accepted_at=None, expires_at__gt=timezone.now())


def invitation_token():
    return secrets.token_urlsafe(24)


def invitation_expiry():
    return timezone.now() + datetime.timedelta(days=14)


class Invitation(models.Model):
    """An e-mail invited into a blog with a role; accepted once, by a signed-in reader who
    holds that address, verified. The link alone is no proof: it may be forwarded or leak."""

    blog = models.ForeignKey(Blog, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    role = models.CharField(
        _("role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    token = models.CharField(max_length=64, unique=True, default=invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), default=invitation_expiry)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.blog} ({self.role})"

    def get_absolute_url(self):
        return f"/invite/{self.token}"

    @property
    def is_usable(self):
        return self.accepted_at is None and self.expires_at > timezone.now()

    def is_for(self, user) -> bool:
        """Whether this user may accept: signed in, with the invited address among their
        verified ones (allauth's, the sign-in address included)."""
        if not user.is_authenticated:
            return False
        verified = EmailAddress.objects.filter(user=user, verified=True)
        return verified.filter(email__iexact=self.email).exists()


class Activity(models.Model):
    """One change to who is in a blog (invited, joined, role changed, removed, left,
    ownership transferred), kept for the blog's owners to read."""

    class Action(models.TextChoices):
        INVITED = "invited", _("invited")
        JOINED = "joined", _("joined")
        ROLE_CHANGED = "role_changed", _("role changed")
        REMOVED = "removed", _("removed")
        INVITATION_REVOKED = "invitation_revoked", _("invitation revoked")
        LEFT = "left", _("left")
        OWNERSHIP_OFFERED = "ownership_offered", _("ownership offered")
        OWNERSHIP_TRANSFERRED = "ownership_transferred", _("ownership transferred")

    blog = models.ForeignKey(Blog, on_delete=models.CASCADE, related_name="activities")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=24, choices=Action.choices)
    # Names as they were: the entry still reads right after an account is renamed or closed.
    subject = models.CharField(max_length=254, blank=True)
    detail = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.blog}: {self.action} {self.subject}"
