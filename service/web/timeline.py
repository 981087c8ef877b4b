"""The timeline picture: milestones as SVG, drawn on the server (no script, no assets).

Years run across; each strategy has a lane; each milestone is a bar over its fuzzy span —
a year, a half, a month — or a short mark for a single day. A span open at the start ("by
2027") or at the end ("from 2023") is drawn over the one bound the text gives (the year
2027, the year 2023) with an arrow on its open side and a dashed edge. Bars that would
overlap go on separate rows of the lane. Every bar links to its task and names itself
(title, date as written, kind), so the picture works with a keyboard and a screen reader
as well as a pointer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from service.core.plan_tree import MilestoneItem

# The picture fits the page's column when it can; more years than fit scroll sideways.
FIT_WIDTH = 860
MIN_YEAR_WIDTH = 64
LABEL_WIDTH = 72
AXIS_HEIGHT = 28
ROW_HEIGHT = 16
BAR_HEIGHT = 11
LANE_PADDING = 8
MIN_BAR = 6
ARROW = 7
# Colour per kind, each with at least 3:1 contrast on white (WCAG non-text contrast).
KIND_COLOURS = {
    "deadline": "#b3261e",
    "start": "#1b6e3a",
    "event": "#0b5cad",
    "period": "#6b4ea0",
}


@dataclass(frozen=True)
class Lane:
    code: str
    title: str
    milestones: Sequence[MilestoneItem]


@dataclass(frozen=True)
class _Bar:
    milestone: MilestoneItem
    left: float
    right: float
    open_start: bool
    open_end: bool


def year_range(lanes: Sequence[Lane]) -> tuple[int, int]:
    """First and last year any milestone's bound falls in."""
    years = [
        day.year
        for lane in lanes
        for milestone in lane.milestones
        for day in (milestone.start_date, milestone.end_date)
        if day is not None
    ]
    return (min(years), max(years)) if years else (0, -1)


