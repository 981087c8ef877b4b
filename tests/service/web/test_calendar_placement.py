"""The curated dataset's feed as calendars show it: by default no banners, on request spans;
the same UIDs in both, and a higher SEQUENCE wherever a milestone's dates moved."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from tests.support.ics import parse_icaljs, parse_python

FEED = "/calendars/milestones.ics"
MONTH = timedelta(days=31)


def events(body: bytes) -> dict[str, Any]:
    return {str(event["UID"]): event for event in parse_python(body).walk("VEVENT")}


def length(event: Any) -> timedelta:
    start: date = event.decoded("DTSTART")
    end: date = event.decoded("DTEND")
    return end - start


async def test_no_event_is_longer_than_a_month_by_default(
    seeded_client: httpx.AsyncClient,
) -> None:
    response = await seeded_client.get(FEED)
    assert response.status_code == 200
    placed = events(response.content)
    assert len(placed) >= 79  # every milestone, periods twice
    assert max(length(event) for event in placed.values()) <= MONTH
    assert all(length(event) == timedelta(days=1) for event in placed.values())
    # The date as written is in every summary.
    assert all(str(event["SUMMARY"]).endswith(")") for event in placed.values())
    js = parse_icaljs(response.content)["events"]
    assert max(event["days"] for event in js) == 1


async def test_spans_on_request_keep_the_uids_and_sequence_rises_where_dates_moved(
    seeded_client: httpx.AsyncClient,
) -> None:
    placed = events((await seeded_client.get(FEED)).content)
    spanned = events((await seeded_client.get(FEED, params={"spans": "1"})).content)
    assert sum(length(event) > timedelta(days=366) for event in spanned.values()) >= 10
    assert set(spanned) <= set(placed)
    extra = set(placed) - set(spanned)
    assert extra
    assert all(uid.endswith("-end@stratagraph.invalid") for uid in extra)
    moved = 0
    for uid, banner in spanned.items():
        day = placed[uid]
        same_dates = (day.decoded("DTSTART"), day.decoded("DTEND")) == (
            banner.decoded("DTSTART"),
            banner.decoded("DTEND"),
        )
        if same_dates:
            assert day.decoded("SEQUENCE") == banner.decoded("SEQUENCE"), uid
        else:
            moved += 1
            assert day.decoded("SEQUENCE") > banner.decoded("SEQUENCE"), uid
    assert moved >= 30


async def test_spans_is_its_own_feed_with_its_own_etag(seeded_client: httpx.AsyncClient) -> None:
    placed = await seeded_client.get(FEED)
    spanned = await seeded_client.get(FEED, params={"spans": "yes"})
    assert placed.headers["etag"] != spanned.headers["etag"]
    again = await seeded_client.get(
        FEED, params={"spans": "true"}, headers={"If-None-Match": spanned.headers["etag"]}
    )
    assert again.status_code == 304
    assert (await seeded_client.get(FEED, params={"spans": "0"})).content == placed.content


@pytest.mark.parametrize("params", [{"spans": "maybe"}, [("spans", "1"), ("spans", "0")]])
async def test_a_bad_spans_value_is_a_400_naming_it(
    seeded_client: httpx.AsyncClient, params: Any
) -> None:
    response = await seeded_client.get(FEED, params=params)
    assert response.status_code == 400
    assert response.json()["parameter"] == "spans"
