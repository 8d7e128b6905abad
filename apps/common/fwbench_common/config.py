"""Start-time configuration read from the environment, the same way by every app.

FWBENCH_PROFILE: "minimal" (default) or "standard".
DATABASE_URL: "sqlite:////abs/path.db" (default: <repo>/var/fwbench.db) or
"postgresql://user@127.0.0.1:PORT/dbname".
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

PROFILES = ("minimal", "standard")
REPO_ROOT = Path(__file__).resolve().parents[3]


class ConfigError(ValueError):
    """A setting in the environment is not usable; the message says which and how to fix it."""


def profile() -> str:
    value = os.environ.get("FWBENCH_PROFILE", "minimal")
    if value not in PROFILES:
        raise ConfigError(f"FWBENCH_PROFILE={value!r} is not one of {', '.join(PROFILES)}")
    return value


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{REPO_ROOT / 'var' / 'fwbench.db'}"


def parse_database_url(url: str) -> dict:
    """Returns {"backend": "sqlite", "path"} or {"backend": "postgresql", "user", "password",
    "host", "port", "name"}; raises ConfigError for any other form."""
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///"):]
        if not path:
            raise ConfigError(f"DATABASE_URL={url!r} has no file path; use sqlite:////abs/path.db")
        return {"backend": "sqlite", "path": path}
    parts = urlsplit(url)
    if parts.scheme in ("postgresql", "postgres"):
        name = parts.path.lstrip("/")
        if not name:
            raise ConfigError(f"DATABASE_URL={url!r} names no database; add /dbname")
        return {
            "backend": "postgresql",
            "user": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "host": parts.hostname or "127.0.0.1",
            "port": parts.port or 5432,
            "name": name,
        }
    raise ConfigError(
        f"DATABASE_URL={url!r} is not supported; use sqlite:////abs/path.db or "
        "postgresql://user@127.0.0.1:PORT/dbname"
    )


def sqlalchemy_database(url: str) -> tuple:
    """(SQLAlchemy URL, create_engine options) for a fwbench DATABASE_URL, the same for every app
    on SQLAlchemy (Flask-SQLAlchemy, Falcon): SQLite with a 30 s busy timeout; PostgreSQL through
    psycopg 3 (SQLAlchemy's plain "postgresql://" means psycopg2, which fwbench does not pin)."""
    db = parse_database_url(url)
    if db["backend"] == "sqlite":
        return f"sqlite:///{db['path']}", {"connect_args": {"timeout": 30}}
    return "postgresql+psycopg://" + url.split("://", 1)[1], {}
