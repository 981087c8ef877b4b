"""Relay conventions: opaque global IDs, keyset cursors and page arguments."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import date
from typing import Any

import strawberry

from schema.errors import BadUserInput
from service.core.int_ranges import INT32, range_problem
from service.core.queries.paging import Key, PageRequest
from service.core.text_rules import text_problem

MAX_PAGE = 100


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _unb64(value: str) -> str:
    padded = value + "=" * (-len(value) % 4)
    return base64.urlsafe_b64decode(padded.encode("ascii")).decode()


def encode_id(type_name: str, pk: int) -> str:
    return _b64(f"{type_name}:{pk}")


def decode_id(value: str, argument: str = "id") -> tuple[str, int]:
    """(type name, primary key) of a global ID; BAD_USER_INPUT when it is not one of ours."""
    try:
        type_name, _, raw = _unb64(value).partition(":")
        pk = int(raw)
    except (ValueError, binascii.Error, UnicodeError):
        raise BadUserInput(argument, f"{value!r} is not a global ID returned by this API") from None
    if not type_name or range_problem(pk, INT32) is not None:
        raise BadUserInput(argument, f"{value!r} is not a global ID returned by this API")
    return type_name, pk


def encode_cursor(order: str, key: Key) -> str:
    values = [v.isoformat() if isinstance(v, date) else v for v in key]
    return _b64(json.dumps([order, *values], separators=(",", ":"), default=str))


def decode_cursor(
    value: str,
    order: str,
    types: tuple[type, ...],
    argument: str,
    ranges: tuple[tuple[int, int] | None, ...] = (),
) -> Key:
    """Key values of a cursor made for ``order``; ``types`` converts each (date or str...),
    ``ranges`` bounds integer keys (32-bit where not given), so every value fits its column."""
    problem = (
        f"{value!r} is not a cursor of this connection and orderBy; "
        "use an edge's cursor or pageInfo's startCursor/endCursor"
    )
    try:
        decoded = json.loads(_unb64(value))
    except (ValueError, binascii.Error, UnicodeError):
        raise BadUserInput(argument, problem) from None
    if not isinstance(decoded, list) or len(decoded) != len(types) + 1 or decoded[0] != order:
        raise BadUserInput(argument, problem)
    bounds = [*ranges, *[None] * (len(types) - len(ranges))]
    try:
        return tuple(
            _convert(v, t, b or INT32) for v, t, b in zip(decoded[1:], types, bounds, strict=True)
        )
    except (TypeError, ValueError):
        raise BadUserInput(argument, problem) from None


def _convert(value: Any, kind: type, bounds: tuple[int, int]) -> Any:
    if value is None:
        return None
    if kind is date:
        return date.fromisoformat(value)
    is_int = isinstance(value, int) and not isinstance(value, bool)
    if kind is int and is_int and range_problem(value, bounds) is None:
        return value
    if kind is str and isinstance(value, str) and text_problem(value) is None:
        return value
    raise TypeError(kind)


def page_request(
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    order: str,
    types: tuple[type, ...],
    default: int | None = MAX_PAGE,
    ranges: tuple[tuple[int, int] | None, ...] = (),
) -> PageRequest:
    """Validated page arguments: ``first``/``last`` within 0..100, not both."""
    for name, value in (("first", first), ("last", last)):
        if value is not None and not 0 <= value <= MAX_PAGE:
            raise BadUserInput(name, f"{value} is out of range; ask for 0 to {MAX_PAGE} items")
    if first is not None and last is not None:
        raise BadUserInput("last", "give either first (with after) or last (with before)")
    if first is None and last is None:
        first = default
    return PageRequest(
        first=first,
        after=decode_cursor(after, order, types, "after", ranges) if after is not None else None,
        last=last,
        before=(
            decode_cursor(before, order, types, "before", ranges) if before is not None else None
        ),
    )


@strawberry.type(description="Where a page of a connection sits in the whole list.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More items follow this page.")
    has_previous_page: bool = strawberry.field(description="More items precede this page.")
    start_cursor: str | None = strawberry.field(description="Cursor of the first edge.")
    end_cursor: str | None = strawberry.field(description="Cursor of the last edge.")
