"""Content lines written straight to bytes, as icalendar's ``Component.to_ical()`` writes them.

The feed has hundreds of thousands of events of one fixed shape. Building an ``Event`` per
milestone (a case-insensitive dict, a ``Parameters`` object per value, a ``Contentline`` per
property, folding character by character) cost ~0.6 ms per event. Here the values that need
RFC 5545 escaping still go through icalendar's own property types (``vText``,
``vCategory``); fixed-format values (DATE, UTC DATE-TIME, INTEGER) are formatted directly;
and ``fold`` cuts a line where icalendar's folding cuts it, working on whole byte slices
instead of one character at a time. ``tests/exporters/test_ics_lines.py`` checks every helper
against the library, and the feed against the ``Event``-based rendering, byte for byte.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from icalendar import vCategory, vText

CRLF = b"\r\n"
_FOLD = b"\r\n "
# icalendar starts a new physical line before a character that would make the line reach
# 75 octets, so a physical line holds at most 74 octets of content (plus the fold's space).
_ROOM = 74
# Nor does it leave a backslash or caret (TEXT / RFC 6868 escapes) at the end of a line.
_ESCAPE_STARTS = b"\\^"


def fold(line: bytes) -> bytes:
    """The UTF-8 content line folded as icalendar folds it, ending in CRLF."""
    size = len(line)
    if size <= _ROOM:
        return line + CRLF
    pieces = []
    start = 0
    while size - start > _ROOM:
        end = start + _ROOM
        while line[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its character
            end -= 1
        if line[end - 1] in _ESCAPE_STARTS:
            end -= 1
        pieces.append(line[start:end])
        start = end
    pieces.append(line[start:])
    return _FOLD.join(pieces) + CRLF


def text(value: str) -> bytes:
    """A TEXT value, escaped by icalendar."""
    escaped: bytes = vText(value).to_ical()
    return escaped


def categories(names: Sequence[str]) -> bytes:
    """A CATEGORIES value (comma-separated TEXT), escaped by icalendar."""
    value: bytes = vCategory(list(names)).to_ical()
    return value


def date_value(day: date) -> bytes:
    """RFC 5545 §3.3.4 DATE, as ``vDate`` writes it."""
    return f"{day.year:04}{day.month:02}{day.day:02}".encode()


def utc_date_time(moment: datetime) -> bytes:
    """RFC 5545 §3.3.5 DATE-TIME in UTC (form 2), as ``vDatetime`` writes it."""
    if moment.utcoffset() != timedelta(0):
        raise ValueError(f"{moment!r} is not in UTC")
    return (
        f"{moment.year:04}{moment.month:02}{moment.day:02}"
        f"T{moment.hour:02}{moment.minute:02}{moment.second:02}Z"
    ).encode()