def timeline_svg(lanes: Sequence[Lane], href: Callable[[MilestoneItem], str]) -> str:
    """The picture, or an empty string when no lane has a milestone."""
    lanes = [lane for lane in lanes if lane.milestones]
    first_year, last_year = year_range(lanes)
    if not lanes or first_year > last_year:
        return ""
    years = last_year - first_year + 1
    year_width = max(MIN_YEAR_WIDTH, (FIT_WIDTH - LABEL_WIDTH) // years)
    width = LABEL_WIDTH + years * year_width + ARROW + 2

    def x(day: date, *, after: bool = False) -> float:
        """Where ``day`` begins (or, with ``after``, ends) on the axis."""
        length = 366 if _leap(day.year) else 365
        fraction = (day.timetuple().tm_yday - (0 if after else 1)) / length
        return LABEL_WIDTH + (day.year - first_year + fraction) * year_width

    body: list[str] = []
    top = AXIS_HEIGHT
    for lane in lanes:
        bars = []
        for m in lane.milestones:
            start, end = m.start_date, m.end_date
            if start is None:
                assert end is not None  # the database requires one bound
                start = unit_start(end, m.precision)
            if end is None:
                end = unit_end(start, m.precision)
            bars.append(
                _Bar(m, x(start), x(end, after=True), m.start_date is None, m.end_date is None)
            )
        rows = _pack(bars)
        height = len(rows) * ROW_HEIGHT + LANE_PADDING
        body.append(
            f'<g class="lane"><rect x="0" y="{top}" width="{width}" height="{height}" '
            f'fill="none" stroke="#8a8f98" stroke-width="0.5"/>'
            f'<text x="6" y="{top + 14}" fill="currentColor" font-size="12" '
            f'font-weight="600">{escape(lane.code)}</text>'
            f"<title>{escape(lane.title)}</title></g>"
        )
        for row_number, row in enumerate(rows):
            y = top + LANE_PADDING / 2 + row_number * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
            body.extend(_bar(bar, y, href(bar.milestone)) for bar in row)
        top += height
    axis = _axis(first_year, years, year_width, top)
    label = (
        f"Timeline of {sum(len(lane.milestones) for lane in lanes)} milestones in "
        f"{len(lanes)} strategies, {first_year} to {last_year}"
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline-picture" role="group" '
        f'width="{width:.0f}" height="{top + 4:.0f}" viewBox="0 0 {width:.0f} {top + 4:.0f}" '
        f'aria-labelledby="timeline-title" font-family="system-ui, sans-serif">'
        f'<title id="timeline-title">{escape(label)}</title>'
        f"{axis}{''.join(body)}</svg>"
    )


def unit_start(day: date, precision: str) -> date:
    """The first day of the year, half, quarter or month ``day`` falls in (at ``precision``)."""
    if precision == "year":
        return date(day.year, 1, 1)
    if precision == "half":
        return date(day.year, 1 if day.month <= 6 else 7, 1)
    if precision == "quarter":
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    if precision == "month":
        return date(day.year, day.month, 1)
    return day


def unit_end(day: date, precision: str) -> date:
    """The last day of the year, half, quarter or month ``day`` falls in (at ``precision``)."""
    if precision == "day":
        return day
    months = {"year": 12, "half": 6, "quarter": 3, "month": 1}.get(precision, 1)
    first = unit_start(day, precision)
    month = first.month + months
    following = date(first.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    return following - timedelta(days=1)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _pack(bars: list[_Bar]) -> list[list[_Bar]]:
    """Greedy interval packing: each bar on the first row it does not overlap."""
    rows: list[list[_Bar]] = []
    for bar in sorted(bars, key=lambda b: (b.left, b.right)):
        for row in rows:
            if row[-1].right + 2 <= bar.left:
                row.append(bar)
                break
        else:
            rows.append([bar])
    return rows


def _axis(first_year: int, years: int, year_width: int, bottom: float) -> str:
    parts = []
    for index in range(years):
        left = LABEL_WIDTH + index * year_width
        parts.append(
            f'<line x1="{left}" y1="{AXIS_HEIGHT - 6}" x2="{left}" y2="{bottom}" '
            f'stroke="#8a8f98" stroke-width="0.5"/>'
            f'<text x="{left + year_width / 2}" y="{AXIS_HEIGHT - 10}" text-anchor="middle" '
            f'fill="currentColor" font-size="12">{first_year + index}</text>'
        )
    return f'<g class="axis" aria-hidden="true">{"".join(parts)}</g>'


def _bar(bar: _Bar, y: float, href: str) -> str:
    milestone = bar.milestone
    colour = KIND_COLOURS.get(milestone.kind, "#333333")
    left, right = bar.left, max(bar.right, bar.left + MIN_BAR)
    if milestone.start_date is not None and milestone.start_date == milestone.end_date:
        left, right = bar.left - MIN_BAR / 2, bar.left + MIN_BAR / 2  # a single day
    name = f"{milestone.title} — {milestone.date_text} ({milestone.kind})"
    shapes = [
        f'<rect x="{left:.1f}" y="{y:.1f}" width="{right - left:.1f}" height="{BAR_HEIGHT}" '
        f'rx="2" fill="{colour}" fill-opacity="0.85"/>'
    ]
    middle = y + BAR_HEIGHT / 2
    if bar.open_start:
        shapes.append(
            f'<path d="M{left - ARROW:.1f} {middle:.1f} L{left:.1f} {y:.1f} '
            f'L{left:.1f} {y + BAR_HEIGHT:.1f} Z" fill="{colour}"/>'
            f'<line x1="{left + 1:.1f}" y1="{y:.1f}" x2="{left + 1:.1f}" '
            f'y2="{y + BAR_HEIGHT:.1f}" stroke="white" stroke-dasharray="2 2"/>'
        )
    if bar.open_end:
        shapes.append(
            f'<path d="M{right + ARROW:.1f} {middle:.1f} L{right:.1f} {y:.1f} '
            f'L{right:.1f} {y + BAR_HEIGHT:.1f} Z" fill="{colour}"/>'
            f'<line x1="{right - 1:.1f}" y1="{y:.1f}" x2="{right - 1:.1f}" '
            f'y2="{y + BAR_HEIGHT:.1f}" stroke="white" stroke-dasharray="2 2"/>'
        )
    classes = " ".join(
        ["milestone", f"kind-{milestone.kind}"]
        + (["open-start"] if bar.open_start else [])
        + (["open-end"] if bar.open_end else [])
    )
    return (
        f'<a href="{escape(href)}" class="{classes}" aria-label="{escape(name)}" '
        f'data-span="{escape(milestone.edtf)}"><title>{escape(name)}</title>{"".join(shapes)}</a>'
    )


def legend() -> str:
    """A key to the colours and arrows (HTML, beside the picture)."""
    items = "".join(
        f'<li><span class="swatch kind-{kind}" aria-hidden="true"></span>{kind}</li>'
        for kind in KIND_COLOURS
    )
    return (
        f'<ul class="legend">{items}<li><span aria-hidden="true">◀ ▶</span> open start or end '
        "(the text gives no bound)</li></ul>"
    )
