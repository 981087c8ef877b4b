"""Input no database may be asked about is refused at the edge, the same on both engines.

Each case reached the database before (a masked internal error on one engine or both, or a
500): global IDs and cursors carrying integers beyond a column's range, NUL characters and
lone surrogates in string arguments and variables (``search`` included), text filters longer
than SQLite's LIKE limit, and JSON bodies or variables nested thousands of levels deep.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest

from schema.relay import encode_id
from tests.schema.http_support import GRAPHQL_RESPONSE

HEADERS = {"accept": GRAPHQL_RESPONSE, "content-type": "application/json"}


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


async def _post_raw(client: httpx.AsyncClient, body: str) -> httpx.Response:
    """POST a body written by hand (JSON escapes such as \\ud800 that no encoder produces)."""
    return await client.post("/graphql", content=body.encode("ascii"), headers=HEADERS)


async def _post(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None
) -> httpx.Response:
    body = json.dumps({"query": query, "variables": variables or {}})
    return await _post_raw(client, body)


def _refused(response: httpx.Response, *fragments: str) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    body: dict[str, Any] = response.json()
    assert "data" not in body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    for fragment in fragments:
        assert fragment in error["message"]
    return error


@pytest.mark.parametrize("pk", [2**31, 2**63, -(2**63) - 1])
async def test_global_id_beyond_the_column_is_bad_user_input(
    seeded_client: httpx.AsyncClient, pk: int
) -> None:
    global_id = encode_id("Plan", pk)
    for query, variables in (
        ("query($id: ID!) { node(id: $id) { id } }", {"id": global_id}),
        ("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": [global_id]}),
    ):
        response = await _post(seeded_client, query, variables)
        assert response.status_code == 200, response.text
        [error] = response.json()["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert "is not a global ID returned by this API" in error["message"]


async def _a_cursor(client: httpx.AsyncClient, order: str) -> list[Any]:
    query = f"{{ tasks(first: 1, orderBy: {order}) {{ pageInfo {{ endCursor }} }} }}"
    response = await _post(client, query)
    cursor = response.json()["data"]["tasks"]["pageInfo"]["endCursor"]
    decoded: list[Any] = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    return decoded


@pytest.mark.parametrize("value", [2**31, 2**63, -(2**63) - 1])
async def test_cursor_beyond_the_column_is_bad_user_input(
    seeded_client: httpx.AsyncClient, value: int
) -> None:
    decoded = await _a_cursor(seeded_client, "{field: POSITION}")
    decoded[2] = value  # the position key (an Integer column)
    query = "query($after: String) { tasks(first: 1, after: $after) { nodes { code } } }"
    response = await _post(seeded_client, query, {"after": _b64(json.dumps(decoded))})
    assert response.status_code == 200, response.text
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "is not a cursor of this connection" in error["message"]


@pytest.mark.parametrize("text", ["a\x00b", "a\ud800b"])
async def test_cursor_with_an_unstorable_string_is_bad_user_input(
    seeded_client: httpx.AsyncClient, text: str
) -> None:
    decoded = await _a_cursor(seeded_client, "{field: TITLE}")
    decoded[1] = text
    query = (
        "query($after: String) "
        "{ tasks(first: 1, orderBy: {field: TITLE}, after: $after) { nodes { code } } }"
    )
    response = await _post(seeded_client, query, {"after": _b64(json.dumps(decoded))})
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_budget_amount_cursors_keep_64_bit_keys(seeded_client: httpx.AsyncClient) -> None:
    order = "orderBy: {field: AMOUNT, direction: DESC}"
    fields = "pageInfo { endCursor } nodes { amount { amount } }"
    query = f"{{ budgets(first: 2, {order}) {{ {fields} }} }}"
    response = await _post(seeded_client, query)
    data = response.json()["data"]["budgets"]
    assert int(data["nodes"][0]["amount"]["amount"]) > 2**31  # amounts exceed 32 bits
    cursor = data["pageInfo"]["endCursor"]
    query = "query($after: String) { budgets(first: 1, ORDER, after: $after) { nodes { id } } }"
    query = query.replace("ORDER", order)
    again = await _post(seeded_client, query, {"after": cursor})
    assert "errors" not in again.json(), again.text


SEARCH = "query($q: String!) { search(query: $q) { totalCount } }"
TEXT_FILTER = "query($t: String) { tasks(filter: {text: $t}) { totalCount } }"
NUL = "\\u0000"  # as written in the JSON body
SURROGATE = "\\ud800"


@pytest.mark.parametrize("query", [SEARCH, TEXT_FILTER])
@pytest.mark.parametrize(
    ("escaped", "problem"),
    [
        (NUL, "contains a NUL character (U+0000) at position 2"),
        (SURROGATE, "contains a lone surrogate (U+D800) at position 2"),
    ],
)
async def test_unstorable_characters_in_variables_are_bad_user_input(
    seeded_client: httpx.AsyncClient, query: str, escaped: str, problem: str
) -> None:
    name = "q" if "$q" in query else "t"
    body = f'{{"query": {json.dumps(query)}, "variables": {{"{name}": "AI{escaped} plan"}}}}'
    error = _refused(await _post_raw(seeded_client, body), f"Variable ${name}", problem)
    assert error["extensions"]["variable"] == name


async def test_unstorable_characters_deep_in_input_objects_are_found(
    seeded_client: httpx.AsyncClient,
) -> None:
    query = "query($f: TaskFilter) { tasks(filter: $f) { totalCount } }"
    variables = f'{{"f": {{"laws": ["ok", "x{SURROGATE}"]}}}}'
    body = f'{{"query": {json.dumps(query)}, "variables": {variables}}}'
    _refused(await _post_raw(seeded_client, body), "Variable $f.laws[1]", "lone surrogate")


@pytest.mark.parametrize(
    "query",
    [
        '{ search(query: "AI\\u0000 plan") { totalCount } }',
        '{ tasks(filter: {text: "AI\\u0000 plan"}) { totalCount } }',
        '{ plan(slug: "ai\\u0000") { title } }',
    ],
)
async def test_nul_in_string_literals_is_bad_user_input(
    seeded_client: httpx.AsyncClient, query: str
) -> None:
    error = _refused(await _post(seeded_client, query), "contains a NUL character (U+0000)")
    assert error["locations"]


async def test_a_50000_character_text_filter_is_bad_user_input(
    seeded_client: httpx.AsyncClient,
) -> None:
    response = await _post(seeded_client, TEXT_FILTER, {"t": "ab" * 25_000})
    _refused(response, "Variable $t", "is 50000 characters long; the limit is 10000")
    literal = f'{{ tasks(filter: {{text: "{"ab" * 25_000}"}}) {{ totalCount }} }}'
    _refused(await _post(seeded_client, literal), "Argument filter.text", "the limit is 10000")


async def test_a_text_filter_at_the_limit_runs(seeded_client: httpx.AsyncClient) -> None:
    response = await _post(seeded_client, TEXT_FILTER, {"t": "가" * 10_000})
    assert response.status_code == 200, response.text
    assert response.json() == {"data": {"tasks": {"totalCount": 0}}}


async def test_json_body_nested_20000_deep_is_a_400(seeded_client: httpx.AsyncClient) -> None:
    deep = "[" * 20_000 + "]" * 20_000
    body = f'{{"query": "{{ plans {{ slug }} }}", "variables": {{"x": {deep}}}}}'
    response = await _post_raw(seeded_client, body)
    assert response.status_code == 400, response.text
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert error["message"] == "The request body is nested more than 64 levels deep"


async def test_get_variables_nested_5000_deep_are_a_400(
    seeded_client: httpx.AsyncClient,
) -> None:
    params = {
        "query": "{ plans { slug } }",
        "variables": '{"x": ' + "[" * 5_000 + "]" * 5_000 + "}",
    }
    response = await seeded_client.get(
        "/graphql", params=params, headers={"accept": GRAPHQL_RESPONSE}
    )
    assert response.status_code == 400, response.text
    [error] = response.json()["errors"]
    assert error["message"] == "variables is nested more than 64 levels deep"
