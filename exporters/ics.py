"""iCalendar milestone feed (RFC 5545 with the RFC 7986 calendar properties).

One all-day VEVENT per milestone, written batch by batch: the calendar header, then each
batch's events as they are read, then ``END:VCALENDAR``. The header is an ``icalendar``
``Calendar``; the events, written by the hundred thousand, are content lines built by
``ics_lines`` exactly as ``icalendar.Event.to_ical()`` would write them (CRLF, escaping by
icalendar's property types, folding at 75 octets without splitting a UTF-8 character).

How a fuzzy date becomes events is ``ics_placement``'s job: by default single days where
the milestone's kind makes them decisive, with ``spans=True`` its whole span.

UIDs are built from the milestone's natural key (task code + position), never the database
id, so they survive re-seeding, a move to another database and a change of host name.
DTSTAMP equals LAST-MODIFIED (the feed has no METHOD, RFC 5545 §3.8.7.2), so two exports of
unchanged data are byte-identical.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from urllib.parse import urlencode

from icalendar import Calendar, vDuration, vText

from exporters import ics_lines
from exporters.ics_placement import placements
from exporters.protocol import ByteSink
from service.core.dataset_filter import DatasetFilter, filter_to_params
from service.core.dataset_reader import DatasetReader
from service.core.milestone_feed import FeedMilestone
from service.core.page_paths import milestone_path

PRODID = "-//stratagraph//Milestone feed//EN"
REFRESH = timedelta(hours=12)
FEED_PATH = "/calendars/milestones.ics"
_END = b"END:VCALENDAR\r\n"


def feed_url(
    public_url: str | None, dataset_filter: DatasetFilter, *, spans: bool = False
) -> str | None:
    if public_url is None:
        return None
    query = urlencode([*filter_to_params(dataset_filter), *([("spans", "1")] if spans else [])])
    return f"{public_url.rstrip('/')}{FEED_PATH}" + (f"?{query}" if query else "")


def calendar_name(dataset_filter: DatasetFilter, titles: Iterable[str]) -> str:
    """A name people recognise: the plans' titles, plus any narrower filter."""
    names = list(titles)
    base = " / ".join(names) if names else "Digital strategy"
    narrower = [
        f"{parameter} {value}"
        for parameter, value in filter_to_params(dataset_filter)
        if parameter != "plan"
    ]
    suffix = f" ({', '.join(narrower)})" if narrower else ""
    return f"{base} milestones{suffix}"


def calendar_header(name: str, source: str | None) -> bytes:
    """``BEGIN:VCALENDAR`` and the calendar's properties (no components, no END)."""
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    # icalendar escapes these only when they are given as text values.
    calendar.add("name", vText(name))
    calendar.add("x-wr-calname", vText(name))
    description = vText(
        "Dated promises of national digital-strategy plans, one all-day event per milestone."
    )
    calendar.add("description", description)
    calendar.add("x-wr-caldesc", description)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    if source is not None:
        calendar.add("source", source, parameters={"VALUE": "URI"})
    content: bytes = calendar.to_ical()
    assert content.endswith(_END)
    return content[: -len(_END)]


def milestone_events(
    milestones: Iterable[FeedMilestone], public_url: str | None, *, spans: bool = False
) -> bytes:
    """The VEVENTs of a batch, byte for byte as ``icalendar.Event.to_ical()`` writes them.

    Properties come in icalendar's canonical order for an event (SUMMARY, DTSTART, DTEND,
    DTSTAMP, UID, SEQUENCE, then the rest alphabetically). Categories repeat across a batch
    (they belong to the plan, strategy and task), so each is escaped and folded once. An
    event's URL is its milestone on the task's page.
    """
    base = public_url.rstrip("/") if public_url is not None else None
    categories_lines: dict[tuple[str, ...], bytes] = {}
    out: list[bytes] = []
    for milestone in milestones:
        stamp = ics_lines.utc_date_time(milestone.updated_at)
        tags = (milestone.plan_title, milestone.strategy_title, *milestone.technologies)
        categories = categories_lines.get(tags)
        if categories is None:
            categories = ics_lines.fold(b"CATEGORIES:" + ics_lines.categories(tags))
            categories_lines[tags] = categories
        description = ics_lines.fold(b"DESCRIPTION:" + ics_lines.text(_description(milestone)))
        url = None
        if base is not None:  # the milestone on its task's page
            path = milestone_path(milestone.task_code, milestone.position)
            url = ics_lines.fold(f"URL:{base}{path}".encode())
        for placed in placements(milestone, spans=spans):
            out += (
                b"BEGIN:VEVENT\r\n",
                ics_lines.fold(b"SUMMARY:" + ics_lines.text(placed.summary)),
                b"DTSTART;VALUE=DATE:" + ics_lines.date_value(placed.start) + ics_lines.CRLF,
                b"DTEND;VALUE=DATE:" + ics_lines.date_value(placed.end) + ics_lines.CRLF,
                b"DTSTAMP:" + stamp + ics_lines.CRLF,
                ics_lines.fold(b"UID:" + ics_lines.text(placed.uid)),
                b"SEQUENCE:%d\r\n" % placed.sequence,
                categories,
                description,
                b"LAST-MODIFIED:" + stamp + ics_lines.CRLF,
                b"TRANSP:TRANSPARENT\r\n",  # a policy milestone does not make anyone busy
            )
            if url is not None:
                out.append(url)
            out.append(b"END:VEVENT\r\n")
    return b"".join(out)


def _description(milestone: FeedMilestone) -> str:
    lines = [
        f"Date as written: {milestone.date_text} (EDTF {milestone.edtf})",
        f"Status: {milestone.status.value.replace('_', ' ')}",
        f"Task {milestone.task_code}: {milestone.task_title}",
        f"Strategy {milestone.strategy_code}: {milestone.strategy_title}",
        f"Plan: {milestone.plan_title}",
    ]
    for quoted in milestone.quotes:
        source = quoted.document_title + (
            f" <{quoted.document_url}>" if quoted.document_url else ""
        )
        lines += ["", f"“{quoted.text}”", f"— {source}"]
    return "\n".join(lines)


class IcsExporter:
    """Milestones as an iCalendar feed that calendar apps can subscribe to; ``spans=True``
    draws each milestone over its whole span instead of on its decisive days."""

    name = "ics"
    media_type = "text/calendar"
    file_extension = "ics"
    title = "Calendar (iCalendar)"
    description = "Milestones as all-day events for Google, Apple or Outlook calendars."

    def __init__(self, *, spans: bool = False) -> None:
        self.spans = spans

    async def export(
        self, dataset: DatasetReader, dataset_filter: DatasetFilter, out: ByteSink
    ) -> None:
        public_url = dataset.public_url
        titles = await dataset.plan_titles(dataset_filter.plans)
        out.write(
            calendar_header(
                calendar_name(dataset_filter, titles),
                feed_url(public_url, dataset_filter, spans=self.spans),
            )
        )
        async for batch in dataset.milestone_batches(dataset_filter):
            out.write(milestone_events(batch, public_url, spans=self.spans))
        out.write(_END)
        out.flush()
