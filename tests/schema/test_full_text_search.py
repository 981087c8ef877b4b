"""Ranked full-text search on both engines: whole words, every searched text, one hit per
record with score, field and snippet; Unicode-correct matching in search and text filters."""

from __future__ import annotations

import re
import unicodedata

import pytest
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from service.core import search_index
from service.core.queries import catalog as c
from tests.schema.conftest import Run

HITS = (
    "query($q: String!, $t: [SearchType!]) { search(query: $q, types: $t, first: 100) { "
    "totalCount nodes { score field snippet node { __typename "
    "... on Task { code title description } ... on Law { slug } "
    "... on Technology { slug } ... on Milestone { title } } } } }"
)


async def test_search_ai_matches_the_word_not_maintain(seeded_run: Run) -> None:
    data = await seeded_run(HITS, q="AI")
    hits = data["search"]["nodes"]
    assert data["search"]["totalCount"] == len(hits) > 10
    assert [h["snippet"] for h in hits if not re.search(r"\bai\b", h["snippet"], re.I)] == []
    tasks = {h["node"]["code"] for h in hits if h["node"]["__typename"] == "Task"}
    assert "DSK-I-2-1" in tasks  # "(AI) Intensive investment ..."
    assert any(h["node"]["__typename"] == "Technology" for h in hits)
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)
    # "... 5G network will be built by 2024 to maintain the world’s best digital competence"
    maintain = await seeded_run(HITS, q="maintain", t=["TASK"])
    maintaining = {h["node"]["code"] for h in maintain["search"]["nodes"]}
    assert maintaining
    assert not maintaining & tasks


async def test_search_reaches_labels_codes_law_names_and_quotes(seeded_run: Run) -> None:
    code = await seeded_run(HITS, q="DSK-I-2-1", t=["TASK"])
    assert code["search"]["nodes"][0]["node"]["code"] == "DSK-I-2-1"
    assert code["search"]["nodes"][0]["field"] == "CODE"
    name = await seeded_run(HITS, q="Act on Digital Inclusiveness", t=["LAW"])
    assert name["search"]["nodes"][0]["node"]["slug"] == "digital-inclusion-act"
    assert name["search"]["nodes"][0]["field"] in ("NAME", "QUOTE")
    # "To this end, five strategies and 19 specific tasks will be carried out." cites the plan.
    quote = await seeded_run(
        '{ search(query: "19 specific tasks", types: [PLAN]) { nodes { field snippet '
        "node { ... on Plan { slug } } } } }"
    )
    [hit] = quote["search"]["nodes"]
    assert hit == {
        "field": "QUOTE",
        "snippet": "To this end, five strategies and 19 specific tasks will be carried out.",
        "node": {"slug": "digital-strategy-of-korea"},
    }
    typed = await seeded_run(HITS, q="AI", t=["TECHNOLOGY"])
    assert {h["node"]["__typename"] for h in typed["search"]["nodes"]} == {"Technology"}


async def test_search_finds_a_named_group_of_laws(seeded_run: Run) -> None:
    data = await seeded_run(
        '{ search(query: "four laws", types: [LAW_GROUP]) { nodes { field '
        "node { __typename ... on LawGroup { slug members { slug } } } } } }"
    )
    [hit] = data["search"]["nodes"]
    assert hit["field"] == "NAME"
    assert hit["node"]["__typename"] == "LawGroup"
    assert hit["node"]["slug"] == "four-laws"
    assert len(hit["node"]["members"]) == 4


async def test_one_hit_per_record(seeded_run: Run) -> None:
    data = await seeded_run(
        '{ search(query: "digital", first: 100) { totalCount nodes { node { id } } } }'
    )
    ids = [h["node"]["id"] for h in data["search"]["nodes"]]
    assert len(ids) == len(set(ids)) == 100
    assert data["search"]["totalCount"] > 100


NFD_CAFE = unicodedata.normalize("NFD", "Café")


@pytest.fixture
async def unicode_run(run: Run, db: AsyncConnection) -> Run:
    """Tasks whose texts need Unicode case folding and normalisation."""
    texts = {
        901: ("ÄRGER-Management", None),
        902: ("ΟΔΟΣ project", "Οδηγός"),
        903: ("İstanbul office", None),
        904: (f"{NFD_CAFE} digital", None),
        905: ("Straße works", None),
    }
    await db.execute(
        insert(c.task),
        [
            {
                "id": task_id,
                "code": f"U-{task_id}",
                "strategy_id": 1,
                "position": task_id,
                "kind": "task_statement",
                "depth": 1,
                "outline_position": task_id,
                "title": title,
                "description": description,
            }
            for task_id, (title, description) in texts.items()
        ],
    )
    await search_index.refresh(db)
    return run


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("ärger", "U-901"),
        ("οδος", "U-902"),  # final sigma: "ΟΔΟΣ" folds to the same word as "οδος"
        ("ΟΔΌΣ".replace("Ό", "Ο"), "U-902"),
        ("İSTANBUL", "U-903"),
        (unicodedata.normalize("NFC", "café"), "U-904"),  # composed query, decomposed text
        ("STRASSE", "U-905"),
    ],
)
async def test_unicode_case_and_normal_forms_match_in_search_and_filters(
    unicode_run: Run, query: str, code: str
) -> None:
    found = await unicode_run(HITS, q=query, t=["TASK"])
    assert [h["node"]["code"] for h in found["search"]["nodes"]] == [code]
    filtered = await unicode_run(
        "query($t: String) { tasks(filter: {text: $t}) { nodes { code } } }", t=query
    )
    assert [n["code"] for n in filtered["tasks"]["nodes"]] == [code]
