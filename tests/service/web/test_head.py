"""HEAD answers carry GET's headers with a true Content-Length, or none where only making
the content would tell it (exports and feeds stream)."""

from __future__ import annotations

import httpx
import pytest

BODIED = ["/", "/healthz", "/schema.graphql", "/graphql?query=%7Bplans%7Bslug%7D%7D"]
STREAMED = ["/exports/xlsx", "/exports/json", "/exports/ics", "/calendars/milestones.ics"]


@pytest.mark.parametrize("path", BODIED)
async def test_head_length_is_the_get_length(seeded_client: httpx.AsyncClient, path: str) -> None:
    identity = {"Accept-Encoding": "identity"}  # the length of the bytes as they are
    get = await seeded_client.get(path, headers=identity)
    head = await seeded_client.head(path, headers=identity)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == str(len(get.content))


@pytest.mark.parametrize("path", STREAMED)
async def test_head_of_a_stream_sends_no_false_length(
    seeded_client: httpx.AsyncClient, path: str
) -> None:
    get = await seeded_client.get(path)
    head = await seeded_client.head(path)
    assert head.status_code == get.status_code == 200
    assert len(get.content) > 0
    assert "content-length" not in head.headers  # it was "0"
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-disposition"] == get.headers["content-disposition"]
