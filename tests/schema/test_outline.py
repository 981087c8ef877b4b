"""The typed outline on the curated dataset: what each item is in its text, its depth, its
label as written with a normalised number, filters by kind, and outline order by default."""

from __future__ import annotations

import pytest

from service.core.models import TaskKind
from service.core.outline import label_number, outline_positions, task_kind
from tests.schema.conftest import Run

TASK = "query($c: String!) { task(code: $c) { code label kind depth number } }"


@pytest.mark.parametrize(
    ("code", "label", "kind", "depth", "number"),
    [
        ("DSK-I-2", None, "TASK_STATEMENT", 1, None),
        ("DSK-I-2-1", "(AI)", "INITIATIVE", 2, None),
        ("DSK-I-2-1-1", "*", "FOOTNOTE", 3, 1),
        ("DSK-I-2-1-3", "**", "FOOTNOTE", 3, 2),
        ("MSIT23-1-3", "③", "CORE_TASK", 1, 3),
        ("MSIT23-1-3-2", "(6G)", "INITIATIVE", 2, None),
    ],
)
async def test_each_item_says_what_it_is(
    seeded_run: Run, code: str, label: str | None, kind: str, depth: int, number: int | None
) -> None:
    data = await seeded_run(TASK, c=code)
    assert data["task"] == {
        "code": code,
        "label": label,
        "kind": kind,
        "depth": depth,
        "number": number,
    }


async def test_filters_by_kind_and_depth(seeded_run: Run) -> None:
    data = await seeded_run(
        "{ core: tasks(filter: {kinds: [CORE_TASK]}) { nodes { code number } } "
        "laws: tasks(filter: {kinds: [LIST_ITEM]}) { nodes { label number } } "
        "table: tasks(filter: {kinds: [TABLE_COLUMN, TABLE_ITEM]}) { totalCount } "
        'deep: tasks(filter: {depth: 3, plans: ["msit-work-plan-2023"]}) { nodes { kind } } }'
    )
    core = data["core"]["nodes"]
    assert len(core) == 8
    assert all(n["code"].startswith("MSIT23-") for n in core)
    assert sorted(n["number"] for n in core) == list(range(1, 9))  # ①–⑧
    assert [(n["label"], n["number"]) for n in data["laws"]["nodes"]] == [
        ("(i)", 1),
        ("(ii)", 2),
        ("(iii)", 3),
        ("(iv)", 4),
    ]
    assert data["table"]["totalCount"] > 0
    assert {n["kind"] for n in data["deep"]["nodes"]} == {"LIST_ITEM"}


async def test_default_order_reads_the_outline_top_to_bottom(seeded_run: Run) -> None:
    data = await seeded_run(
        '{ strategy(code: "DSK-I") { tasks(includeSubtasks: true, first: 100) '
        "{ nodes { code depth parent { code } } } } }"
    )
    nodes = data["strategy"]["tasks"]["nodes"]
    codes = [n["code"] for n in nodes]
    assert codes[:4] == ["DSK-I-1", "DSK-I-1-1", "DSK-I-1-2", "DSK-I-2"]
    seen: set[str] = set()
    for node in nodes:  # every sub-item comes after its parent
        if node["parent"]:
            assert node["parent"]["code"] in seen
        seen.add(node["code"])


def test_the_outline_rule() -> None:
    assert task_kind(None, 1) is TaskKind.TASK_STATEMENT
    assert task_kind("⑧", 1) is TaskKind.CORE_TASK
    assert task_kind("①", 3) is TaskKind.FOOTNOTE
    assert task_kind("※", 2) is TaskKind.FOOTNOTE
    assert task_kind("•", 3) is TaskKind.TABLE_ITEM
    assert task_kind(None, 2) is TaskKind.TABLE_COLUMN
    assert task_kind("(iv)", 3) is TaskKind.LIST_ITEM
    assert task_kind("(Investment and startup)", 2) is TaskKind.INITIATIVE
    assert [
        label_number(x) for x in ("⑥", "(iii)", "***", "【StrategyⅣ】", "Task 12", "(AI)", "•")
    ] == [
        6,
        3,
        3,
        4,
        12,
        None,
        None,
    ]
    rows = [(1, 1, None, 2), (2, 1, None, 1), (3, 1, 2, 1), (4, 1, 3, 1), (5, 2, None, 1)]
    assert outline_positions(rows) == {2: (1, 1), 3: (2, 2), 4: (3, 3), 1: (1, 4), 5: (1, 1)}
