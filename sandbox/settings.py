"""Settings of the Xueshi sandbox: a small Django site that loads Xueshi the way the LMS does.

INSTALLED_APPS, plugin settings and URLs come from the installed entry points through
``edx_django_utils.plugins`` (the calls ``lms/envs/common.py`` and ``lms/urls.py`` make), never
from a hand-written list. Environment variables pick the services:

- ``XUESHI_DB_URL``: ``mysql://user:pass@host:port/name`` for MariaDB; SQLite when unset.
- ``XUESHI_REDIS_URL``: Redis for caches and study-time hot state.
- ``XUESHI_CELERY_BROKER``: a broker URL; without one, Celery tasks run eagerly in-process.
- ``XUESHI_SETTINGS_TYPE``: the plugin settings layer to apply after ``common`` (devstack, test, production).
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from pathlib import Path
from urllib.parse import unquote, urlparse

from edx_django_utils.plugins import add_plugins, get_plugin_apps

from sandbox import jwtkeys
from sandbox.locale_alias import alias_locale_paths

# edx-val imports pyfilesystem2 (``fs``), whose namespace declaration warns on every start, as it
# does in the LMS; the warning is about fs, not about anything an operator or developer can change.
warnings.filterwarnings("ignore", message="pkg_resources is deprecated as an API", category=UserWarning)
warnings.filterwarnings(
    "ignore", message="Deprecated call to `pkg_resources.declare_namespace", category=DeprecationWarning
)

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent
# Libraries the LMS installs (edx-completion's REST API) import a few platform modules directly.
if str(BASE_DIR / "platform_stubs") not in sys.path:
    sys.path.append(str(BASE_DIR / "platform_stubs"))
PROJECT_TYPE = "lms.djangoapp"  # openedx.core.djangoapps.plugins.constants.ProjectType.LMS
SETTINGS_TYPE = os.environ.get("XUESHI_SETTINGS_TYPE", "devstack")

SECRET_KEY = os.environ.get("XUESHI_SECRET_KEY", "sandbox-only-not-secret-" + "x" * 32)
# Off unless asked for (XUESHI_DEBUG=1): a first visitor sees our styled 403/404/500 pages, not
# Django's debug pages with settings and tracebacks; sandbox/urls.py serves static files itself.
DEBUG = os.environ.get("XUESHI_DEBUG", "0") == "1"
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]
ROOT_URLCONF = "sandbox.urls"
WSGI_APPLICATION = "sandbox.wsgi.application"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "waffle",
    "eventtracking.django.apps.EventTrackingConfig",
    "oauth2_provider",  # django-oauth-toolkit, the LMS's OAuth2 provider (/oauth2/access_token)
    # edx-val, the LMS's video catalogue (edx_video_id): compat's real calls run against it (ADR 0012)
    "sandbox.edxval_app.EdxValConfig",
    "sandbox.lms",
]
# Exactly what lms/envs/common.py does: every installed lms.djangoapp plugin (ours, completion, ...).
INSTALLED_APPS.extend(get_plugin_apps(PROJECT_TYPE))

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "crum.CurrentRequestUserMiddleware",
    "waffle.middleware.WaffleMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]


def _sqlite() -> dict[str, object]:
    """The embedded default: one file, shared by every request thread of ``runserver``.

    SQLite serves several learners at once only in WAL mode (readers never wait for the writer),
    with writers queued by a busy timeout instead of failing with "database is locked", and with
    every transaction taking the write lock when it begins (``IMMEDIATE``): a deferred transaction
    that reads and then writes can deadlock against another one and fail at once, whatever the
    timeout (ADR 0009).
    """
    path = os.environ.get("XUESHI_SQLITE_PATH") or str(REPO_DIR / "var" / "sandbox.sqlite3")
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


def _database() -> dict[str, object]:
    url = os.environ.get("XUESHI_DB_URL", "")
    if not url:
        return _sqlite()
    parsed = urlparse(url)
    if parsed.scheme not in ("mysql", "mariadb"):
        raise ValueError(f"XUESHI_DB_URL must be mysql://…, not {parsed.scheme}://")
    return {
        "ENGINE": "django.db.backends.mysql",
        "NAME": parsed.path.lstrip("/"),
        "USER": unquote(parsed.username or "root"),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "127.0.0.1",
        "PORT": str(parsed.port or 3306),
        # The LMS's options: utf8mb4 for Chinese text, strict mode so bad data is an error.
        "OPTIONS": {"charset": "utf8mb4", "init_command": "SET sql_mode='STRICT_TRANS_TABLES'"},
        "ATOMIC_REQUESTS": False,
        "CONN_MAX_AGE": 60,
        "TEST": {
            "NAME": os.environ.get("XUESHI_TEST_DB_NAME", "test_xueshi"),
            "CHARSET": "utf8mb4",
            "COLLATION": "utf8mb4_unicode_ci",
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("XUESHI_REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "xueshi-sandbox"}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

CELERY_BROKER_URL = os.environ.get("XUESHI_CELERY_BROKER", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TIMEZONE = "Asia/Shanghai"
CELERYBEAT_SCHEDULE: dict[str, dict[str, object]] = {}

# The LMS under Tutor uses "zh-cn" and locale folders named zh_CN; the sandbox does the same.
LANGUAGE_CODE = os.environ.get("XUESHI_LANGUAGE", "zh-cn")
LANGUAGES = [("zh-cn", "简体中文"), ("en", "English")]
# Django ships its own Chinese as zh_Hans only: offer it as zh_CN after ours (sandbox/locale_alias.py).
LOCALE_PATHS = [BASE_DIR / "locale", *alias_locale_paths(INSTALLED_APPS, REPO_DIR / "var" / "locale-alias")]
TIME_ZONE = "UTC"  # server time is UTC, as in the LMS; China days come from XUESHI_TIME_ZONE
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = REPO_DIR / "var" / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = REPO_DIR / "var" / "media"
XUESHI_DEMO_MEDIA_URL = "/media/xueshi-demo/"
# edx-val's storage settings, as lms/envs/common.py sets them (files under MEDIA_ROOT).
VIDEO_TRANSCRIPTS_SETTINGS = {
    "VIDEO_TRANSCRIPTS_MAX_BYTES": 3 * 1024 * 1024,
    "STORAGE_KWARGS": {"location": str(MEDIA_ROOT), "base_url": MEDIA_URL},
    "DIRECTORY_PREFIX": "video-transcripts/",
}
VIDEO_IMAGE_SETTINGS = {
    "VIDEO_IMAGE_MAX_BYTES": 2 * 1024 * 1024,
    "VIDEO_IMAGE_MIN_BYTES": 2 * 1024,
    "STORAGE_KWARGS": {"location": str(MEDIA_ROOT), "base_url": MEDIA_URL},
    "DIRECTORY_PREFIX": "video-images/",
}
TRANSCRIPT_LANG_CACHE_TIMEOUT = 60 * 60 * 24

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "edx_rest_framework_extensions.auth.jwt.authentication.JwtAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
}
SPECTACULAR_SETTINGS = {"TITLE": "Xueshi API", "VERSION": "v1"}


# The LMS's JWT settings as Tutor writes them (``apps/openedx/settings/partials/common_all.py``):
# RS512 with a private JWK to sign and a public JWK set to verify (sandbox/jwtkeys.py, var/).
_JWT_PRIVATE_JWK = jwtkeys.private_jwk(REPO_DIR / "var" / "jwt-signing-jwk.json")
_JWT_ISSUER = "http://localhost:8000/oauth2"
JWT_AUTH = {
    "JWT_ISSUER": _JWT_ISSUER,
    "JWT_AUDIENCE": "xueshi-sandbox",
    "JWT_SECRET_KEY": SECRET_KEY,
    "JWT_ALGORITHM": "HS256",  # the LMS's default for the deprecated symmetric path, never used to sign
    "JWT_SIGNING_ALGORITHM": jwtkeys.ALGORITHM,
    "JWT_PRIVATE_SIGNING_JWK": json.dumps(_JWT_PRIVATE_JWK),
    "JWT_PUBLIC_SIGNING_JWK_SET": jwtkeys.public_jwk_set(_JWT_PRIVATE_JWK),
    "JWT_VERIFY_EXPIRATION": True,
    "JWT_LEEWAY": 1,
    "JWT_ISSUERS": [{"ISSUER": _JWT_ISSUER, "AUDIENCE": "xueshi-sandbox", "SECRET_KEY": SECRET_KEY}],
    "JWT_AUTH_HEADER_PREFIX": "JWT",
    "JWT_PAYLOAD_GET_USERNAME_HANDLER": lambda payload: payload.get("preferred_username"),
    "JWT_DECODE_HANDLER": "edx_rest_framework_extensions.auth.jwt.decoder.jwt_decode_handler",
}
# The LMS's DOT settings (lms/envs/common.py OAUTH2_PROVIDER): 1-hour JWTs, 10-hour opaque tokens.
OAUTH2_PROVIDER = {"ACCESS_TOKEN_EXPIRE_SECONDS": 36000, "REFRESH_TOKEN_EXPIRE_SECONDS": 30 * 86400}
JWT_ACCESS_TOKEN_EXPIRE_SECONDS = 3600
XBLOCK_SETTINGS: dict[str, dict[str, object]] = {}
# The LMS's tracking log (EVENT_TRACKING_BACKENDS "tracking_logs"), here as a logger named "tracking".
EVENT_TRACKING_ENABLED = True
EVENT_TRACKING_BACKENDS: dict[str, object] = {
    "tracking_logs": {
        "ENGINE": "eventtracking.backends.logger.LoggerBackend",
        "OPTIONS": {"name": "tracking"},
    }
}
EVENT_TRACKING_PROCESSORS: list[object] = []

# Plugin settings, in the LMS's order: common, then the layer this process runs as.
add_plugins(__name__, PROJECT_TYPE, "common")
XUESHI_PLATFORM_SHIM = "sandbox.platform"
# Personal-data keys from the environment (comma-separated, newest first); without them the devstack
# and test layers derive non-secret development keys from SECRET_KEY (xueshi_core/settings/devkeys.py).
if os.environ.get("XUESHI_DATA_KEYS"):
    XUESHI_DATA_KEYS = [k.strip() for k in os.environ["XUESHI_DATA_KEYS"].split(",") if k.strip()]
if os.environ.get("XUESHI_DATA_HASH_KEY"):
    XUESHI_DATA_HASH_KEY = os.environ["XUESHI_DATA_HASH_KEY"]
add_plugins(__name__, PROJECT_TYPE, SETTINGS_TYPE)
# Payments: the site pays through the WeChat Pay and Alipay sandboxes that `make sandbox` starts
# beside it (sandbox/payment_sandboxes.py); tests configure their own sandboxes per test.
if SETTINGS_TYPE != "test":
    from sandbox import payment_sandboxes
    from sandbox.live import site as live_site

    payment_sandboxes.configure(globals())
    live_site.configure(globals())  # live lessons through the live provider sandbox (ADR 0355)
# xueshi_studytime: hot state in the sandbox's Redis (in-process fake without one); without a Celery
# broker nothing runs the beat's flush task, so the ledger is flushed after each heartbeat.
XUESHI_STUDYTIME_REDIS_URL = REDIS_URL
if CELERY_TASK_ALWAYS_EAGER and SETTINGS_TYPE != "test":
    XUESHI_STUDYTIME_FLUSH_INLINE = True
# xueshi_stats: nor its roll-up task, so the statistics pages roll up before they read.
if CELERY_TASK_ALWAYS_EAGER and SETTINGS_TYPE != "test":
    XUESHI_STATS_ROLL_UP_ON_READ = True
# The sandbox serves its own media (sandbox/lms/media.py): sign the player's URLs, log deliveries and
# credit each session only what was delivered to it (ADR 0052, 0053). Tests switch it on as needed.
if SETTINGS_TYPE != "test":
    XUESHI_STUDYTIME_MEDIA_SIGNED_PREFIXES = [MEDIA_URL, "/xueshi/media/hls/"]  # xueshi_media: HLS
    XUESHI_STUDYTIME_MEDIA_PROOF = os.environ.get("XUESHI_STUDYTIME_MEDIA_PROOF", "1") == "1"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("XUESHI_LOG_LEVEL", "WARNING")},
}

# xueshi_certificates: an Ed25519 key generated into var/ on first use (sandbox/certkeys.py), never
# committed; XUESHI_CERTIFICATES_SIGNING_KEYS (comma-separated PEM paths, newest first) replaces it.
from sandbox import certkeys  # noqa: E402

XUESHI_CERTIFICATES_SIGNING_KEYS = [
    k.strip() for k in os.environ.get("XUESHI_CERTIFICATES_SIGNING_KEYS", "").split(",") if k.strip()
] or [certkeys.ensure_key(REPO_DIR / "var" / "certificate-signing-ed25519.pem")]
XUESHI_CERTIFICATES_BASE_URL = os.environ.get("XUESHI_CERTIFICATES_BASE_URL", "http://localhost:8000")
# Celery reads settings without a namespace (sandbox/celery.py, like lms.celery), so it knows the old
# names: without them a task queued from a request went to a default broker even when eager was meant.
CELERY_ALWAYS_EAGER = CELERY_TASK_ALWAYS_EAGER
CELERY_EAGER_PROPAGATES_EXCEPTIONS = CELERY_TASK_EAGER_PROPAGATES
if CELERY_BROKER_URL:
    BROKER_URL = CELERY_BROKER_URL
# xueshi_invoices: point at the Nuonuo sandbox (``python -m sandbox.nuonuo`` prints these values);
# without them requests are kept and shown as waiting. The sandbox posts results to this site.
for _name in ("NUONUO_URL", "NUONUO_APP_KEY", "NUONUO_APP_SECRET", "CALLBACK_BASE_URL"):
    if os.environ.get(f"XUESHI_INVOICES_{_name}"):
        globals()[f"XUESHI_INVOICES_{_name}"] = os.environ[f"XUESHI_INVOICES_{_name}"]
# xueshi_notify: the SMS and WeChat accounts as JSON (``python -m sandbox.sms`` prints an endpoint;
# docs/operators/notifications.md); without them those channels are skipped and mail still goes out.
for _name in ("SMS", "WECHAT", "RETRY_DELAYS", "CELERY_QUEUE", "BATCH_SIZE", "DEFAULT_LANGUAGE"):
    if os.environ.get(f"XUESHI_NOTIFY_{_name}"):
        _raw = os.environ[f"XUESHI_NOTIFY_{_name}"]
        _plain = _name in ("CELERY_QUEUE", "DEFAULT_LANGUAGE")
        globals()[f"XUESHI_NOTIFY_{_name}"] = _raw if _plain else json.loads(_raw)
