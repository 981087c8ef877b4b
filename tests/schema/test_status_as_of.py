"""Statuses hold as stated in a document on its date: every record with a status says which
day that is (issue 11, point 7), on the curated dataset."""

from __future__ import annotations

import graphql
import strawberry

from tests.schema.conftest import Run


def test_every_type_with_a_status_says_the_day_it_holds_as_of(schema: strawberry.Schema) -> None:
    sdl = graphql.build_schema(schema.as_str())
    with_status = {
        name
        for name, kind in sdl.type_map.items()
        if isinstance(kind, graphql.GraphQLObjectType) and "status" in kind.fields
    }
    assert {"Law", "Milestone"} <= with_status
    for name in with_status:
        fields = sdl.type_map[name].fields  # type: ignore[union-attr]
        assert "statusAsOf" in fields, name
        assert str(fields["statusAsOf"].type) == "Date", name


async def test_a_milestone_status_holds_as_of_its_plans_announcement(seeded_run: Run) -> None:
    data = await seeded_run(
        "{ milestones(first: 100) { totalCount nodes { status statusAsOf "
        "task { strategy { plan { slug announcedOn } } } } } }"
    )
    nodes = data["milestones"]["nodes"]
    assert data["milestones"]["totalCount"] == len(nodes)
    as_of = {(n["task"]["strategy"]["plan"]["slug"], n["statusAsOf"]) for n in nodes}
    # The press release of 2022-09-28 and the work plan announced on 2022-12-28.
    assert as_of == {
        ("digital-strategy-of-korea", "2022-09-28"),
        ("msit-work-plan-2023", "2022-12-28"),
    }
    assert all(n["statusAsOf"] == n["task"]["strategy"]["plan"]["announcedOn"] for n in nodes)
