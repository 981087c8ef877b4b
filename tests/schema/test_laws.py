"""Laws: every name with the document that uses it, enactment as a fuzzy date (curated data)."""

from __future__ import annotations

from tests.schema.conftest import Run


async def test_data_framework_act_enacted_at_month_precision(seeded_run: Run) -> None:
    data = await seeded_run(
        '{ law(slug: "data-framework-act") { status statusText '
        "enacted { text edtf start end precision } } }"
    )
    assert data["law"] == {
        "status": "ENACTED",
        "statusText": "enacted in October 2021",
        "enacted": {
            "text": "October 2021",
            "edtf": "2021-10",
            "start": "2021-10-01",
            "end": "2021-10-31",
            "precision": "MONTH",
        },
    }


async def test_only_enacted_laws_with_a_date_in_the_text_have_one(seeded_run: Run) -> None:
    data = await seeded_run("{ laws(first: 100) { nodes { slug enacted { edtf } } } }")
    dated = {n["slug"]: n["enacted"]["edtf"] for n in data["laws"]["nodes"] if n["enacted"]}
    assert dated == {"data-framework-act": "2021-10"}


async def test_names_say_which_document_uses_which(seeded_run: Run) -> None:
    data = await seeded_run(
        '{ law(slug: "ai-framework-act") { title aliases names { name document { slug } } } }'
    )
    law = data["law"]
    assert {(n["name"], n["document"]["slug"]) for n in law["names"]} == {
        ("Framework Act on AI", "msit-work-plan-2023"),
        ("Artificial Intelligence Framework Act", "digital-strategy-of-korea"),
    }
    assert sorted(law["aliases"]) == sorted(n["name"] for n in law["names"])


async def test_every_named_law_has_its_names(seeded_run: Run) -> None:
    data = await seeded_run(
        "{ laws(first: 100) { nodes { slug names { name document { slug } } } } }"
    )
    unnamed = [n["slug"] for n in data["laws"]["nodes"] if not n["names"]]
    # The text describes this act without naming it (seed/README.md, decision 8).
    assert unnamed == ["integrated-digital-framework-act"]
    assert all(name["document"] for n in data["laws"]["nodes"] for name in n["names"])


async def test_a_law_status_holds_as_of_its_documents_date(seeded_run: Run) -> None:
    data = await seeded_run(
        '{ dfa: law(slug: "data-framework-act") { status statusAsOf sources { document { slug } } }'
        ' net: law(slug: "network-act") { status statusAsOf sources { document { slug } } } }'
    )
    # Quoted only by the press release of 2022-09-28: the status holds as of that day.
    assert {s["document"]["slug"] for s in data["dfa"]["sources"]} == {"digital-strategy-of-korea"}
    assert data["dfa"]["statusAsOf"] == "2022-09-28"
    # Quoted by the work plan, which states no date: the day stays unknown.
    assert "msit-work-plan-2023" in {s["document"]["slug"] for s in data["net"]["sources"]}
    assert data["net"]["statusAsOf"] is None


async def test_planned_legislation_dates_are_the_milestones_of_the_laws_tasks(
    seeded_run: Run,
) -> None:
    """The texts date the legislative work, not the laws (seed/README.md, decision 16): the
    dates are milestones of the tasks that mention the law, and the laws have no date."""
    data = await seeded_run(
        '{ dsfa: law(slug: "digital-society-framework-act") { enacted { edtf } tasks(first: 10) '
        "{ nodes { code milestones { date { text edtf } } } } } "
        'bill: law(slug: "bill-of-digital-rights") { enacted { edtf } tasks(first: 10) '
        "{ nodes { code milestones { date { text edtf } } } } } }"
    )

    def dated(law: dict[str, object]) -> set[tuple[str, str, str]]:
        nodes = law["tasks"]["nodes"]  # type: ignore[index]
        return {
            (n["code"], m["date"]["text"], m["date"]["edtf"])
            for n in nodes
            for m in n["milestones"]
        }

    assert data["dsfa"]["enacted"] is None
    assert ("DSK-V-3-1", "(starting 2023)", "2023/..") in dated(data["dsfa"])
    assert data["bill"]["enacted"] is None
    assert dated(data["bill"]) == {("DSK-III-2-1", "(~2023)", "../2023")}
