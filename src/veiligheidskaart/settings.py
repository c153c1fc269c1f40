"""Django settings: every value comes from a VK_* environment variable (see README)."""

from __future__ import annotations

import os

import dj_database_url

from veiligheidskaart import config

VK_DATA_DIR = config.data_dir()
DEBUG = config.env_bool("VK_DEBUG")
SECRET_KEY = config.secret_key(VK_DATA_DIR, DEBUG)
ALLOWED_HOSTS = config.env_list("VK_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = config.env_list("VK_CSRF_TRUSTED_ORIGINS")
VK_TRUSTED_PROXIES = config.env_list("VK_TRUSTED_PROXIES")
VK_GEMEENTE = os.environ.get("VK_GEMEENTE", "")
VK_BASEMAP = os.environ.get("VK_BASEMAP", "")
VK_RATE_LIMIT_FACTOR = float(os.environ.get("VK_RATE_LIMIT_FACTOR", "1"))
VK_RETENTION_MONTHS = int(os.environ.get("VK_RETENTION_MONTHS", "24"))
VK_SHARED_DIR = os.environ.get("VK_SHARED_DIR", "../shared")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "js_lib_leaflet",
    "veiligheidskaart.areas",
    "veiligheidskaart.catalogue",
    "veiligheidskaart.sources",
    "veiligheidskaart.observations",
    "veiligheidskaart.policy",
    "veiligheidskaart.meldingen",
    "veiligheidskaart.reports",
    "veiligheidskaart.demo",
    "veiligheidskaart.web",
    "veiligheidskaart.api",
    "veiligheidskaart.accounts",  # last: its post_migrate needs every permission
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "veiligheidskaart.api.ratelimit.RateLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "veiligheidskaart.urls"
WSGI_APPLICATION = "veiligheidskaart.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "veiligheidskaart.web.context.site",
            ],
        },
    },
]

SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 30,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


def _database() -> dict[str, object]:
    default_url = f"sqlite:///{VK_DATA_DIR / 'veiligheidskaart.sqlite3'}"
    db = dict(dj_database_url.parse(os.environ.get("VK_DATABASE_URL") or default_url))
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db["OPTIONS"] = dict(SQLITE_OPTIONS)
    else:
        # parse() always sets CONN_MAX_AGE (0 by default), so setdefault would keep 0 and every
        # request would open a new connection; reuse them, with a health check
        db["CONN_MAX_AGE"] = int(os.environ.get("VK_CONN_MAX_AGE", "60"))
        db["CONN_HEALTH_CHECKS"] = True
    return db


DATABASES = {"default": _database()}
# the rate limits' counters must be shared by every worker: the database cache (its table is
# made on post_migrate); everything else keeps the per-process memory cache
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "vk_ratelimit_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/beheer/login/"

LANGUAGE_CODE = "nl"
# The UI is Dutch only: without this, LocaleMiddleware follows a browser's Accept-Language
# and renders English month names and number separators.
LANGUAGES = [("nl", "Nederlands")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_HOST = os.environ.get("VK_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("VK_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("VK_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("VK_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = config.env_bool("VK_EMAIL_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("VK_EMAIL_FROM", "veiligheidskaart@localhost")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("VK_EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Veiligheidskaart API",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "MeldingStatusEnum": "veiligheidskaart.meldingen.models.Status",
        "MeldingSourceEnum": "veiligheidskaart.meldingen.models.Source",
        "ActionStatusEnum": "veiligheidskaart.policy.registry.ACTION_STATUSES",
    },
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    # no personal data in logs: e-mail addresses and melding tracking codes are scrubbed
    "filters": {
        "persoonsgegevens": {"()": "veiligheidskaart.meldingen.logfilter.ScrubPersonalData"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["persoonsgegevens"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("VK_LOG_LEVEL", "WARNING")},
}
