"""Persisted (trusted) documents over HTTP, CORS, and the settings that drive them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from schema.persisted import DEFAULT_DIRECTORY, PersistedDocuments, document_id
from service.core.errors import SettingsError
from service.core.settings import Settings
from tests.schema.fixtures import insert_small_dataset
from tests.schema.http_support import GRAPHQL_RESPONSE, app_client, codes

PLANS_FILE = DEFAULT_DIRECTORY / "plans.graphql"
PLANS_TEXT = PLANS_FILE.read_text(encoding="utf-8")
PLANS_HASH = hashlib.sha256(PLANS_FILE.read_bytes()).hexdigest()
EXPECTED = {
    "data": {
        "plans": [{"slug": "plan-a", "title": "Plan A"}, {"slug": "plan-b", "title": "Plan B"}]
    }
}


def test_manifest_ids_are_sha256_of_the_file() -> None:
    documents = PersistedDocuments.load()
    assert documents.documents[f"sha256:{PLANS_HASH}"] == PLANS_TEXT
    assert document_id(PLANS_TEXT) == f"sha256:{PLANS_HASH}"


def test_manifest_from_another_folder(tmp_path: Path) -> None:
    (tmp_path / "one.graphql").write_text("{ __typename }", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a document", encoding="utf-8")
    documents = PersistedDocuments.load(tmp_path, only=True)
    assert list(documents.documents.values()) == ["{ __typename }"]
    assert documents.only


async def test_document_id_hit(client: httpx.AsyncClient, db: AsyncConnection) -> None:
    await insert_small_dataset(db)
    post = await client.post("/graphql", json={"documentId": f"sha256:{PLANS_HASH}"})
    get = await client.get("/graphql", params={"documentId": f"sha256:{PLANS_HASH}"})
    assert post.json() == EXPECTED
    assert get.json() == EXPECTED


async def test_apollo_persisted_query_hit(client: httpx.AsyncClient, db: AsyncConnection) -> None:
    await insert_small_dataset(db)
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": PLANS_HASH}}
    post = await client.post("/graphql", json={"extensions": extensions})
    get = await client.get("/graphql", params={"extensions": json.dumps(extensions)})
    assert post.json() == EXPECTED
    assert get.json() == EXPECTED


async def test_unknown_hash_is_not_found(client: httpx.AsyncClient) -> None:
    unknown = "0" * 64
    by_id = await client.post(
        "/graphql", json={"documentId": f"sha256:{unknown}"}, headers={"accept": GRAPHQL_RESPONSE}
    )
    apq = await client.post(
        "/graphql",
        json={"extensions": {"persistedQuery": {"version": 1, "sha256Hash": unknown}}},
    )
    assert by_id.status_code == 400
    assert codes(by_id) == ["PERSISTED_QUERY_NOT_FOUND"]
    assert f"sha256:{unknown}" in by_id.json()["errors"][0]["message"]
    # Apollo clients expect 200 + PERSISTED_QUERY_NOT_FOUND, then resend with the text.
    assert apq.status_code == 200
    assert codes(apq) == ["PERSISTED_QUERY_NOT_FOUND"]


async def test_apq_with_text_runs_when_hash_matches(client: httpx.AsyncClient) -> None:
    query = "{ __typename }"
    digest = hashlib.sha256(query.encode()).hexdigest()
    ok = await client.post(
        "/graphql",
        json={
            "query": query,
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}},
        },
    )
    wrong = await client.post(
        "/graphql",
        json={
            "query": query,
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "1" * 64}},
        },
    )
    assert ok.json() == {"data": {"__typename": "Query"}}
    assert codes(wrong) == ["PERSISTED_QUERY_HASH_MISMATCH"]


async def test_persisted_only_mode(engine: AsyncEngine, db: AsyncConnection) -> None:
    await insert_small_dataset(db)
    async with app_client(engine, db, graphql_persisted_only=True) as client:
        by_id = await client.post("/graphql", json={"documentId": f"sha256:{PLANS_HASH}"})
        same_text = await client.post("/graphql", json={"query": PLANS_TEXT})
        other = await client.post(
            "/graphql", json={"query": "{ plans { slug } }"}, headers={"accept": GRAPHQL_RESPONSE}
        )
        apq_text = await client.post(
            "/graphql",
            json={
                "query": "{ __typename }",
                "extensions": {
                    "persistedQuery": {
                        "version": 1,
                        "sha256Hash": hashlib.sha256(b"{ __typename }").hexdigest(),
                    }
                },
            },
        )
    assert by_id.json() == EXPECTED
    assert same_text.json() == EXPECTED
    assert other.status_code == 400
    assert codes(other) == ["PERSISTED_QUERY_REQUIRED"]
    assert "persisted documents only" in other.json()["errors"][0]["message"]
    assert codes(apq_text) == ["PERSISTED_QUERY_NOT_FOUND"]


# --- CORS -----------------------------------------------------------------------------------

ORIGIN = "https://dashboard.example.org"


async def test_cors_preflight_and_request(engine: AsyncEngine, db: AsyncConnection) -> None:
    async with app_client(engine, db, cors_origins=(ORIGIN,)) as client:
        preflight = await client.options(
            "/graphql",
            headers={
                "origin": ORIGIN,
                "access-control-request-method": "POST",
                "access-control-request-headers": "content-type",
            },
        )
        actual = await client.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"origin": ORIGIN}
        )
        foreign = await client.options(
            "/graphql",
            headers={
                "origin": "https://evil.example",
                "access-control-request-method": "POST",
                "access-control-request-headers": "content-type",
            },
        )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "content-type" in preflight.headers["access-control-allow-headers"].lower()
    assert actual.headers["access-control-allow-origin"] == ORIGIN
    assert "x-request-id" in actual.headers["access-control-expose-headers"].lower()
    assert foreign.status_code == 400
    assert "access-control-allow-origin" not in foreign.headers


async def test_no_cors_headers_without_the_setting(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"origin": ORIGIN}
    )
    assert "access-control-allow-origin" not in response.headers


# --- settings -------------------------------------------------------------------------------


def test_settings_from_env() -> None:
    settings = Settings.from_env(
        {
            "STRATAGRAPH_GRAPHQL_PERSISTED_ONLY": "true",
            "STRATAGRAPH_GRAPHIQL": "false",
            "STRATAGRAPH_GRAPHQL_MAX_DEPTH": "9",
            "STRATAGRAPH_GRAPHQL_MAX_NODES": " 500 ",
            "STRATAGRAPH_CORS_ORIGINS": f"{ORIGIN}, https://b.example",
        }
    )
    assert settings.graphql_persisted_only
    assert not settings.graphiql
    assert settings.graphql_limits == {"max_depth": 9, "max_nodes": 500}
    assert settings.cors_origins == (ORIGIN, "https://b.example")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("GRAPHQL_PERSISTED_ONLY", "maybe"),
        ("GRAPHIQL", "2"),
        ("GRAPHQL_MAX_DEPTH", "0"),
        ("GRAPHQL_MAX_TOKENS", "many"),
        ("GRAPHQL_MAX_BODY_BYTES", "-5"),
    ],
)
def test_bad_setting_names_the_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({f"STRATAGRAPH_{name}": value})
    assert raised.value.setting == f"STRATAGRAPH_{name}"
    assert repr(value) in str(raised.value)
