"""The list bounds cover every list the data can hold without paging."""

from __future__ import annotations

from service.core.list_bounds import RELATIONS
from service.core.queries import catalog


def test_every_cited_record_has_a_bound_on_its_sources() -> None:
    """A new subject column on ``citation`` is a new ``sources`` list to bound (a law alias's
    quotes are listed with its law's names, which ``law.names`` bounds)."""
    subjects = {
        column.name.removesuffix("_id")
        for column in catalog.citation.columns
        if column.foreign_keys and column.name != "document_id"
    }
    assert "milestone" in subjects
    bounded = {relation.removesuffix(".sources") for relation in RELATIONS}
    assert subjects - {"law_alias"} <= bounded
    assert "law.names" in RELATIONS
