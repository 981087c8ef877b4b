"""The YAML keys of the curated files, derived from the registry.

A curated record states every public value column of its entity under the column's name,
except what the file layout implies (a position is the order in the list, a reference is
where the record sits or a slug it names), what the database maintains (a milestone's
revision), and the natural key, which the parser reads first to name the record.
"""

from __future__ import annotations

from collections.abc import Mapping

from service.core import registry
from service.core.registry import StoredField

IMPLIED: frozenset[str] = frozenset({"position"})
# Keys that read better than the column name in a hand-edited file.
KEYS: Mapping[tuple[str, str], str] = {
    ("milestone", "start_date"): "start",
    ("milestone", "end_date"): "end",
}
# Lower bounds the database checks, so the file is told first.
MINIMUMS: Mapping[tuple[str, str], int] = {("budget", "amount"): 0}


def stated(entity: str) -> tuple[StoredField, ...]:
    """The columns a curated record of ``entity`` states, in table order."""
    entry = registry.entity(entity)
    return tuple(
        stored
        for stored in entry.value_fields
        if stored.maintained is None
        and stored.name not in IMPLIED
        and stored.name not in entry.natural_key
    )


def key_of(entity: str, column: str) -> str:
    return KEYS.get((entity, column), column)


def keys(entity: str) -> tuple[str, ...]:
    return tuple(key_of(entity, stored.name) for stored in stated(entity))
