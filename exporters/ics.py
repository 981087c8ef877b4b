"""iCalendar milestone feed (RFC 5545 with the RFC 7986 calendar properties).

One all-day VEVENT per milestone, written batch by batch: the calendar header, then each
batch's events as they are read, then ``END:VCALENDAR``. The header is an ``icalendar``
``Calendar``; the events, written by the hundred thousand, are content lines built by
``ics_lines`` exactly as ``icalendar.Event.to_ical()`` would write them (CRLF, escaping by
icalendar's property types, folding at 75 octets without splitting a UTF-8 character).

How a fuzzy date becomes an event (``DTEND`` is exclusive, as RFC 5545 requires for dates):

- a closed span covers all of it, whatever the milestone's kind: "first half of 2023" runs
  2023-01-01 up to (not including) 2023-07-01, "Nov. 2023" is the whole of November;
- a span open at the start — "by 2027" or "~2023" (until 2023), EDTF ``../2027`` — is a
  one-day deadline on its last day (2027-12-31);
- a span open at the end — "2023~", EDTF ``2023/..`` — is one day on its first day.

The span, not ``kind``, decides: a half-year milestone marked as a deadline still shows the
half it falls in, and "by X" is always written as an open start in the data.

UIDs are built from the milestone's natural key (task code + position), never the database
id, so they survive re-seeding, a move to another database and a change of host name.
DTSTAMP equals LAST-MODIFIED (the feed has no METHOD, RFC 5545 §3.8.7.2), so two exports of
unchanged data are byte-identical; SEQUENCE is the milestone's revision.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from urllib.parse import quote, urlencode

from icalendar import Calendar, vDuration, vText

from exporters import ics_lines
from exporters.protocol import ByteSink
from service.core.dataset_filter import DatasetFilter, filter_to_params
from service.core.dataset_reader import DatasetReader
from service.core.milestone_feed import FeedMilestone

PRODID = "-//stratagraph//Milestone feed//EN"
# A reserved top-level domain (RFC 2606): UIDs look like the RFC's examples without
# claiming anyone's real domain, and do not change when the service moves host.
UID_DOMAIN = "stratagraph.invalid"
REFRESH = timedelta(hours=12)
FEED_PATH = "/calendars/milestones.ics"
_END = b"END:VCALENDAR\r\n"


def milestone_uid(task_code: str, position: int) -> str:
    return f"milestone-{task_code}-{position}@{UID_DOMAIN}"


def event_dates(milestone: FeedMilestone) -> tuple[date, date]:
    """``(DTSTART, DTEND)`` of the all-day event; DTEND is the day after the last day."""
    start, end = milestone.start_date, milestone.end_date
    if start is None or end is None:
        day = start or end
        assert day is not None  # the database requires one bound
        return day, day + timedelta(days=1)
    return start, end + timedelta(days=1)


def feed_url(public_url: str | None, dataset_filter: DatasetFilter) -> str | None:
    if public_url is None:
        return None
    query = urlencode(filter_to_params(dataset_filter))
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


def milestone_events(milestones: Iterable[FeedMilestone], public_url: str | None) -> bytes:
    """The VEVENTs of a batch, byte for byte as ``icalendar.Event.to_ical()`` writes them.

    Properties come in icalendar's canonical order for an event (SUMMARY, DTSTART, DTEND,
    DTSTAMP, UID, SEQUENCE, then the rest alphabetically). Categories and URLs repeat across
    a batch (they belong to the task and the plan), so each is escaped and folded once.
    """
    base = public_url.rstrip("/") if public_url is not None else None
    categories_lines: dict[tuple[str, ...], bytes] = {}
    url_lines: dict[str, bytes] = {}
    out: list[bytes] = []
    for milestone in milestones:
        start, end = event_dates(milestone)
        stamp = ics_lines.utc_date_time(milestone.updated_at)
        tags = (milestone.plan_title, milestone.strategy_title, *milestone.technologies)
        categories = categories_lines.get(tags)
        if categories is None:
            categories = ics_lines.fold(b"CATEGORIES:" + ics_lines.categories(tags))
            categories_lines[tags] = categories
        uid = milestone_uid(milestone.task_code, milestone.position)
        out += (
            b"BEGIN:VEVENT\r\n",
            ics_lines.fold(b"SUMMARY:" + ics_lines.text(milestone.title)),
            b"DTSTART;VALUE=DATE:" + ics_lines.date_value(start) + ics_lines.CRLF,
            b"DTEND;VALUE=DATE:" + ics_lines.date_value(end) + ics_lines.CRLF,
            b"DTSTAMP:" + stamp + ics_lines.CRLF,
            ics_lines.fold(b"UID:" + ics_lines.text(uid)),
            b"SEQUENCE:%d\r\n" % milestone.revision,
            categories,
            ics_lines.fold(b"DESCRIPTION:" + ics_lines.text(_description(milestone))),
            b"LAST-MODIFIED:" + stamp + ics_lines.CRLF,
            b"TRANSP:TRANSPARENT\r\n",  # a policy milestone does not make anyone busy
        )
        if base is not None:
            url = url_lines.get(milestone.plan_slug)
            if url is None:
                anchor = quote(milestone.plan_slug)
                url = ics_lines.fold(f"URL:{base}/?plan={anchor}#plan-{anchor}".encode())
                url_lines[milestone.plan_slug] = url
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
    """Milestones as an iCalendar feed that calendar apps can subscribe to."""

    name = "ics"
    media_type = "text/calendar"
    file_extension = "ics"
    title = "Calendar (iCalendar)"
    description = "Milestones as all-day events for Google, Apple or Outlook calendars."

    async def export(
        self, dataset: DatasetReader, dataset_filter: DatasetFilter, out: ByteSink
    ) -> None:
        public_url = dataset.public_url
        titles = await dataset.plan_titles(dataset_filter.plans)
        out.write(
            calendar_header(
                calendar_name(dataset_filter, titles), feed_url(public_url, dataset_filter)
            )
        )
        async for batch in dataset.milestone_batches(dataset_filter):
            out.write(milestone_events(batch, public_url))
        out.write(_END)
        out.flush()
