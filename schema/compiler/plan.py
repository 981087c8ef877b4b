"""The plan tree: what one operation reads, with the values that shape its SQL.

Every node is a frozen dataclass, so a whole tree is a hashable key: two requests with equal
trees run the same SQL text (only the lookup keys in ``Plan.params`` differ).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select

from schema.compiler.fields import (
    ChildConnection,
    Column,
    ComputedColumn,
    RootList,
    RowList,
    ToOne,
)
from service.core.queries.paging import Ordering, PageRequest


@dataclass(frozen=True)
class Leaf:
    """A column of the current row (``column``), a value computed from it (``computed``),
    its global ID, a constant type name, or (``snippet``, the query) a search hit's excerpt
    of its text."""

    key: str
    column: Column | None = None
    computed: ComputedColumn | None = None
    global_id: str | None = None  # the type name in the ID
    typename: str | None = None
    snippet: str | None = None


@dataclass(frozen=True)
class Record:
    """A selection on one row of ``type_name``'s table."""

    type_name: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class ValueItem:
    """A value object built from the current row's columns; null when ``present_when``
    names columns and all of them are null."""

    key: str
    record: Record
    present_when: tuple[str, ...] = ()


@dataclass(frozen=True)
class ToOneItem:
    key: str
    spec: ToOne
    record: Record


@dataclass(frozen=True)
class ListItem:
    key: str
    spec: RowList
    record: Record | None  # None: a list of strings


@dataclass(frozen=True)
class PagePart:
    """One selection on a connection: ``edges``, ``nodes``, ``pageInfo``, ``totalCount`` or
    ``__typename``; ``items`` holds edge fields (``cursor``, ``node``) or pageInfo fields."""

    key: str
    name: str
    record: Record | None = None
    items: tuple[tuple[str, str, Record | None], ...] = ()


@dataclass(frozen=True)
class Page:
    """A keyset page of ``target`` rows: the resolver's ordering and page request.

    ``shape`` holds the argument values ``statement`` builds its statement from; the
    statement is built only when the SQL text is not cached yet (equal arguments were checked
    before), and stays out of the key.
    """

    target: str
    order_name: str
    ordering: Ordering | None = field(compare=False)  # None: ``source`` gives it
    request: PageRequest
    key_types: tuple[type, ...]
    shape: tuple[Any, ...]
    parts: tuple[PagePart, ...]
    statement: Callable[[], Select[Any]] | None = field(default=None, compare=False)
    # A statement that differs per database (``search``): given the dialect's name, the
    # statement and the ordering over its columns.
    source: Callable[[str], tuple[Select[Any], Ordering]] | None = field(
        default=None, compare=False
    )
    child: ChildConnection | None = None
    child_args: tuple[tuple[str, Any], ...] = ()
    # The child connection's statement and parent column, built like ``statement``.
    child_statement: Callable[[], tuple[Select[Any], ColumnElement[Any]]] | None = field(
        default=None, compare=False
    )


@dataclass(frozen=True)
class PageItem:
    key: str
    page: Page


@dataclass(frozen=True)
class ChoiceItem:
    """A search hit's ``node``: per kind number, the table it names and that type's
    selection, for the row of that table with the hit's id."""

    key: str
    choices: tuple[tuple[int, str, Record], ...]


Item = Leaf | ValueItem | ToOneItem | ListItem | PageItem | ChoiceItem


@dataclass(frozen=True)
class LookupRoot:
    """One row by a key value given per request (``params[param]``); null when missing."""

    key: str
    table: str
    column: str
    record: Record
    param: int


@dataclass(frozen=True)
class NodesRoot:
    """``nodes(ids:)``: one lookup per ID, in the order given."""

    key: str
    lookups: tuple[LookupRoot, ...]


@dataclass(frozen=True)
class ListRoot:
    key: str
    spec: RootList
    record: Record


@dataclass(frozen=True)
class PageRoot:
    key: str
    page: Page


@dataclass(frozen=True)
class SummaryRoot:
    """``budgetSummary``: the totals statement's rows, in its order (numbered ``position``
    when asked). ``shape`` holds the arguments ``statement`` builds it from (which stays out
    of the key)."""

    key: str
    record: Record
    shape: tuple[Any, ...]
    statement: Callable[[bool], Select[Any]] = field(compare=False)


@dataclass(frozen=True)
class TypenameRoot:
    key: str


Root = LookupRoot | NodesRoot | ListRoot | PageRoot | SummaryRoot | TypenameRoot


@dataclass(frozen=True)
class Plan:
    """The compiled root fields of an operation (in document order) and the lookup keys."""

    roots: tuple[Root, ...]
    params: tuple[Any, ...] = field(compare=False)
