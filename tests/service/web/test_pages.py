"""The page for people at ``/``, over HTTP (the browser test drives it in Chromium)."""

from __future__ import annotations

from html.parser import HTMLParser

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncConnection

from exporters.registry import load_registry
from service.core.models import Plan
from tests.support.feed_data import PLAN_TITLE, insert_feed_dataset


class Links(HTMLParser):
    """Collects hrefs, form-action buttons and the text of the page."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.actions: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"] or "")
        if tag == "button" and values.get("formaction"):
            self.actions.append(values["formaction"] or "")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Links:
    links = Links()
    links.feed(html)
    return links


async def test_page_lists_holdings_downloads_feeds_and_graphiql(
    client: httpx.AsyncClient, db: AsyncConnection
) -> None:
    await insert_feed_dataset(db)
    response = await client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = parse(response.text)
    text = " ".join(page.text)
    assert PLAN_TITLE in text  # unescaped by the parser: it was escaped in the HTML
    assert "Work plan 2023" in text
    assert "Milestones" in text
    # Every registered exporter has a button (with the filters) and a plain link.
    for name in load_registry().names:
        assert f"/exports/{name}" in page.actions
        assert f"/exports/{name}" in page.hrefs
    assert "webcal://testserver/calendars/milestones.ics" in page.hrefs
    assert "http://testserver/calendars/milestones.ics" in page.hrefs
    assert "webcal://testserver/calendars/milestones.ics?plan=plan-a" in page.hrefs
    assert "/graphql" in page.hrefs
    assert "https://example.org/press" in page.hrefs


async def test_everything_is_escaped(client: httpx.AsyncClient, db: AsyncConnection) -> None:
    ids = await insert_feed_dataset(db)
    await db.execute(
        update(Plan).where(Plan.id == ids["plan-a"]).values(title="<script>alert(1)</script>")
    )
    html = (await client.get("/", params={"strategy": '"><b>x'})).text
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '"><b>' not in html


async def test_query_parameters_prefill_the_filters(
    client: httpx.AsyncClient, db: AsyncConnection
) -> None:
    await insert_feed_dataset(db)
    html = (await client.get("/", params={"plan": "plan-b", "from": "2023-01-01"})).text
    assert '<option value="plan-b" selected>' in html
    assert 'name="from" value="2023-01-01"' in html
    assert "webcal://testserver/calendars/milestones.ics?plan=plan-b&amp;from=2023-01-01" in html


async def test_bad_query_parameters_are_explained_not_fatal(client: httpx.AsyncClient) -> None:
    response = await client.get("/", params={"from": "someday"})
    assert response.status_code == 200
    assert "from: &#x27;someday&#x27; is not a date" in response.text


async def test_empty_form_fields_are_no_filter(
    client: httpx.AsyncClient, db: AsyncConnection
) -> None:
    await insert_feed_dataset(db)
    blank = {"plan": "", "strategy": "", "technology": "", "from": "", "to": ""}
    response = await client.get("/calendars/milestones.ics", params=blank)
    assert response.status_code == 200
    assert response.text.count("BEGIN:VEVENT") == 5


async def test_empty_database(client: httpx.AsyncClient) -> None:
    response = await client.get("/")
    assert response.status_code == 200
    assert "the database is empty" in response.text
