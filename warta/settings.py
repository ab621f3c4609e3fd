"""Warta settings: every value comes from an environment variable with an embedded default.

The embedded default is one data folder (``WARTA_DATA_DIR``) holding a SQLite database in
WAL mode, the file cache and uploaded media. ``WARTA_DATABASE_URL`` (PostgreSQL) and
``WARTA_REDIS_URL`` switch to the shared services several app processes need.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env("WARTA_DATA_DIR", str(Path.cwd() / "data"))).resolve()

DEBUG = env_bool("WARTA_DEBUG")
SECRET_KEY = env("WARTA_SECRET_KEY")
if not SECRET_KEY:
    # A key kept in the data folder survives restarts without being committed anywhere.
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        SECRET_KEY = key_file.read_text().strip()
    else:
        from django.utils.crypto import get_random_string

        SECRET_KEY = get_random_string(64)
        try:
            DATA_DIR.mkdir(parents=True, exist_ok=True)
            key_file.write_text(SECRET_KEY)
            key_file.chmod(0o600)
        except OSError:
            pass

# Blogs answer on their own subdomains and custom domains, which only the database knows:
# BlogMiddleware answers a host with no blog (and not the operator's) with a 400 before any
# view runs, so Django's own host check would only duplicate it.
ALLOWED_HOSTS = ["*"]
WARTA_DOMAIN = env("WARTA_DOMAIN", "localhost")
WARTA_DEFAULT_BLOG = env("WARTA_DEFAULT_BLOG")
# The operator's host(s), comma-separated: the only ones where Django's admin answers.
# Empty: the bare WARTA_DOMAIN and the loopback names.
WARTA_ADMIN_HOST = env("WARTA_ADMIN_HOST")
# The port in links sent by mail when readers do not use the scheme's own, e.g. 8000 while
# developing with `make run`; links are built from the blog's host (Blog.base_url).
WARTA_PUBLIC_PORT = env("WARTA_PUBLIC_PORT")

# ---------------------------------------------------------------- apps
# Warta's apps come first: their templates and translations take precedence.
INSTALLED_APPS = [
    "warta.core",
    "warta.pagecache",
    "warta.accounts",
    "warta.blogs",
    "warta.posts",
    "warta.comments",
    "warta.reader",
    "warta.syndication",
    "warta.search",
    "warta.followers",
    "warta.stats",
    "warta.migration",
    "warta.desk",
    "warta.devtools",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # Outermost: it stores readers' pages with the headers every other middleware set.
    "warta.pagecache.middleware.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "warta.blogs.middleware.BlogMiddleware",
    "warta.core.admin_gate.AdminGateMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "warta.core.csp.CSPMiddleware",
]

ROOT_URLCONF = "warta.urls"
WSGI_APPLICATION = "warta.wsgi.application"

TEMPLATES = [
    {
        # Readers' pages: compiled templates (see warta/core/jinja.py). First, so a reader
        # page is found without a failed lookup in the Django engine.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "warta.core.jinja.environment",
            "context_processors": [
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "warta.blogs.context_processors.blog",
            ],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "warta.blogs.context_processors.blog",
            ],
        },
    },
]

# ---------------------------------------------------------------- data
DATABASE_URL = env("WARTA_DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "warta.sqlite3",
            "OPTIONS": {
                # WAL lets readers go on while one writer commits; IMMEDIATE takes the write
                # lock at BEGIN so concurrent writers queue instead of failing with "locked".
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
            # One connection per worker thread, kept: opening one and running the PRAGMAs
            # cost more than a reader page's queries.
            "CONN_MAX_AGE": None,
            "CONN_HEALTH_CHECKS": True,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("WARTA_REDIS_URL")
if REDIS_URL:
    # Django's Redis cache, where a Redis that is down means a miss, not a 500, and counters
    # are atomic (warta/core/cache.py). Give the server a maxmemory (docs/deployment.md).
    CACHES = {
        "default": {
            "BACKEND": "warta.core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("WARTA_CACHE_PREFIX", "warta"),
        }
    }
else:
    # A file cache is shared by every worker process on the machine (rate limits, page cache);
    # Django's, with atomic counters and a write that does not list the folder each time.
    CACHES = {
        "default": {
            "BACKEND": "warta.core.cache.FileCache",
            "LOCATION": DATA_DIR / "cache",
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# ---------------------------------------------------------------- language and time
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = []

# ---------------------------------------------------------------- static and media
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = env("WARTA_MEDIA_URL", "/media/")
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "WARTA_STATICFILES_STORAGE",
            "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
if env("WARTA_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("WARTA_S3_BUCKET"),
            "endpoint_url": env("WARTA_S3_ENDPOINT") or None,
            "custom_domain": env("WARTA_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": False,
        },
    }
WHITENOISE_MAX_AGE = 31536000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Images uploaded into a post's body in the desk (warta/desk/uploads.py): bytes and pixels.
WARTA_IMAGE_MAX_BYTES = int(env("WARTA_IMAGE_MAX_BYTES", str(10 * 1024 * 1024)))
WARTA_IMAGE_MAX_PIXELS = int(env("WARTA_IMAGE_MAX_PIXELS", "40000000"))

# ---------------------------------------------------------------- server (warta/core/gateway.py)
# A request body is read whole before the application sees it: larger gets 413, slower 408.
WARTA_MAX_BODY = int(env("WARTA_MAX_BODY", str(32 * 1024 * 1024)))
WARTA_BODY_TIMEOUT = float(env("WARTA_BODY_TIMEOUT", "30"))
# Python threads per worker that run requests (`warta serve --threads` sets it).
WARTA_THREADS = int(env("WARTA_THREADS", "1"))
# The page cache (warta/pagecache/); off, pages still get validators and compression.
WARTA_PAGECACHE = env_bool("WARTA_PAGECACHE", True)

# ---------------------------------------------------------------- mail and tasks
EMAIL_HOST = env("WARTA_EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(env("WARTA_EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("WARTA_EMAIL_USER")
EMAIL_HOST_PASSWORD = env("WARTA_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("WARTA_EMAIL_TLS")
EMAIL_BACKEND = env("WARTA_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env("WARTA_FROM_EMAIL", "Warta <warta@localhost>")

# Background work (mail, scheduled posts) waits in the database until a worker runs it:
# `warta serve` starts one beside the server (`warta db_worker` runs one on its own, see
# docs/deployment.md). WARTA_TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend
# runs tasks inside the request instead, with no worker; scheduled posts then need
# `warta publish_due` from cron.
TASKS = {
    "default": {
        "BACKEND": env("WARTA_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# ---------------------------------------------------------------- security
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
WARTA_HTTPS = env_bool("WARTA_HTTPS")
if WARTA_HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    # Every blog's host sends its own header. Not for all their subdomains by default: a
    # custom domain's owner, or the operator, may serve other sites under theirs over HTTP.
    SECURE_HSTS_SECONDS = int(env("WARTA_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("WARTA_HSTS_INCLUDE_SUBDOMAINS")
# Proxies in front of Warta that append the client's address to X-Forwarded-For; with 0 the
# header is ignored, since anyone can send it (warta/core/clientip.py).
WARTA_TRUSTED_PROXIES = int(env("WARTA_TRUSTED_PROXIES", "0"))
# Sign-in attempts on Django's admin per client address: "N/seconds".
WARTA_ADMIN_LOGIN_RATE = env("WARTA_ADMIN_LOGIN_RATE", "5/300")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", "https:", "http:"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
    }
}

# ---------------------------------------------------------------- accounts (allauth)
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_USER_DISPLAY = "warta.accounts.models.display_name"
# Links in account mail from the blog's own host; rate limits by the reader's own address.
ACCOUNT_ADAPTER = "warta.accounts.adapter.AccountAdapter"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"

# ---------------------------------------------------------------- comments
# "N/seconds" rate limits per address and per account, seconds a person needs at least to
# fill the form, links allowed in one comment, reply depth before a thread goes flat.
WARTA_COMMENT_RATE_PER_IP = env("WARTA_COMMENT_RATE_PER_IP", "5/60")
WARTA_COMMENT_RATE_PER_USER = env("WARTA_COMMENT_RATE_PER_USER", "8/60")
WARTA_COMMENT_MIN_SECONDS = int(env("WARTA_COMMENT_MIN_SECONDS", "3"))
WARTA_COMMENT_MAX_LINKS = int(env("WARTA_COMMENT_MAX_LINKS", "2"))
WARTA_COMMENT_MAX_DEPTH = int(env("WARTA_COMMENT_MAX_DEPTH", "3"))
# Hours a form's stamp is accepted, on its own post only (a tab may stay open that long).
WARTA_COMMENT_STAMP_HOURS = int(env("WARTA_COMMENT_STAMP_HOURS", "12"))

# ---------------------------------------------------------------- migration
# `import --fetch-media` downloads from public internet addresses only; hosts named here
# (comma-separated, as written in the image addresses, e.g. an intranet) are fetched anyway.
WARTA_IMPORT_FETCH_ALLOW_HOSTS = [
    host.strip() for host in env("WARTA_IMPORT_FETCH_ALLOW_HOSTS").split(",") if host.strip()
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("WARTA_LOG_LEVEL", "WARNING")},
}

# Renditions of an uploaded image (warta/posts/images.py) are made in the upload's request up
# to this many pixels, by the background worker above it.
WARTA_IMAGE_INLINE_PIXELS = int(env("WARTA_IMAGE_INLINE_PIXELS", "2000000"))
# Bytes of custom CSS a blog's owner may write (served as /theme.css, see docs/settings.md).
WARTA_CUSTOM_CSS_MAX_BYTES = int(env("WARTA_CUSTOM_CSS_MAX_BYTES", str(50 * 1024)))
# The function (getaddrinfo's signature) that checks where a blog's custom domain points.
WARTA_DNS_RESOLVER = env("WARTA_DNS_RESOLVER", "socket.getaddrinfo")
# Who may create a blog in the desk (/desk/new-blog/): "staff" (the default: accounts with
# is_staff), "anyone" signed in (a Blogger-like host) or "none" (only `warta blog create`).
WARTA_BLOG_CREATION = env("WARTA_BLOG_CREATION", "staff")
# Backups uploaded in the desk (/desk/import/) wait here, out of the public media, until
# the task worker has imported them; the web server and the worker must share the folder.
# An upload larger than WARTA_MAX_BODY never reaches Warta: raise both for large Takeouts.
WARTA_IMPORT_DIR = Path(env("WARTA_IMPORT_DIR", str(DATA_DIR / "imports"))).resolve()
WARTA_IMPORT_MAX_BYTES = int(env("WARTA_IMPORT_MAX_BYTES", str(WARTA_MAX_BODY)))
# Follow mail sent by the task worker (docs/followers.md): at most N messages per S seconds,
# "N/S"; each window is one task, and the next window's task is the resume after a crash.
WARTA_FOLLOW_MAIL_RATE = env("WARTA_FOLLOW_MAIL_RATE", "600/60")
# Subscribe attempts ("N/seconds") per address and per network (IPv4 /24, IPv6 /48).
WARTA_FOLLOW_RATE_PER_ADDRESS = env("WARTA_FOLLOW_RATE_PER_ADDRESS", "3/3600")
WARTA_FOLLOW_RATE_PER_NETWORK = env("WARTA_FOLLOW_RATE_PER_NETWORK", "20/3600")
# Days a confirmation link is good for; hours between two confirmation mails to one address.
WARTA_FOLLOW_CONFIRM_DAYS = int(env("WARTA_FOLLOW_CONFIRM_DAYS", "7"))
WARTA_FOLLOW_CONFIRM_EVERY_HOURS = int(env("WARTA_FOLLOW_CONFIRM_EVERY_HOURS", "24"))
# The shared secret of the mail provider's bounce/complaint webhook (off when empty).
WARTA_FOLLOW_WEBHOOK_SECRET = env("WARTA_FOLLOW_WEBHOOK_SECRET")
# Page views (docs/stats.md): the page cache tells this callable of every reader's view, hit
# or miss; each worker counts in memory and writes its counts every WARTA_STATS_FLUSH_SECONDS
# or once WARTA_STATS_FLUSH_VIEWS views wait. WARTA_STATS=off counts nothing.
WARTA_VIEW_COUNTER = "warta.stats.counter.count_view" if env_bool("WARTA_STATS", True) else None
WARTA_STATS_FLUSH_SECONDS = float(env("WARTA_STATS_FLUSH_SECONDS", "10"))
WARTA_STATS_FLUSH_VIEWS = int(env("WARTA_STATS_FLUSH_VIEWS", "10000"))
