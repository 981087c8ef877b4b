"""Keyset pages over a nullable sort key (open-start milestones sort first, both engines)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import insert

from service.core.queries import catalog
from tests.schema.conftest import Run

Q = """query($after: String, $before: String, $first: Int, $last: Int, $dir: OrderDirection!) {
  milestones(orderBy: {field: START_DATE, direction: $dir}, first: $first, after: $after,
             last: $last, before: $before) {
    nodes { title date { start } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  } }"""


@pytest.fixture
async def with_open_starts(run: Run) -> Run:
    await run.db.execute(
        insert(catalog.milestone),
        [
            {
                "id": 90_000 + i,
                "task_id": 1,
                "position": 10 + i,
                "title": f"Open {i}",
                "date_text": "~2027",
                "edtf": "../2027",
                "start_date": None,
                "end_date": date(2027, 12, 31),
                "precision": "year",
                "kind": "deadline",
                "status": "planned",
                "revision": 0,
            }
            for i in range(4)
        ],
    )
    return run


def _key(node: dict[str, object]) -> tuple[bool, str]:
    start = node["date"]["start"]  # type: ignore[index]
    return (start is not None, start or "")


@pytest.mark.parametrize("direction", ["ASC", "DESC"])
async def test_walk_forward_then_backward(with_open_starts: Run, direction: str) -> None:
    run = with_open_starts
    forward: list[dict[str, object]] = []
    after = None
    while True:
        page = (await run(Q, first=7, after=after, dir=direction))["milestones"]
        forward += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(forward) == 24 * 2 + 4
    assert len({n["title"] for n in forward}) == len(forward)
    keys = [_key(n) for n in forward]
    assert keys == sorted(keys, reverse=direction == "DESC")
    assert (forward[0]["date"]["start"] is None) == (direction == "ASC")  # type: ignore[index]
    backward: list[dict[str, object]] = []
    before = None
    while True:
        page = (await run(Q, last=5, before=before, dir=direction))["milestones"]
        backward = page["nodes"] + backward
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]
    assert [n["title"] for n in backward] == [n["title"] for n in forward]
