"""Settings from the environment (prefix ``STRATAGRAPH_``), validated once at start-up."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from service.core.errors import SettingsError

PREFIX = "STRATAGRAPH_"
DEFAULT_DATABASE_FILE = "stratagraph.db"
DEFAULT_GRAPHQL_CACHE_BYTES = 64 * 1024 * 1024
DEFAULT_STATEMENT_TIMEOUT_MS = 5_000
DEFAULT_REQUEST_TIMEOUT_MS = 15_000
# The list bounds are one statement of ~25 aggregates over the whole data, read once per data
# version for every request's node limit: about a second on a national-scale database, so the
# limit is generous (a user statement's is not the right one for it).
DEFAULT_LIST_BOUNDS_TIMEOUT_MS = 60_000
DEFAULT_CONNECT_TIMEOUT_MS = 3_000
DEFAULT_MAX_CONCURRENT_EXPORTS = 4
# Connections one worker keeps to the database for requests (one more reads the data version).
DEFAULT_DATABASE_POOL_SIZE = 20
LOG_LEVELS = ("critical", "error", "warning", "info", "debug")
# Host names whose requests may have their own address written into links (the Quick start's).
DEFAULT_ALLOWED_HOSTS = ("localhost", "127.0.0.1", "::1")
_HOST = re.compile(
    r"^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$|^[0-9a-f:]+$"
)

# Accept the plain scheme a person would type and pick the async driver we ship.
_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
}


# Limit name (a field of schema.limits.Limits) -> its variable after the prefix.
GRAPHQL_LIMITS = {
    "max_depth": "GRAPHQL_MAX_DEPTH",
    "max_aliases": "GRAPHQL_MAX_ALIASES",
    "max_tokens": "GRAPHQL_MAX_TOKENS",
    "max_nodes": "GRAPHQL_MAX_NODES",
    "max_body_bytes": "GRAPHQL_MAX_BODY_BYTES",
    "max_string_length": "GRAPHQL_MAX_STRING_LENGTH",
}


@dataclass(frozen=True)
class Settings:
    database_url: URL
    cors_origins: tuple[str, ...] = ()
    log_level: str = "info"
    sql_echo: bool = False
    public_url: str | None = None
    # Hosts (``*.example.org`` for any subdomain) whose Host header links may echo when
    # ``public_url`` is unset; any other Host gets no absolute links.
    allowed_hosts: tuple[str, ...] = DEFAULT_ALLOWED_HOSTS
    graphiql: bool = True
    # The production switch: false turns off introspection, /schema.graphql and GraphiQL.
    introspection: bool = True
    graphql_persisted_only: bool = False
    graphql_cache_bytes: int = DEFAULT_GRAPHQL_CACHE_BYTES  # 0 turns the response cache off
    # Only the limits set in the environment; the others keep schema.limits.Limits defaults.
    graphql_limits: Mapping[str, int] = field(default_factory=dict)
    statement_timeout_ms: int = DEFAULT_STATEMENT_TIMEOUT_MS
    request_timeout_ms: int = DEFAULT_REQUEST_TIMEOUT_MS
    list_bounds_timeout_ms: int = DEFAULT_LIST_BOUNDS_TIMEOUT_MS
    connect_timeout_ms: int = DEFAULT_CONNECT_TIMEOUT_MS
    max_concurrent_exports: int = DEFAULT_MAX_CONCURRENT_EXPORTS  # per worker process
    database_pool_size: int = DEFAULT_DATABASE_POOL_SIZE  # per worker process

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.get_backend_name() == "sqlite"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            database_url=parse_database_url(
                env.get(f"{PREFIX}DATABASE_URL") or default_database_url()
            ),
            cors_origins=_parse_list(env.get(f"{PREFIX}CORS_ORIGINS", "")),
            log_level=log_level_from_env(env),
            sql_echo=_parse_bool("SQL_ECHO", env.get(f"{PREFIX}SQL_ECHO", "false")),
            public_url=_parse_public_url(env.get(f"{PREFIX}PUBLIC_URL", "")),
            allowed_hosts=_parse_hosts(
                env.get(f"{PREFIX}ALLOWED_HOSTS", ",".join(DEFAULT_ALLOWED_HOSTS))
            ),
            graphiql=_parse_bool("GRAPHIQL", env.get(f"{PREFIX}GRAPHIQL", "true")),
            introspection=_parse_bool("INTROSPECTION", env.get(f"{PREFIX}INTROSPECTION", "true")),
            graphql_persisted_only=_parse_bool(
                "GRAPHQL_PERSISTED_ONLY", env.get(f"{PREFIX}GRAPHQL_PERSISTED_ONLY", "false")
            ),
            graphql_cache_bytes=_parse_non_negative_int(
                "GRAPHQL_CACHE_BYTES",
                env.get(f"{PREFIX}GRAPHQL_CACHE_BYTES", str(DEFAULT_GRAPHQL_CACHE_BYTES)),
            ),
            graphql_limits={
                key: _parse_positive_int(name, env[f"{PREFIX}{name}"])
                for key, name in GRAPHQL_LIMITS.items()
                if env.get(f"{PREFIX}{name}", "").strip()
            },
            statement_timeout_ms=_positive_setting(
                env, "STATEMENT_TIMEOUT_MS", DEFAULT_STATEMENT_TIMEOUT_MS
            ),
            request_timeout_ms=_positive_setting(
                env, "REQUEST_TIMEOUT_MS", DEFAULT_REQUEST_TIMEOUT_MS
            ),
            list_bounds_timeout_ms=_positive_setting(
                env, "LIST_BOUNDS_TIMEOUT_MS", DEFAULT_LIST_BOUNDS_TIMEOUT_MS
            ),
            connect_timeout_ms=_positive_setting(
                env, "DATABASE_CONNECT_TIMEOUT_MS", DEFAULT_CONNECT_TIMEOUT_MS
            ),
            max_concurrent_exports=_positive_setting(
                env, "MAX_CONCURRENT_EXPORTS", DEFAULT_MAX_CONCURRENT_EXPORTS
            ),
            database_pool_size=_positive_setting(
                env, "DATABASE_POOL_SIZE", DEFAULT_DATABASE_POOL_SIZE
            ),
        )


def log_level_from_env(environ: Mapping[str, str] | None = None) -> str:
    """``STRATAGRAPH_LOG_LEVEL`` alone: the CLI sets up logging before a command reads the
    other settings (a command such as ``exporters`` needs no database)."""
    env = os.environ if environ is None else environ
    return _parse_choice("LOG_LEVEL", env.get(f"{PREFIX}LOG_LEVEL", "info"), LOG_LEVELS)


def default_database_url() -> str:
    return f"sqlite+aiosqlite:///{Path.cwd() / DEFAULT_DATABASE_FILE}"


def parse_database_url(raw: str) -> URL:
    setting = f"{PREFIX}DATABASE_URL"
    try:
        url = make_url(raw.strip())
    except ValueError:  # SQLAlchemy's int() of the port
        port = urlsplit(raw.strip()).netloc.rpartition("@")[2].rpartition(":")[2]
        raise SettingsError(
            setting, f"{raw!r}: the port {port!r} is not a number (e.g. …@host:5432/dbname)"
        ) from None
    except ArgumentError:
        raise SettingsError(
            setting,
            f"{raw!r} is not a database URL; expected e.g. sqlite:///path/to/file.db "
            "or postgresql://user@host:5432/dbname",
        ) from None
    driver = _ASYNC_DRIVERS.get(url.drivername)
    if driver is None:
        raise SettingsError(
            setting,
            f"unsupported database {url.drivername!r}; use sqlite:// (embedded) "
            "or postgresql:// (production)",
        )
    url = url.set(drivername=driver)
    if driver.startswith("sqlite") and url.database not in (None, "", ":memory:"):
        parent = Path(url.database or "").expanduser().resolve().parent
        if not parent.is_dir():
            raise SettingsError(
                setting, f"the folder {str(parent)!r} for the SQLite file does not exist"
            )
    if driver.startswith("postgresql") and not url.database:
        raise SettingsError(setting, "the PostgreSQL URL names no database (…/dbname)")
    return url


def _parse_public_url(raw: str) -> str | None:
    value = raw.strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise SettingsError(
            f"{PREFIX}PUBLIC_URL",
            f"{raw!r} is not an http(s) base URL; expected e.g. https://policy.example.org",
        )
    return value.rstrip("/")


def _parse_hosts(raw: str) -> tuple[str, ...]:
    hosts = tuple(host.lower().removeprefix("[").removesuffix("]") for host in _parse_list(raw))
    for host in hosts:
        if not _HOST.match(host):
            raise SettingsError(
                f"{PREFIX}ALLOWED_HOSTS",
                f"{host!r} is not a host name; list names such as policy.example.org "
                "or *.example.org, separated by commas",
            )
    return hosts


def _parse_list(raw: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in raw.split(",") if item.strip())


def _parse_bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise SettingsError(f"{PREFIX}{name}", f"{raw!r} is not a boolean; use true or false")


def _positive_setting(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(f"{PREFIX}{name}", "")
    return _parse_positive_int(name, raw) if raw.strip() else default


def _parse_positive_int(name: str, raw: str) -> int:
    try:
        value = int(raw.strip())
    except ValueError:
        value = 0
    if value < 1:
        raise SettingsError(f"{PREFIX}{name}", f"{raw!r} is not a positive whole number")
    return value


def _parse_non_negative_int(name: str, raw: str) -> int:
    try:
        value = int(raw.strip())
    except ValueError:
        value = -1
    if value < 0:
        raise SettingsError(
            f"{PREFIX}{name}", f"{raw!r} is not a whole number of bytes (0 or more)"
        )
    return value


def _parse_choice(name: str, raw: str, choices: tuple[str, ...]) -> str:
    value = raw.strip().lower()
    if value not in choices:
        raise SettingsError(f"{PREFIX}{name}", f"{raw!r} is not one of {', '.join(choices)}")
    return value
