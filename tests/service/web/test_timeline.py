"""The timeline picture's geometry: spans at their fuzzy width, open bounds drawn as such."""

from __future__ import annotations

import re
from datetime import date

from service.core.plan_tree import MilestoneItem
from service.web.timeline import Lane, timeline_svg, unit_end, unit_start


def milestone(
    position: int, start: date | None, end: date | None, precision: str, kind: str
) -> MilestoneItem:
    return MilestoneItem(
        "T-1", position, f"M{position}", "as written", "edtf", start, end, precision, kind,
        "planned", (),
    )  # fmt: skip


def bars(svg: str) -> dict[str, tuple[float, float, str]]:
    """Each bar's link target -> (x, width, classes) of its rectangle."""
    found = {}
    for match in re.finditer(
        r'<a href="([^"]+)" class="([^"]+)".*?<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg
    ):
        href, classes, x, width = match.groups()
        found[href] = (float(x), float(width), classes)
    return found


def test_spans_have_their_fuzzy_width_and_open_bounds_arrows() -> None:
    lane = Lane("S-1", "Strategy", [
        milestone(1, date(2023, 1, 1), date(2023, 12, 31), "year", "event"),
        milestone(2, date(2023, 1, 1), date(2023, 6, 30), "half", "deadline"),
        milestone(3, None, date(2027, 12, 31), "year", "deadline"),
        milestone(4, date(2024, 1, 1), None, "year", "start"),
        milestone(5, date(2025, 3, 4), date(2025, 3, 4), "day", "event"),
    ])  # fmt: skip
    svg = timeline_svg([lane], lambda m: f"/tasks/T-1#{m.position}")
    drawn = bars(svg)
    year_width = drawn["/tasks/T-1#1"][1]
    assert abs(drawn["/tasks/T-1#2"][1] - year_width * 181 / 365) < 0.2  # half a year
    assert "open-start" in drawn["/tasks/T-1#3"][2]
    assert abs(drawn["/tasks/T-1#3"][1] - year_width * 366 / 366) < 0.2  # 2027, its one bound
    assert "open-end" in drawn["/tasks/T-1#4"][2]
    assert drawn["/tasks/T-1#5"][1] < year_width / 10  # a single day: a short mark
    assert svg.count("<path") == 2  # one arrow per open side
    for year in range(2023, 2028):
        assert f">{year}</text>" in svg


def test_nothing_to_draw_is_no_picture() -> None:
    assert timeline_svg([Lane("S", "s", [])], lambda m: "") == ""


def test_precision_units() -> None:
    assert unit_start(date(2027, 12, 31), "year") == date(2027, 1, 1)
    assert unit_end(date(2023, 1, 1), "half") == date(2023, 6, 30)
    assert unit_end(date(2023, 8, 1), "half") == date(2023, 12, 31)
    assert unit_start(date(2023, 5, 9), "quarter") == date(2023, 4, 1)
    assert unit_end(date(2024, 2, 1), "month") == date(2024, 2, 29)
    assert unit_end(date(2024, 2, 3), "day") == date(2024, 2, 3)
