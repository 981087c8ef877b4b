"""Whether a client's cached copy is still current: entity tags as RFC 9110 §13.1.2 compares them.

Both the GraphQL endpoint and the calendar feed derive their ETags from the data version;
a client that sends one back in ``If-None-Match`` gets a 304 when it still matches.
"""

from __future__ import annotations

import re

ANY = "*"
# A quoted entity tag, optionally weak (``W/``). Tags may hold commas, so the list is scanned
# for quoted strings rather than split on commas.
_ENTITY_TAG = re.compile(r'(?:W/)?("[^"]*")')


def listed_etags(if_none_match: str | None) -> frozenset[str] | None:
    """The tags an ``If-None-Match`` value lists (quoted, weak prefix dropped), ``{"*"}`` for
    any; None when it lists none (absent, blank or unreadable: the condition is ignored)."""
    if if_none_match is None:
        return None
    if if_none_match.strip() == ANY:
        return frozenset({ANY})
    tags = frozenset(_ENTITY_TAG.findall(if_none_match))
    return tags or None


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """True when ``If-None-Match`` names ``etag`` (weak comparison) or is ``*``."""
    tags = listed_etags(if_none_match)
    return tags is not None and (ANY in tags or etag in tags)
