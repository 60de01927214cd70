"""The one settings module. Every value comes from the environment (django-environ).

A wrong value stops start-up with a message that names the variable. With DEBUG off,
SECRET_KEY and ALLOWED_HOSTS are required and the security settings are on.
The README's configuration table lists every variable read here.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.embedded import embedded_database_url, embedded_redis_url

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use true/false, 1/0, yes/no, on/off.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var")).resolve()

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-DEBUG"  # noqa: S105
elif not DEBUG and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5
                    or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "SECRET_KEY must be at least 50 characters with at least 5 different ones when DEBUG is "
        "off (e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))').")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off (comma-separated).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "office.apps.AxesConfig",  # django-axes, its admin section named in Chinese
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "office",
    "supervision",
    "documents",
    "meetings",
    "office.information",
    "office.study",
    "office.research",
    "office.dashboard",
    "office.assessment",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "office.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "office.uploads.UploadLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "office.middleware.SecurityHeadersMiddleware",
    "office.middleware.AuditContextMiddleware",
    "office.middleware.AccountPolicyMiddleware",
    "office.middleware.AdminSeparationMiddleware",
    "office.middleware.IdleSessionMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "office.context_processors.office",
            ],
        },
    },
]

# --- Database: PostgreSQL only -------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or embedded_database_url()
try:
    _db = env.db_url_config(DATABASE_URL)
except Exception as exc:  # noqa: BLE001 - any parse error is a configuration error
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
if _db.get("ENGINE") != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (postgres:// or postgresql://).")
_socket = _db.get("OPTIONS", {}).pop("host", None)
if _socket:  # django-environ leaves a unix socket directory in OPTIONS; psycopg wants HOST.
    _db["HOST"] = _socket
_db["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60, minimum=0)
_db["CONN_HEALTH_CHECKS"] = True
_db["ATOMIC_REQUESTS"] = False
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis / Celery -------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL") or embedded_redis_url()
if not REDIS_URL.startswith(("redis://", "rediss://", "redis+socket://", "unix://")):
    raise ImproperlyConfigured("REDIS_URL must start with redis://, rediss:// or redis+socket://.")
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_ENABLE_UTC = True
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing after a commit must not hang a request when Redis is down or unreachable: every
# socket operation gives up after 2 s and a failed publish is retried once, at once (see
# office.queueing: the work then waits for its sweep). Workers poll with BRPOP every second,
# well inside the 2 s.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_timeout": 2, "socket_connect_timeout": 2}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2,
                                    "interval_max": 0.2}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "zhengban")
CELERY_BEAT_SCHEDULE: dict = {
    # round the clock: 特提/特急 count clock time (the duty room); the sweep itself leaves
    # documents on office time alone outside working days
    "documents-intake-sweep": {
        "task": "documents.tasks.intake_sweep",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
    # reminders go out in office hours; the sweep is idempotent, so every half hour is harmless
    "supervision-reminder-sweep": {
        "task": "supervision.tasks.reminder_sweep",
        "schedule": crontab(minute="*/30", hour="8-17", day_of_week="*"),
        "options": {"expires": 25 * 60},
    },
    # meeting reminders: the working day before and an hour before; every 5 minutes, all day
    # (meetings are not only in office hours); idempotent and re-checked when sending
    "meetings-reminder-sweep": {
        "task": "meetings.tasks.reminder_sweep",
        "schedule": timedelta(minutes=5),
        "options": {"expires": 4 * 60},
    },
    "documents-extraction-sweep": {
        "task": "documents.tasks.extraction_sweep",
        "schedule": timedelta(minutes=10),
        "options": {"expires": 9 * 60},
    },
    "office-calendar-coverage-notice": {
        "task": "office.tasks.calendar_coverage_notice",
        "schedule": crontab(minute=0, hour=9),
        "options": {"expires": 60 * 60},
    },
    "office-resend-pending-email": {
        "task": "office.tasks.resend_pending_email",
        "schedule": timedelta(minutes=5),
        "options": {"expires": 4 * 60},
    },
    "documents-routing-slip-sweep": {
        "task": "documents.tasks.store_missing_routing_slips",
        "schedule": timedelta(minutes=10),
        "options": {"expires": 9 * 60},
    },
    "office-purge-form-tokens": {
        "task": "office.tasks.purge_form_tokens",
        "schedule": crontab(minute=17, hour=3),
        "options": {"expires": 60 * 60},
    },
    # daily, but each leader's summary is sent once per ISO week (office.dashboard.weekly)
    "dashboard-weekly-summaries": {
        "task": "office.dashboard.tasks.weekly_summaries",
        "schedule": crontab(minute=0, hour=8),
        "options": {"expires": 60 * 60},
    },
}

# --- Auth, sessions, lockout -----------------------------------------------------------------
AUTH_USER_MODEL = "office.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "office:desk"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "office.passwords.CharacterClassValidator"},
    {"NAME": "office.passwords.UserNameValidator"},
    {"NAME": "office.passwords.HistoryValidator"},
]
# Password lifecycle (等保 8.1.4.1 a): no reuse of the last N passwords; an optional maximum age
# after which the owner must choose a new one (0: off). A new account and a password reset by
# an administrator are temporary: changed at the next login (office.middleware).
PASSWORD_HISTORY_COUNT = env_int("PASSWORD_HISTORY_COUNT", 5, minimum=0)
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 0, minimum=0)

LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOCKOUT_MINUTES = env_int("LOCKOUT_MINUTES", 30, minimum=1)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOCKOUT_MINUTES)
# Per account *and address*, and per address with a higher limit (office.throttle explains).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "office.throttle.OfficeAxesHandler"
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20, minimum=1)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "office.views.auth.locked_out"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 0, minimum=0) or None
AXES_ENABLE_ADMIN = True

# Second factor (office.mfa): TOTP authenticator apps and recovery codes through django-otp.
# Always required for the three administrators and superusers; for these roles too:
MFA_REQUIRED_ROLES = env_list("MFA_REQUIRED_ROLES", ["system_admin", "security_admin",
                                                     "audit_admin", "county_leader"])
OTP_TOTP_ISSUER = "Zhengban"

SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# sliding expiry: office.middleware.IdleSessionMiddleware renews the session on every request a
# person makes (not on background polls), so idle sessions end and active ones stay
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The audit trail records the client address; behind N trusted proxies the address is the
# N-th from the right of X-Forwarded-For.
PROXY_COUNT = env_int("PROXY_COUNT", 0, minimum=0)

# --- Security (等保 2.0 level 3; see README) ----------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# security.W021: an intranet host name cannot be on the browsers' HSTS preload list.
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS", ["security.W021"])
# Content-Security-Policy on every response (office.middleware.SecurityHeadersMiddleware): the
# pages run no inline script and fetch nothing from elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

# --- i18n, time -----------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "office" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
FONT_DIR = BASE_DIR / "static" / "fonts"
# A PDF that would print a character no bundled font of its face draws prints 〓 there and logs an
# error ("log"), or raises office.pdf.MissingGlyphError ("raise": the tests use it).
PDF_MISSING_GLYPH = os.environ.get("PDF_MISSING_GLYPH", "log").strip().lower()
if PDF_MISSING_GLYPH not in {"log", "raise"}:
    raise ImproperlyConfigured(f"PDF_MISSING_GLYPH={PDF_MISSING_GLYPH!r} must be log or raise.")

# --- Uploads (office.uploads; README "Uploaded files") ----------------------------------------
# One submission carries at most this many files adding up to at most this many megabytes (each
# file also has its attachment kind's own limit); a larger request is refused before it is read.
UPLOAD_MAX_REQUEST_MB = env_int("UPLOAD_MAX_REQUEST_MB", 100, minimum=1)
UPLOAD_MAX_REQUEST_BYTES = UPLOAD_MAX_REQUEST_MB * 1024 * 1024
UPLOAD_MAX_FILES = env_int("UPLOAD_MAX_FILES", 20, minimum=1)
DATA_UPLOAD_MAX_NUMBER_FILES = UPLOAD_MAX_FILES
# Text extraction of attachments (documents.tasks.extract_attachment_text): wall-clock seconds
# (the Celery soft/hard limits are 30/60 s more), PDF/OFD pages read, and megabytes decompressed
# from a DOCX/OFD container.
EXTRACT_SECONDS = env_int("EXTRACT_SECONDS", 20, minimum=1)
EXTRACT_MAX_PAGES = env_int("EXTRACT_MAX_PAGES", 300, minimum=1)
EXTRACT_MAX_UNZIPPED_MB = env_int("EXTRACT_MAX_UNZIPPED_MB", 64, minimum=1)

# --- Signing issued PDFs (PAdES, office.pdfsign) ---------------------------------------------
# The office's certificate and private key (PEM). Development (DEBUG) defaults to the demo pair
# that `manage.py make_signing_cert` writes under var/signing/; production has no default.
_SIGNING_DIR = VAR_DIR / "signing"
PDF_SIGNING_CERT = os.environ.get("PDF_SIGNING_CERT", str(_SIGNING_DIR / "signing-cert.pem") if DEBUG else "")
PDF_SIGNING_KEY = os.environ.get("PDF_SIGNING_KEY", str(_SIGNING_DIR / "signing-key.pem") if DEBUG else "")
PDF_SIGNING_KEY_PASSPHRASE = os.environ.get("PDF_SIGNING_KEY_PASSPHRASE", "")
# the CA certificates of the signing certificate's chain (PEM, optional; trusted when verifying)
PDF_SIGNING_CHAIN = os.environ.get("PDF_SIGNING_CHAIN", "")

# --- Email ----------------------------------------------------------------------------------
EMAIL_URL = os.environ.get("EMAIL_URL", "consolemail://")
try:
    vars().update(env.email_url_config(EMAIL_URL))
except Exception as exc:  # noqa: BLE001
    raise ImproperlyConfigured(f"EMAIL_URL is not a valid e-mail URL: {exc}") from None
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "zhengban@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Audit ----------------------------------------------------------------------------------
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 365, minimum=184)

# --- Logging --------------------------------------------------------------------------------
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(f"LOG_LEVEL={LOG_LEVEL!r} is not a logging level.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own "django" logger has a console handler of its own while DEBUG is on and
        # also propagates to the root's: every 403/404 line and traceback came out twice. One
        # handler, the root's.
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # pyHanko logs a refused signature (one the office did not make) as a warning with a
        # traceback; office.pdfsign.verify reports it in its result
        "pyhanko": {"level": "ERROR"},
    },
}
