"""Checking iCalendar output: content-line rules, and parsing with ical.js and icalendar."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

import icalendar

from tests.support.node import JS_DIR, run_node


def content_lines(data: bytes) -> list[bytes]:
    """The physical lines; asserts CRLF endings, ≤ 75 octets and whole UTF-8 characters."""
    assert data.endswith(b"\r\n"), "the feed must end with CRLF"
    lines = data[:-2].split(b"\r\n")
    for number, line in enumerate(lines, 1):
        assert b"\n" not in line, f"line {number}: bare LF"
        assert b"\r" not in line, f"line {number}: bare CR"
        assert len(line) <= 75, f"line {number} has {len(line)} octets: {line!r}"
        line.decode("utf-8")  # a fold inside a character would fail here
    return lines


def unfolded(data: bytes) -> list[str]:
    """Logical content lines (folds undone), as text."""
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]


def unescape_text(value: str) -> str:
    """RFC 5545 TEXT unescaping (for properties Python icalendar leaves raw, like NAME)."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def parse_python(data: bytes) -> icalendar.Calendar:
    calendar = icalendar.Calendar.from_ical(data)
    assert isinstance(calendar, icalendar.Calendar)
    return calendar


def parse_icaljs(data: bytes) -> dict[str, Any]:
    """What Mozilla's ical.js makes of the feed; fails the test on any parse error."""
    with tempfile.NamedTemporaryFile(suffix=".ics", delete=False) as handle:
        handle.write(data)
        path = Path(handle.name)
    try:
        result = run_node(JS_DIR / "parse_ics.mjs", str(path))
    finally:
        path.unlink()
    assert result.returncode == 0, f"ical.js rejected the feed: {result.stderr}"
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed
