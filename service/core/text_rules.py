"""Rules for every text that enters the database or a query, the same on both engines.

PostgreSQL refuses NUL characters in text and the drivers cannot encode lone surrogates,
while SQLite stores both and then compares them wrongly; so neither is accepted anywhere.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]")
URL_SCHEMES = ("http", "https")


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored or searched for, or None."""
    if "\x00" in value:
        return f"contains a NUL character (U+0000) at position {value.index(chr(0))}"
    surrogate = _SURROGATE.search(value)
    if surrogate is not None:
        return (
            f"contains a lone surrogate (U+{ord(surrogate.group()):04X}) at position "
            f"{surrogate.start()}, which is not a Unicode character"
        )
    return None


def url_problem(value: str) -> str | None:
    """Why ``value`` is not an absolute http(s) URL (the only links we store), or None."""
    if _CONTROL_OR_SPACE.search(value):
        return f"{value!r} is not a URL (it holds spaces or control characters)"
    try:
        parts = urlsplit(value)
    except ValueError:
        return f"{value!r} is not a URL"
    if parts.scheme.lower() not in URL_SCHEMES or not parts.hostname:
        return f"{value!r} is not an http:// or https:// URL"
    return None
