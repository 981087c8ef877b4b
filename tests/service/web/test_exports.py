"""``/exports``: formats, downloads with filters, 404 and 400 answers, over real HTTP."""

from __future__ import annotations

import json

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.exporters.sample import sample_client
from tests.support.sql import count_statements

__all__ = ["sample_client"]  # the fixture, used by name


async def test_json_download_is_an_attachment(sample_client: httpx.AsyncClient) -> None:
    response = await sample_client.get("/exports/json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-disposition"] == 'attachment; filename="stratagraph.json"'
    document = response.json()
    assert [t["code"] for t in document["tasks"]] == ["DSK-I-1", "DSK-II-1", "DSK-I-1-a"]


async def test_filters_narrow_the_export_and_name_the_file(
    sample_client: httpx.AsyncClient,
) -> None:
    response = await sample_client.get("/exports/json?strategy=DSK-I&from=2024-01-01")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == (
        'attachment; filename="stratagraph-strategy-DSK-I-from-2024-01-01.json"'
    )
    document = response.json()
    assert document["selection"] == {"strategy": ["DSK-I"], "from": ["2024-01-01"]}
    assert [s["code"] for s in document["strategies"]] == ["DSK-I"]
    assert [t["code"] for t in document["tasks"]] == ["DSK-I-1", "DSK-I-1-a"]
    assert [m["title"] for m in document["milestones"]] == ["By 2027"]


async def test_unknown_format_is_404_listing_the_available_ones(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/exports/pdf")
    assert response.status_code == 404
    body = response.json()
    assert "pdf" in body["error"]
    assert "json" in body["available"]


@pytest.mark.parametrize(
    ("query", "parameter", "problem"),
    [
        ("from=yesterday", "from", "not a date"),
        ("plan=Not%20A%20Slug", "plan", "not a slug"),
        ("from=2024-02-01&to=2024-01-01", "from", "after"),
        ("colour=red", "colour", "unknown parameter"),
    ],
)
async def test_bad_filter_is_400_naming_the_parameter(
    client: httpx.AsyncClient, query: str, parameter: str, problem: str
) -> None:
    response = await client.get(f"/exports/json?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["parameter"] == parameter
    assert problem in body["problem"]


async def test_exports_index_lists_formats(client: httpx.AsyncClient) -> None:
    response = await client.get("/exports")
    assert response.status_code == 200
    formats = {f["name"]: f for f in response.json()["formats"]}
    assert formats["json"]["url"] == "http://testserver/exports/json"
    assert formats["json"]["media_type"] == "application/json"


async def test_json_schema_is_served(client: httpx.AsyncClient) -> None:
    response = await client.get("/exports/json/schema")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/schema+json"
    assert json.loads(response.content)["$schema"].endswith("2020-12/schema")


async def test_filters_accept_lists_and_ignore_blank_fields(
    sample_client: httpx.AsyncClient,
) -> None:
    response = await sample_client.get("/exports/json?strategy=DSK-I,DSK-II&plan=&technology=")
    assert response.status_code == 200
    document = response.json()
    assert document["selection"] == {"strategy": ["DSK-I", "DSK-II"]}
    assert len(document["tasks"]) == 3
    repeated = await sample_client.get("/exports/json?technology=ai&technology=6g")
    assert [t["code"] for t in repeated.json()["tasks"]] == ["DSK-I-1", "DSK-I-1-a"]


@pytest.mark.parametrize("format_name", ["json", "xlsx", "ics"])
async def test_head_answers_headers_without_running_the_export(
    sample_client: httpx.AsyncClient, engine: AsyncEngine, format_name: str
) -> None:
    get = await sample_client.get(f"/exports/{format_name}?technology=ai")
    with count_statements(engine) as log:
        head = await sample_client.head(f"/exports/{format_name}?technology=ai")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-disposition"] == get.headers["content-disposition"]
    # Only the check that the slug names a record (HEAD answers 400 as GET would), no export.
    queries = [" ".join(q.split()) for q in log.queries()]
    assert len(queries) == 1
    assert queries[0].startswith("SELECT technology.slug FROM technology WHERE technology.slug IN")


@pytest.mark.parametrize(
    ("query", "parameter", "problem"),
    [
        ("technology=blockchian", "technology", "no technology 'blockchian'; closest: blockchain"),
        ("strategy=DSK-I,DSK-VI", "strategy", "no strategy 'DSK-VI'; closest: DSK-V"),
        (
            "law=data-framework-akt",
            "law",
            "no law 'data-framework-akt'; closest: data-framework-act",
        ),
        ("match=during", "match", "'during' is not a way to match dates"),
    ],
)
async def test_misspelt_value_is_400_naming_it_and_the_closest(
    seeded_client: httpx.AsyncClient, query: str, parameter: str, problem: str
) -> None:
    for path in ("/exports/json", "/calendars/milestones.ics"):
        response = await seeded_client.get(f"{path}?{query}")
        assert response.status_code == 400, path
        assert response.json()["parameter"] == parameter
        assert response.json()["problem"].startswith(problem)


async def test_date_match_parameters_on_exports(seeded_client: httpx.AsyncClient) -> None:
    response = await seeded_client.get("/exports/json?from=2024&to=2024&match=ends")
    assert response.status_code == 200
    document = response.json()
    assert document["selection"] == {
        "from": ["2024-01-01"],
        "to": ["2024-12-31"],
        "match": ["ends"],
    }
    ends = [m["end_date"] for m in document["milestones"]]
    assert ends
    assert all(end is not None and end.startswith("2024") for end in ends)
