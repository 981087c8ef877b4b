"""The feed's events as the first release wrote them: one ``icalendar.Event`` per milestone.

Kept as the reference the faster content-line rendering of ``exporters.ics`` must match
byte for byte.
"""

from __future__ import annotations

from urllib.parse import quote

from icalendar import Event

from exporters.ics import _description
from exporters.ics_placement import Placement, placements
from service.core.milestone_feed import FeedMilestone


def reference_event(milestone: FeedMilestone, public_url: str | None, spans: bool = False) -> bytes:
    return b"".join(
        _event(milestone, placed, public_url) for placed in placements(milestone, spans=spans)
    )


def _event(milestone: FeedMilestone, placed: Placement, public_url: str | None) -> bytes:
    event = Event()
    event.add("uid", placed.uid)
    event.add("dtstamp", milestone.updated_at)
    event.add("last-modified", milestone.updated_at)
    event.add("sequence", placed.sequence)
    event.add("dtstart", placed.start)
    event.add("dtend", placed.end)
    event.add("summary", placed.summary)
    event.add("description", _description(milestone))
    event.add(
        "categories",
        [milestone.plan_title, milestone.strategy_title, *milestone.technologies],
    )
    event.add("transp", "TRANSPARENT")
    if public_url is not None:
        anchor = quote(f"milestone-{milestone.task_code}-{milestone.position}", safe="")
        task = quote(milestone.task_code, safe="")
        event.add("url", f"{public_url.rstrip('/')}/tasks/{task}#{anchor}")
    content: bytes = event.to_ical()
    return content
