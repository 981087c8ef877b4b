"""Named groups of laws ("four laws", "the major five digital economy act") as records with
their members, on the curated dataset."""

from __future__ import annotations

from tests.schema.conftest import Run

FIVE = "major-five-digital-economy-acts"
FOUR = "four-laws"
GROUP = "name statedCount description members { slug } sources { quote document { slug } }"


async def test_the_major_five_digital_economy_acts_and_their_members(seeded_run: Run) -> None:
    data = await seeded_run(f'{{ lawGroup(slug: "{FIVE}") {{ slug {GROUP} }} }}')
    group = data["lawGroup"]
    assert group["name"] == "the major five digital economy act"  # as written (sic)
    assert group["statedCount"] == 5
    assert {m["slug"] for m in group["members"]} == {
        "ai-framework-act",
        "metaverse-special-act",
        "cyber-security-framework-act",
        "digital-inclusion-act",
        "data-framework-act",
    }
    assert {s["document"]["slug"] for s in group["sources"]} == {"digital-strategy-of-korea"}
    assert any("major five digital economy act*" in s["quote"] for s in group["sources"])


async def test_the_work_plans_four_laws(seeded_run: Run) -> None:
    data = await seeded_run(f'{{ lawGroup(slug: "{FOUR}") {{ {GROUP} }} }}')
    group = data["lawGroup"]
    assert (group["name"], group["statedCount"]) == ("four laws", 4)
    assert [m["slug"] for m in group["members"]] == sorted(
        [
            "digital-society-framework-act",
            "ai-framework-act",
            "metaverse-special-act",
            "digital-inclusion-act",
        ],
        key=lambda slug: {
            "digital-society-framework-act": "Digital Society Framework Act",
            "ai-framework-act": "Artificial Intelligence Framework Act",
            "metaverse-special-act": "Metaverse Special Act",
            "digital-inclusion-act": "Digital Inclusion Act",
        }[slug],
    )  # by title
    assert {s["document"]["slug"] for s in group["sources"]} == {"msit-work-plan-2023"}


async def test_every_group_has_all_the_members_it_states(seeded_run: Run) -> None:
    data = await seeded_run(
        "{ lawGroups(first: 100) { totalCount nodes { slug statedCount members { slug } } } }"
    )
    groups = data["lawGroups"]["nodes"]
    assert data["lawGroups"]["totalCount"] == 2
    assert {g["slug"] for g in groups} == {FIVE, FOUR}
    assert all(g["statedCount"] == len(g["members"]) for g in groups)


async def test_a_law_leads_to_its_groups(seeded_run: Run) -> None:
    data = await seeded_run(
        '{ ai: law(slug: "ai-framework-act") { groups { slug } } '
        'cyber: law(slug: "cyber-security-framework-act") { groups { slug } } '
        'society: law(slug: "digital-society-framework-act") { groups { slug } } '
        'network: law(slug: "network-act") { groups { slug } } }'
    )
    assert {g["slug"] for g in data["ai"]["groups"]} == {FIVE, FOUR}
    assert [g["slug"] for g in data["cyber"]["groups"]] == [FIVE]
    # Enacted "together with" the five in the press release, not one of them.
    assert [g["slug"] for g in data["society"]["groups"]] == [FOUR]
    assert data["network"]["groups"] == []


async def test_groups_filtered_by_a_member(seeded_run: Run) -> None:
    data = await seeded_run(
        '{ lawGroups(filter: {laws: ["cyber-security-framework-act"]}) { nodes { slug } } }'
    )
    assert [g["slug"] for g in data["lawGroups"]["nodes"]] == [FIVE]


async def test_an_unknown_group_or_member_slug(seeded_run: Run) -> None:
    assert (await seeded_run('{ lawGroup(slug: "no-such-group") { slug } }')) == {"lawGroup": None}
    outcome = await seeded_run.raw(
        '{ lawGroups(filter: {laws: ["ai-framework-akt"]}) { nodes { slug } } }'
    )
    assert outcome.errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "ai-framework-act" in outcome.errors[0]["message"]
