"""Where a milestone's fuzzy date goes in a calendar: on the day its kind makes decisive.

A calendar shows a multi-day all-day event as a banner across every day it covers, so the
texts' spans ("2022~2026", "first half of 2023") would bury a subscriber's calendar under
banners years long. By default each milestone is therefore placed on single days:

- a deadline on the last day of its span ("by 2027" → 2027-12-31, "1H 2023" → 2023-06-30);
- a start on the first day ("from 2023" → 2023-01-01);
- an event on its day; an event the text dates only to a month, half or year is placed on
  the first day of that span (the earliest it can happen), its summary saying when;
- a period as two markers, its first and its last day;
- a span open at one end on the day of the bound it has.

Every summary ends with the date as written, so the day is never mistaken for the promise.
With ``spans=True`` each milestone is one event over its whole span instead.

UIDs come from the milestone's natural key (task code + position) and are the same in both
renderings; a period's end marker has its own (``...-end``). SEQUENCE is the milestone's
revision, plus one on a placed day that differs from the span: calendars that subscribed
while feeds showed spans see a newer version of the event and move it, instead of keeping
the old banner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from service.core.milestone_feed import FeedMilestone
from service.core.models import MilestoneKind

# A reserved top-level domain (RFC 2606): UIDs look like the RFC's examples without
# claiming anyone's real domain, and do not change when the service moves host.
UID_DOMAIN = "stratagraph.invalid"
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Placement:
    """One all-day VEVENT: ``end`` is exclusive, as RFC 5545 requires for DATE values."""

    uid: str
    summary: str
    start: date
    end: date
    sequence: int


def milestone_uid(task_code: str, position: int, part: str = "") -> str:
    suffix = f"-{part}" if part else ""
    return f"milestone-{task_code}-{position}{suffix}@{UID_DOMAIN}"


def span_dates(milestone: FeedMilestone) -> tuple[date, date]:
    """``(DTSTART, DTEND)`` over the whole span; an open span is the day of its bound."""
    start, end = milestone.start_date, milestone.end_date
    if start is None or end is None:
        day = start or end
        assert day is not None  # the database requires one bound
        return day, day + _DAY
    return start, end + _DAY


def placements(milestone: FeedMilestone, *, spans: bool = False) -> tuple[Placement, ...]:
    uid = milestone_uid(milestone.task_code, milestone.position)
    summary = f"{milestone.title} ({milestone.date_text})"
    span = span_dates(milestone)
    if spans:
        return (Placement(uid, summary, *span, milestone.revision),)
    first, last = span[0], span[1] - _DAY
    if milestone.kind is MilestoneKind.PERIOD and first != last:
        return (
            _on(first, uid, f"{milestone.title} — begins ({milestone.date_text})", milestone),
            Placement(
                milestone_uid(milestone.task_code, milestone.position, "end"),
                f"{milestone.title} — ends ({milestone.date_text})",
                last,
                last + _DAY,
                milestone.revision,
            ),
        )
    day = last if milestone.kind is MilestoneKind.DEADLINE else first
    return (_on(day, uid, summary, milestone),)


def _on(day: date, uid: str, summary: str, milestone: FeedMilestone) -> Placement:
    moved = (day, day + _DAY) != span_dates(milestone)
    return Placement(uid, summary, day, day + _DAY, milestone.revision + int(moved))
