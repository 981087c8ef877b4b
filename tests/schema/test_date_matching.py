"""One date-matching input for milestones, budgets and targets, on the curated dataset."""

from __future__ import annotations

from tests.schema.conftest import Run

MILESTONES = (
    "query($d: DateRange) { milestones(filter: {date: $d}, first: 100) "
    "{ totalCount nodes { title date { text edtf start end } } } }"
)


async def test_milestones_whose_span_ends_in_2024(seeded_run: Run) -> None:
    data = await seeded_run(MILESTONES, d={"from": "2024", "to": "2024", "match": "ENDS"})
    nodes = data["milestones"]["nodes"]
    assert data["milestones"]["totalCount"] == len(nodes) > 0
    assert all(n["date"]["end"] is not None and n["date"]["end"][:4] == "2024" for n in nodes)
    edtfs = {n["date"]["edtf"] for n in nodes}
    assert "../2024" in edtfs  # "Nationwide 5G network will be built by 2024"
    assert "2024" in edtfs
    assert "2024/.." not in edtfs  # begins in 2024, never ends


async def test_starts_within_and_overlaps_differ(seeded_run: Run) -> None:
    def spans(data: dict[str, object]) -> set[tuple[str | None, str | None]]:
        nodes = data["milestones"]["nodes"]  # type: ignore[index]
        return {(n["date"]["start"], n["date"]["end"]) for n in nodes}

    year = {"from": "2023", "to": "2023"}
    overlaps = spans(await seeded_run(MILESTONES, d=year))
    within = spans(await seeded_run(MILESTONES, d={**year, "match": "WITHIN"}))
    starts = spans(await seeded_run(MILESTONES, d={**year, "match": "STARTS"}))
    assert within
    assert within < overlaps
    assert starts < overlaps
    assert all(
        s is not None and e is not None and s >= "2023" and e <= "2023-12-31" for s, e in within
    )
    assert all(s is not None and s[:4] == "2023" for s, _ in starts)
    assert (None, "2023-12-31") in overlaps - starts - within  # "~2023": open start


async def test_month_bounds_mean_the_whole_month(seeded_run: Run) -> None:
    data = await seeded_run(MILESTONES, d={"from": "2023-11", "to": "2023-11", "match": "WITHIN"})
    assert {n["date"]["text"] for n in data["milestones"]["nodes"]} == {"(Nov. 2023)"}


async def test_budgets_and_targets_take_the_same_input(seeded_run: Run) -> None:
    data = await seeded_run(
        '{ annual: budgets(filter: {date: {from: "2022", to: "2022", match: WITHIN}}) '
        "{ nodes { amountText startYear endYear } } "
        'period: budgets(filter: {date: {from: "2022", match: STARTS}}) '
        "{ nodes { amountText startYear endYear } } "
        'targets(filter: {date: {from: "2027", to: "2027"}}) { nodes { year valueText } } }'
    )
    annual = data["annual"]["nodes"]
    assert annual
    assert all(n["startYear"] == n["endYear"] == 2022 for n in annual)
    period = {n["amountText"] for n in data["period"]["nodes"]}
    assert "a total of 301.8 billion won" in period
    assert {n["amountText"] for n in annual} < period
    assert all(n["year"] in (2027, None) for n in data["targets"]["nodes"])
    assert any(n["year"] == 2027 for n in data["targets"]["nodes"])
