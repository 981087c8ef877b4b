"""Settings come from STRATAGRAPH_* variables; bad values name the variable and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.core.errors import SettingsError
from service.core.settings import Settings


def test_default_is_an_sqlite_file_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings.from_env({})
    assert settings.is_sqlite
    assert settings.database_url.drivername == "sqlite+aiosqlite"
    assert settings.database_url.database == str(tmp_path / "stratagraph.db")


@pytest.mark.parametrize(
    ("raw", "driver"),
    [
        ("sqlite:///x.db", "sqlite+aiosqlite"),
        ("postgresql://u@h/db", "postgresql+asyncpg"),
        ("postgres://u@h/db", "postgresql+asyncpg"),
        ("postgresql+asyncpg://u@h/db", "postgresql+asyncpg"),
    ],
)
def test_plain_schemes_get_the_async_driver(raw: str, driver: str) -> None:
    settings = Settings.from_env({"STRATAGRAPH_DATABASE_URL": raw})
    assert settings.database_url.drivername == driver


@pytest.mark.parametrize(
    ("environ", "variable", "fragment"),
    [
        (
            {"STRATAGRAPH_DATABASE_URL": "not a url"},
            "STRATAGRAPH_DATABASE_URL",
            "not a database URL",
        ),
        ({"STRATAGRAPH_DATABASE_URL": "mysql://u@h/db"}, "STRATAGRAPH_DATABASE_URL", "unsupported"),
        (
            {"STRATAGRAPH_DATABASE_URL": "postgresql://u@h"},
            "STRATAGRAPH_DATABASE_URL",
            "no database",
        ),
        (
            {"STRATAGRAPH_DATABASE_URL": "sqlite:////no/such/folder/x.db"},
            "STRATAGRAPH_DATABASE_URL",
            "does not exist",
        ),
        ({"STRATAGRAPH_SQL_ECHO": "maybe"}, "STRATAGRAPH_SQL_ECHO", "not a boolean"),
        ({"STRATAGRAPH_LOG_LEVEL": "loud"}, "STRATAGRAPH_LOG_LEVEL", "not one of"),
        (
            {"STRATAGRAPH_DATABASE_POOL_SIZE": "0"},
            "STRATAGRAPH_DATABASE_POOL_SIZE",
            "not a positive whole number",
        ),
        (
            {"STRATAGRAPH_DATABASE_POOL_SIZE": "many"},
            "STRATAGRAPH_DATABASE_POOL_SIZE",
            "not a positive whole number",
        ),
        (
            {"STRATAGRAPH_LIST_BOUNDS_TIMEOUT_MS": "0"},
            "STRATAGRAPH_LIST_BOUNDS_TIMEOUT_MS",
            "not a positive whole number",
        ),
        (
            {"STRATAGRAPH_GRAPHQL_CACHE_BYTES": "-1"},
            "STRATAGRAPH_GRAPHQL_CACHE_BYTES",
            "whole number of bytes",
        ),
        (
            {"STRATAGRAPH_GRAPHQL_CACHE_BYTES": "64M"},
            "STRATAGRAPH_GRAPHQL_CACHE_BYTES",
            "whole number of bytes",
        ),
    ],
)
def test_bad_settings_name_the_variable(
    environ: dict[str, str], variable: str, fragment: str
) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env(environ)
    assert raised.value.setting == variable
    assert fragment in str(raised.value)
    assert str(raised.value).startswith(f"{variable}: ")


def test_cors_origins_are_a_comma_list() -> None:
    settings = Settings.from_env(
        {"STRATAGRAPH_CORS_ORIGINS": "https://a.example, https://b.example"}
    )
    assert settings.cors_origins == ("https://a.example", "https://b.example")


def test_graphql_cache_bytes_default_and_off() -> None:
    assert Settings.from_env({}).graphql_cache_bytes == 64 * 1024 * 1024
    assert Settings.from_env({"STRATAGRAPH_GRAPHQL_CACHE_BYTES": "0"}).graphql_cache_bytes == 0


def test_allowed_hosts_default_to_local_names_and_take_a_list() -> None:
    assert Settings.from_env({}).allowed_hosts == ("localhost", "127.0.0.1", "::1")
    listed = Settings.from_env({"STRATAGRAPH_ALLOWED_HOSTS": "Data.Example.org, *.gov.kr, [::1]"})
    assert listed.allowed_hosts == ("data.example.org", "*.gov.kr", "::1")


@pytest.mark.parametrize(
    ("variable", "raw", "fragment"),
    [
        ("STRATAGRAPH_ALLOWED_HOSTS", "good.example, evil.example/path", "not a host name"),
        ("STRATAGRAPH_ALLOWED_HOSTS", "*", "not a host name"),
        ("STRATAGRAPH_PUBLIC_URL", "javascript:alert(1)", "not an http(s) base URL"),
        ("STRATAGRAPH_PUBLIC_URL", "policy.example.org", "not an http(s) base URL"),
        ("STRATAGRAPH_PUBLIC_URL", "https://policy.example.org/?x=1", "not an http(s) base URL"),
    ],
)
def test_bad_hosts_and_public_urls_name_the_variable(
    variable: str, raw: str, fragment: str
) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({variable: raw})
    assert raised.value.setting == variable
    assert fragment in str(raised.value)


def test_public_url_loses_its_trailing_slash() -> None:
    settings = Settings.from_env({"STRATAGRAPH_PUBLIC_URL": "https://policy.example.org/"})
    assert settings.public_url == "https://policy.example.org"


def test_the_pool_size_is_a_setting() -> None:
    assert Settings.from_env({}).database_pool_size == 20
    assert Settings.from_env({"STRATAGRAPH_DATABASE_POOL_SIZE": " 5 "}).database_pool_size == 5


def test_the_list_bounds_have_their_own_generous_time_limit() -> None:
    assert Settings.from_env({}).list_bounds_timeout_ms == 60_000
    limited = Settings.from_env({"STRATAGRAPH_LIST_BOUNDS_TIMEOUT_MS": "90000"})
    assert limited.list_bounds_timeout_ms == 90_000
