"""One env-driven settings file (healthchecks `hc/settings.py` style).

SQLite under ./var by default so a fresh checkout just runs; PostgreSQL through DATABASE_URL.
Every variable is listed in `.env.example`. Parsing is strict: a typo in a boolean or an integer
stops the process instead of silently meaning "false".
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def _read_local_env(path: str) -> None:
    """`make run` writes var/local.env (DEBUG=true), so that a command typed beside the demo
    (`kiemdiem api-token …`, `kiemdiem demo-totp …`) runs with the demo's settings instead of
    stopping on the missing SECRET_KEY. The environment always wins; KIEMDIEM_ENV_FILE names
    another file, and an empty KIEMDIEM_ENV_FILE reads none."""
    if not path or not os.path.isfile(path):
        return
    with open(path, encoding="utf-8") as f:
        for line in f:
            name, sep, value = line.strip().partition("=")
            if sep and name and not name.startswith("#"):
                os.environ.setdefault(name.strip(), value.strip())


_read_local_env(os.environ.get("KIEMDIEM_ENV_FILE", str(PROJECT_DIR / "var" / "local.env")))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true/false)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_url(url: str) -> dict[str, object]:
    """`postgres://user:pass@host:port/name?sslmode=require` or `sqlite:///path`, read by
    dj-database-url; PostgreSQL keeps its connections a minute with health checks, SQLite gets
    the options of `sqlite_database`. A relative SQLite path is relative to the project."""
    scheme = url.split(":", 1)[0]
    if scheme in {"postgres", "postgresql", "pgsql"}:
        return dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if scheme == "sqlite":
        path = str(dj_database_url.parse(url)["NAME"])
        if not Path(path).is_absolute():
            path = str(PROJECT_DIR / path)
        return sqlite_database(path)
    raise ImproperlyConfigured(f"DATABASE_URL scheme {scheme!r} is not supported")


def sqlite_database(path: str) -> dict[str, object]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        # WAL lets the worker write while the web process reads; IMMEDIATE transactions turn
        # writer contention into a wait instead of a "database is locked" error mid-transaction.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        },
        # A file, not shared-cache memory: the browser tests' live server writes from another
        # thread, and shared-cache SQLite answers that with "table is locked" instead of waiting.
        "TEST": {"NAME": str(Path(path).with_name("test_" + Path(path).name))},
    }


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or set DEBUG=true for local use."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

VAR_DIR = Path(env_str("VAR_DIR", str(PROJECT_DIR / "var")))
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "template_partials",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "kiemdiem.core",
    "kiemdiem.accounts",
    "kiemdiem.orgs",
    "kiemdiem.ledger",
    "kiemdiem.reviews",
    "kiemdiem.roster",
    "kiemdiem.backup",
    "kiemdiem.explain",
    "kiemdiem.notices",
    "kiemdiem.documents",
    "kiemdiem.api",
    "kiemdiem.stats",
    "kiemdiem.integrity",
]

MIDDLEWARE = [
    "kiemdiem.core.logs.RequestLogMiddleware",
    "kiemdiem.core.uploads.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kiemdiem.core.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kiemdiem.core.middleware.NoStoreWhenSignedInMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kiemdiem.accounts.twofactor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as axes asks: turns a lockout raised by the backend into the login page's answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kiemdiem.urls"
WSGI_APPLICATION = "kiemdiem.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kiemdiem.notices.context_processors.notices",
                "kiemdiem.stats.context_processors.stats_link",
            ],
        },
    }
]

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {"default": sqlite_database(str(VAR_DIR / "kiemdiem.sqlite3"))}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work: Django's Tasks API (the django-tasks backport on 5.2) with the database
# backend, so the embedded default needs no broker and several `kiemdiem worker` processes on
# several hosts can share one PostgreSQL.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# No in-process state: the cache (login throttling, etc.) lives in the database so that any
# number of app processes agree.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "kiemdiem_cache",
    }
}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Notifications by e-mail: printed on the console unless an SMTP host is configured.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "kiemdiem@localhost")
#: The address links in e-mails start with (no trailing slash).
SITE_URL = env_str("SITE_URL", "http://localhost:8000")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Sign-in throttling (django-axes; policy in kiemdiem.accounts.throttle): per (username,
# address) pair, a lock of LOGIN_LOCKOUT_SECONDS after LOGIN_MAX_FAILURES, doubling with each
# further failure up to LOGIN_LOCKOUT_MAX_SECONDS; and a ceiling per address over a window.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 60)
LOGIN_LOCKOUT_MAX_SECONDS = env_int("LOGIN_LOCKOUT_MAX_SECONDS", 3600)
LOGIN_ADDRESS_MAX_FAILURES = env_int("LOGIN_ADDRESS_MAX_FAILURES", 100)
LOGIN_ADDRESS_WINDOW_SECONDS = env_int("LOGIN_ADDRESS_WINDOW_SECONDS", 3600)
# How many reverse proxies append to X-Forwarded-For in front of the app (0: trust none).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = LOGIN_MAX_FAILURES
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = "kiemdiem.accounts.throttle.cool_off"
AXES_CLIENT_IP_CALLABLE = "kiemdiem.accounts.throttle.client_address"
AXES_LOCKOUT_CALLABLE = "kiemdiem.accounts.throttle.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Axes' per-request log lines would repeat the request log (see kiemdiem.core.logs).
AXES_VERBOSE = False

# The issuer shown in authenticator apps next to the account name.
OTP_TOTP_ISSUER = "KiemDiem"

# Password reset by email (Django's views) uses the e-mail settings above.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3 * 3600)

# Official documents (kiemdiem.documents): a province's edited DOCX templates (same file names as
# kiemdiem/documents/forms/) take precedence; the place on the place-and-date line; where bulk
# exports are kept and for how many hours.
DOCUMENT_TEMPLATES_DIR = env_str("DOCUMENT_TEMPLATES_DIR", "")
DOCUMENT_PLACE = env_str("DOCUMENT_PLACE", "")
DOCUMENT_EXPORT_DIR = env_str("DOCUMENT_EXPORT_DIR", str(VAR_DIR / "exports"))
DOCUMENT_EXPORT_HOURS = env_int("DOCUMENT_EXPORT_HOURS", 24)
# PDF from the data by Typst (fast), or by LibreOffice from the DOCX ("libreoffice"); forms whose
# DOCX template a province edited always go through LibreOffice.
DOCUMENT_PDF_ENGINE = env_str("DOCUMENT_PDF_ENGINE", "typst")
# Typst threads of a bulk PDF export (0: one per core).
DOCUMENT_WORKERS = env_int("DOCUMENT_WORKERS", 0)

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# kiemdiem/static is not inside an app, so the finders (runserver, collectstatic) need it named.
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STORAGES = {
    # Uploads go to a configurable storage (a shared volume or an S3-compatible backend in a
    # scale-out deployment), never beside the code.
    "default": {
        "BACKEND": env_str("FILE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": {"location": env_str("MEDIA_ROOT", str(VAR_DIR / "uploads"))},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        ),
    },
}
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG)
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
# A request body above this is refused from its Content-Length before it is read (the reverse
# proxy's client_max_body_size should be the same); an upload plus its form fields fits.
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", MAX_UPLOAD_BYTES + 1024 * 1024)
# Fields other than files: Django's own limit, kept at its default size.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
# Files above this go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# A Word/Excel/OpenDocument file is a ZIP: what it may expand to, and how many parts it may hold.
MAX_ARCHIVE_UNCOMPRESSED_BYTES = env_int("MAX_ARCHIVE_UNCOMPRESSED_BYTES", 200 * 1024 * 1024)
MAX_ARCHIVE_MEMBERS = env_int("MAX_ARCHIVE_MEMBERS", 2000)

# Security headers and cookies. HTTPS settings are on unless DEBUG; behind a TLS-terminating
# proxy set SECURE_PROXY_SSL_HEADER through TRUST_X_FORWARDED_PROTO.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
TRUST_X_FORWARDED_PROTO = env_bool("TRUST_X_FORWARDED_PROTO", False)
if TRUST_X_FORWARDED_PROTO:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content-Security-Policy (django-csp): our own files and the vendored htmx only; no inline
# script or style anywhere (templates keep their scripts in static files, htmx's indicator
# styles are in kiemdiem.css). CSP_REPORT_ONLY=true to try a change on a live site first.
_CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
if env_bool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_DIRECTIVES}
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

# A worker that has not written a heartbeat for this long is considered dead, and the jobs it
# was running are marked failed (see kiemdiem.core.jobs).
WORKER_STALE_SECONDS = env_int("WORKER_STALE_SECONDS", 120)

LOG_FORMAT = env_str("LOG_FORMAT", "text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r} is not text or json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"expected_refusals": {"()": "kiemdiem.core.logs.ExpectedRefusalFilter"}},
    "formatters": {
        "text": {
            "()": "kiemdiem.core.logs.TextFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        "json": {"()": "kiemdiem.core.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"filters": ["expected_refusals"]},
        # Axes logs every failure at WARNING with masked fields; the request line has the status.
        "axes": {"level": "ERROR"},
    },
}
