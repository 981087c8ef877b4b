"""The pages as a way to read the data, over HTTP: plans → strategies → tasks with their
milestones, budgets, targets, laws and quotes; a page per task and per law; the filters; the
timeline picture; links only to web pages; Enter shows rather than downloads."""

from __future__ import annotations

from html.parser import HTMLParser

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from service.core.dataset_filter import DatasetFilter
from service.core.models import Document
from service.core.plan_tree import read_plan_tree
from tests.support.feed_data import insert_feed_dataset


class Page(HTMLParser):
    """Tags with their attributes, and the text, of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def hrefs(self) -> list[str]:
        return [a.get("href") or "" for tag, a in self.tags if tag == "a"]

    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


async def test_home_shows_plans_strategies_tasks_and_their_sources(
    seeded_client: httpx.AsyncClient,
) -> None:
    response = await seeded_client.get("/")
    assert response.status_code == 200
    page = parse(response.text)
    text = page.all_text()
    assert "Digital Strategy of Korea" in text
    assert "World’s best digital capabilities" in text  # a strategy
    assert "DSK-I-1" in text  # a task code
    assert "From 2023" in text  # a milestone's date as written
    assert "a total of 301.8 billion won" in text  # a budget as written
    assert "From 2023, Korea will focus its investment on R&D" in text  # a quote
    hrefs = page.hrefs()
    assert "/tasks/DSK-I-1" in hrefs
    assert any(href.startswith("/laws/") for href in hrefs)
    assert "<script" not in response.text  # works without JavaScript: there is none


async def test_the_timeline_is_an_svg_with_a_lane_per_strategy_and_linked_bars(
    seeded_client: httpx.AsyncClient,
) -> None:
    html = (await seeded_client.get("/")).text
    start = html.index("<svg")
    svg = html[start : html.index("</svg>", start)]
    page = parse(svg)
    lanes = [a for tag, a in page.tags if tag == "g" and a.get("class") == "lane"]
    bars = [a for tag, a in page.tags if tag == "a" and "milestone" in (a.get("class") or "")]
    assert len(lanes) >= 7  # strategies that have milestones
    assert len(bars) == 79  # every milestone of the curated data
    assert all((bar.get("href") or "").startswith("/tasks/") for bar in bars)
    assert all("#milestone-" in (bar.get("href") or "") for bar in bars)
    assert any("open-start" in (bar.get("class") or "") for bar in bars)  # "by 2027"
    assert any("open-end" in (bar.get("class") or "") for bar in bars)  # "from 2023"
    assert all(bar.get("aria-label") for bar in bars)
    years = [t for t in page.text if t.strip().isdigit()]
    assert years[0] <= "2022" <= years[-1]


def plans_section(html: str) -> str:
    """The text of the plans section (choice lists and feed links name every strategy)."""
    start = html.index('<section aria-labelledby="plans">')
    return parse(
        html[start : html.index("</section>", html.index('id="calendars"') - 200)]
    ).all_text()


async def test_a_filter_narrows_the_page(seeded_client: httpx.AsyncClient) -> None:
    body = plans_section(
        (await seeded_client.get("/", params={"plan": "msit-work-plan-2023"})).text
    )
    assert "MSIT23-1" in body
    assert "World’s best digital capabilities" not in body
    one = plans_section((await seeded_client.get("/", params={"strategy": "DSK-II"})).text)
    assert "Burgeoning digital economy" in one
    assert "Digitally inclusive society" not in one


async def test_a_task_page_has_its_milestones_quotes_and_a_timeline(
    seeded_client: httpx.AsyncClient,
) -> None:
    response = await seeded_client.get("/tasks/DSK-I-1-1")
    assert response.status_code == 200
    page = parse(response.text)
    ids = {a.get("id") for _, a in page.tags}
    assert "milestone-DSK-I-1-1-1" in ids  # where the timeline's bar lands
    assert "From 2023, Korea will focus its investment on R&D" in page.all_text()
    assert "<svg" in response.text
    assert "/?plan=digital-strategy-of-korea" in page.hrefs()  # back to its plan


async def test_a_law_page_has_its_names_status_and_tasks(seeded_client: httpx.AsyncClient) -> None:
    response = await seeded_client.get("/laws/bill-of-digital-rights")
    assert response.status_code == 200
    page = parse(response.text)
    assert any(href.startswith("/tasks/") for href in page.hrefs())
    assert "Status" in page.all_text()


async def test_unknown_tasks_and_laws_are_404_pages(seeded_client: httpx.AsyncClient) -> None:
    for path in ("/tasks/NOPE-1", "/laws/no-such-law"):
        response = await seeded_client.get(path)
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")
        assert "Not found" in response.text


async def test_only_web_urls_become_links(client: httpx.AsyncClient, db: AsyncConnection) -> None:
    await insert_feed_dataset(db)
    await db.execute(update(Document).values(url="javascript:alert(document.domain)"))
    html = (await client.get("/")).text
    assert "javascript:" not in html.replace("Fixture press release", "")
    assert "Fixture press release" in html  # still named, as text


async def test_enter_in_the_form_shows_the_selection_instead_of_downloading(
    client: httpx.AsyncClient,
) -> None:
    page = parse((await client.get("/")).text)
    forms = [a for tag, a in page.tags if tag == "form"]
    assert forms[0]["action"] == "/"
    buttons = [a for tag, a in page.tags if tag == "button" and a.get("type") == "submit"]
    assert buttons[0].get("formaction") is None  # the first (default) button: Show
    assert all((b.get("formaction") or "").startswith("/exports/") for b in buttons[1:])


async def test_subscription_links_per_strategy_and_technology_and_help(
    seeded_client: httpx.AsyncClient,
) -> None:
    page = parse((await seeded_client.get("/")).text)
    hrefs = page.hrefs()
    assert "webcal://testserver/calendars/milestones.ics?strategy=DSK-I" in hrefs
    assert "http://testserver/calendars/milestones.ics?technology=ai" in hrefs
    assert "http://testserver/calendars/milestones.ics?spans=1" in hrefs
    text = page.all_text()
    assert "Google ignores webcal: links" in text
    for app in ("Google Calendar", "Apple Calendar", "Outlook"):
        assert app in text


async def test_a_large_selection_is_cut_to_a_bounded_page(
    seeded_sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with seeded_sessions() as session:
        tree = await read_plan_tree(session, DatasetFilter(), limit=10)
    assert tree.tasks_shown == 10
    assert tree.tasks_selected > 10
    shown = sum(1 for _ in tree.milestones())
    assert shown < 79
    # Only the strategies the shown tasks belong to.
    assert {s.code for s in tree.strategies()} == {
        task.strategy_code for s in tree.strategies() for task in s.tasks
    }


async def test_a_target_shows_its_date_as_written(seeded_client: httpx.AsyncClient) -> None:
    text = parse((await seeded_client.get("/tasks/DSK-I-4-2-1")).text).all_text()
    assert "1,150 people in 2022" in text  # "will receive support in 2022", not "by 2022"
    assert "by 2022" not in text
