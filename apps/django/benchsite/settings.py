"""Settings for the Django reference app.

FWBENCH_PROFILE picks the profile at start: "minimal" (TechEmpower style: only what the routes
need) or "standard" (startproject's INSTALLED_APPS and MIDDLEWARE). DATABASE_URL picks the
database (default: SQLite at <repo>/var/fwbench.db); apps/dbtool.py owns and seeds the schema.
"""

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
_COMMON = str(BASE_DIR.parent / "common")
if _COMMON not in sys.path:
    sys.path.insert(0, _COMMON)

from fwbench_common import config  # noqa: E402
from fwbench_common.orders import BODY_LIMIT_BYTES  # noqa: E402

FWBENCH_PROFILE = config.profile()

SECRET_KEY = os.environ.get("FWBENCH_SECRET_KEY", "fwbench-not-a-secret")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

ROOT_URLCONF = "benchsite.urls"
WSGI_APPLICATION = "benchsite.wsgi.application"
DATA_UPLOAD_MAX_MEMORY_SIZE = BODY_LIMIT_BYTES

if FWBENCH_PROFILE == "standard":
    INSTALLED_APPS = [
        "django.contrib.admin",
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "django.contrib.messages",
        "django.contrib.staticfiles",
        "bench",
    ]
    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ]
    CONTEXT_PROCESSORS = [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]
else:
    INSTALLED_APPS = ["bench"]
    # Only what the contract needs: Content-Length on every response (CommonMiddleware sets it
    # in the standard profile; without it gunicorn falls back to chunked framing).
    MIDDLEWARE = ["bench.middleware.ContentLengthMiddleware"]
    CONTEXT_PROCESSORS = []

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": CONTEXT_PROCESSORS},
    },
]


def _databases(url: str) -> dict:
    db = config.parse_database_url(url)
    # Persistent connections: Flask-SQLAlchemy pools by default; CONN_MAX_AGE=0 would make
    # Django open a connection per request and measure that instead (apps/README.md).
    if db["backend"] == "sqlite":
        return {"default": {
            "ENGINE": "django.db.backends.sqlite3", "NAME": db["path"],
            "OPTIONS": {"timeout": 30}, "CONN_MAX_AGE": None,
        }}
    return {"default": {
        "ENGINE": "django.db.backends.postgresql", "NAME": db["name"], "USER": db["user"],
        "PASSWORD": db["password"], "HOST": db["host"], "PORT": str(db["port"]),
        "CONN_MAX_AGE": None,
    }}


DATABASES = _databases(config.database_url())
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True
STATIC_URL = "static/"
