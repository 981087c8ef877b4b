"""Real questions to the curated dataset, answered through GraphQL as the documents answer them."""

from __future__ import annotations

from tests.schema.conftest import Run


async def test_laws_the_2023_work_plan_will_legislate(seeded_run: Run) -> None:
    data = await seeded_run(
        '{ laws(filter: {plans: ["msit-work-plan-2023"], statuses: [PLANNED, TENTATIVE]}, '
        "orderBy: {field: SLUG}) { totalCount nodes { slug aliases } } }"
    )
    slugs = [n["slug"] for n in data["laws"]["nodes"]]
    # "Legislate four laws: (i) Framework Act on Digital Society; (ii) Framework Act on AI;
    # (iii) Special Act on Metaverse; (iv) Act on Digital Inclusiveness" + the quantum bills.
    assert slugs == [
        "ai-framework-act",
        "digital-inclusion-act",
        "digital-society-framework-act",
        "metaverse-special-act",
        "quantum-technology-bills",
    ]
    aliases = {n["slug"]: n["aliases"] for n in data["laws"]["nodes"]}
    assert "Framework Act on AI" in aliases["ai-framework-act"]
    assert "Act on Digital Inclusiveness" in aliases["digital-inclusion-act"]


async def test_budget_of_next_generation_ai_and_its_years(seeded_run: Run) -> None:
    data = await seeded_run(
        '{ tasks(filter: {text: "Fundamental technology for next-generation AI"}) { nodes { '
        "title budgets { amount { amount currency } startYear endYear amountText } "
        "strategy { plan { slug } } } } }"
    )
    [task] = data["tasks"]["nodes"]
    assert task["strategy"]["plan"]["slug"] == "digital-strategy-of-korea"
    assert task["budgets"] == [
        {
            "amount": {"amount": "301800000000", "currency": "KRW"},
            "startYear": 2022,
            "endYear": 2026,
            "amountText": "a total of 301.8 billion won",
        }
    ]


async def test_milestones_falling_in_2023(seeded_run: Run) -> None:
    data = await seeded_run(
        '{ milestones(filter: {date: {from: "2023", to: "2023"}}, first: 100) { '
        "totalCount nodes { title date { text start end } } } }"
    )
    nodes = data["milestones"]["nodes"]
    assert data["milestones"]["totalCount"] == len(nodes) > 0
    for node in nodes:
        start, end = node["date"]["start"], node["date"]["end"]
        assert start is None or start <= "2023-12-31", node
        assert end is None or end >= "2023-01-01", node
    titles = {n["title"] for n in nodes}
    assert "G20 Summit" in titles  # "(Nov. 2023)"
    starts = [n["date"]["start"] for n in nodes if n["date"]["start"] is not None]
    assert starts == sorted(starts)


async def test_tasks_mention_a_law_under_either_name(seeded_run: Run) -> None:
    for name in ("Framework Act on AI", "Artificial Intelligence Framework Act"):
        found = await seeded_run(
            "query($n: String) { laws(filter: {text: $n}) { nodes { slug } } }", n=name
        )
        assert found["laws"]["nodes"] == [{"slug": "ai-framework-act"}], name
    data = await seeded_run(
        '{ tasks(filter: {laws: ["ai-framework-act"]}) '
        "{ nodes { code strategy { plan { slug } } } } }"
    )
    plans = {n["strategy"]["plan"]["slug"] for n in data["tasks"]["nodes"]}
    codes = {n["code"] for n in data["tasks"]["nodes"]}
    assert plans == {"digital-strategy-of-korea", "msit-work-plan-2023"}
    # Each document names the law its own way; both tasks are linked to the one law.
    assert {"DSK-V-3-1-1", "MSIT23-2-2-1-2"} <= codes


async def test_budget_totals_are_sums_the_texts_support(seeded_run: Run) -> None:
    """The texts' "(2022~2026, a total of 301.8 billion won)" and "(2022~2026, a total
    of 1.02 trillion won)" add up to a total over 2022–2026; "100 billion won in 2022→ 300
    billion won in 2027" are two annual levels of one fund, never added to the totals or to
    each other."""
    data = await seeded_run(
        "{ plan: budgetSummary(groupBy: PLAN) "
        "{ key kind startYear endYear meaning total { amount currency } budgets } "
        "period: budgetSummary(groupBy: PERIOD) { key meaning total { amount } budgets } }"
    )
    assert data["plan"] == [
        {
            "key": "digital-strategy-of-korea",
            "kind": kind,
            "startYear": start,
            "endYear": end,
            "meaning": meaning,
            "total": {"amount": amount, "currency": "KRW"},
            "budgets": n,
        }
        for kind, start, end, meaning, amount, n in (
            ("ANNUAL", 2022, 2022, "annual level in 2022", "100000000000", 1),
            (
                "TOTAL",
                2022,
                2026,
                "total over 2022–2026",
                str(301_800_000_000 + 1_020_000_000_000),
                2,
            ),
            ("ANNUAL", 2027, 2027, "annual level in 2027", "300000000000", 1),
        )
    ]
    assert [(r["key"], r["meaning"], r["total"]["amount"]) for r in data["period"]] == [
        ("2022", "annual level in 2022", "100000000000"),
        ("2022/2026", "total over 2022–2026", "1321800000000"),
        ("2027", "annual level in 2027", "300000000000"),
    ]
