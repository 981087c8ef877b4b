"""Targets carry their year or period as a fuzzy date with the text's precision (curated data)."""

from __future__ import annotations

from tests.schema.conftest import Run

TARGETS = (
    "query($d: DateRange) { targets(filter: {date: $d}, first: 100) "
    "{ totalCount nodes { valueText year date { text edtf start end precision } } } }"
)


def _dated(data: dict[str, object]) -> dict[str, dict[str, object] | None]:
    nodes = data["targets"]["nodes"]  # type: ignore[index]
    return {n["valueText"]: n["date"] for n in nodes}


async def test_a_target_keeps_by_in_and_from_as_the_text_gives_them(seeded_run: Run) -> None:
    dates = _dated(await seeded_run(TARGETS))
    assert dates["more than 2,000 SaaS companies"] == {
        "text": "by 2027",
        "edtf": "../2027",
        "start": None,
        "end": "2027-12-31",
        "precision": "YEAR",
    }
    assert dates["5,300 devices in 2023"] == {
        "text": "in 2023",
        "edtf": "2023",
        "start": "2023-01-01",
        "end": "2023-12-31",
        "precision": "YEAR",
    }
    assert dates["100,000 cybersecurity talent"] == {
        "text": "from 2022",
        "edtf": "2022/..",
        "start": "2022-01-01",
        "end": None,
        "precision": "YEAR",
    }
    # The text gives no year for these (seed/README.md): no date is invented.
    assert dates["one million digital talent"] is None
    assert dates["Double the number"] is None


async def test_the_deprecated_year_is_the_year_the_date_ends_in(seeded_run: Run) -> None:
    nodes = (await seeded_run(TARGETS))["targets"]["nodes"]
    for node in nodes:
        end = node["date"] and node["date"]["end"]
        assert node["year"] == (int(end[:4]) if end else None), node


async def test_date_matching_on_targets_uses_their_fuzzy_date(seeded_run: Run) -> None:
    ends = _dated(await seeded_run(TARGETS, d={"from": "2027", "to": "2027", "match": "ENDS"}))
    assert set(ends) == {"more than 2,000 SaaS companies"}
    starts = _dated(await seeded_run(TARGETS, d={"from": "2023", "to": "2023", "match": "STARTS"}))
    assert set(starts) == {
        "six next-generation supercomputers",
        "1,000 young leaders",
        "5,300 devices in 2023",
        "1,000 digital startups",
    }
    # An undated target lies in no range, however wide.
    wide = _dated(await seeded_run(TARGETS, d={"from": "1900", "to": "2100"}))
    assert None not in wide.values()
    assert "one million digital talent" not in wide


async def test_year_is_deprecated_for_date(schema: object) -> None:
    sdl = schema.as_str()  # type: ignore[attr-defined]
    block = sdl[sdl.index("type Target ") :]
    block = block[: block.index("\n}")]
    assert "year: Int @deprecated(" in block
    assert "date: FuzzyDate\n" in block
