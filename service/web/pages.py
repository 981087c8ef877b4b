"""``GET /``: a page for people — what the data holds, downloads, calendar feeds, GraphiQL.

Plain server-rendered HTML with no scripts and no external assets. Every value that comes
from the database, the registry or the request goes through ``html.escape``. The download
buttons come from the exporter registry, so a plugin's format appears here by itself.
Query parameters (``/?plan=...``, as linked from calendar events) pre-fill the filters.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from html import escape
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse

from exporters.ics import FEED_PATH
from exporters.registry import Registry
from service.core.dataset_filter import (
    DatasetFilter,
    DatasetFilterError,
    filter_from_params,
    filter_to_params,
)
from service.core.overview import Overview, PlanSummary, dataset_overview
from service.web.runtime import runtime_of
from service.web.urls import public_base_url

STYLE = """
:root { color-scheme: light dark; --accent: #0b5cad; }
body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
section { margin-top: 2rem; }
table { border-collapse: collapse; }
th, td { text-align: left; padding: .25rem .75rem .25rem 0; vertical-align: top; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
form { display: grid; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); gap: .75rem; }
label { display: flex; flex-direction: column; font-weight: 600; }
input, select, button { font: inherit; padding: .3rem; }
.actions { grid-column: 1 / -1; display: flex; flex-wrap: wrap; gap: .5rem; }
button { background: var(--accent); color: white; border: 0; border-radius: .3rem;
  padding: .5rem .9rem; cursor: pointer; }
button:focus-visible, a:focus-visible { outline: 3px solid orange; outline-offset: 2px; }
.hint { color: GrayText; font-size: .9rem; }
.error { border-left: 4px solid crimson; padding-left: .5rem; }
"""


async def home(request: Request) -> HTMLResponse:
    runtime = runtime_of(request)
    registry: Registry = request.app.state.exporters
    problem = None
    try:
        dataset_filter = filter_from_params(request.query_params.multi_items())
    except DatasetFilterError as error:
        dataset_filter, problem = DatasetFilter(), str(error)
    async with runtime.sessions() as session:
        overview = await dataset_overview(session)
    page = render_home(overview, registry, dataset_filter, public_base_url(request), problem)
    return HTMLResponse(page, headers={"Cache-Control": "no-cache"})


def render_home(
    overview: Overview,
    registry: Registry,
    dataset_filter: DatasetFilter,
    base_url: str,
    problem: str | None = None,
) -> str:
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>stratagraph — national digital-strategy data</title>",
        f"<style>{STYLE}</style></head><body>",
        "<header><h1>stratagraph</h1>",
        "<p>Plans, strategies, tasks, milestones, budgets and laws of national digital "
        "strategies, with the quotes that support them.</p></header><main>",
        _holdings(overview),
        _downloads(overview, registry, dataset_filter, problem),
        _calendars(overview, dataset_filter, base_url),
        _api(),
        "</main></body></html>",
    ]
    return "\n".join(parts)


def _holdings(overview: Overview) -> str:
    counts = "".join(
        f'<tr><th scope="row">{escape(name.capitalize())}</th>'
        f'<td class="number">{count:,}</td></tr>'
        for name, count in overview.counts.items()
    )
    updated = (
        f'<time datetime="{overview.last_update.isoformat()}">'
        f"{overview.last_update:%Y-%m-%d %H:%M} UTC</time>"
        if overview.last_update
        else "never (the database is empty)"
    )
    plans = "".join(_plan(plan) for plan in overview.plans) or "<p>No plans yet.</p>"
    return (
        '<section aria-labelledby="holdings"><h2 id="holdings">What the data holds</h2>'
        f'<table><caption class="hint">Records</caption><tbody>{counts}</tbody></table>'
        f"<p>Last update: {updated}.</p><h3>Plans</h3>{plans}</section>"
    )


def _plan(plan: PlanSummary) -> str:
    source = (
        f'<a href="{escape(plan.document_url)}">{escape(plan.document_title)}</a>'
        if plan.document_url
        else escape(plan.document_title)
    )
    facts = [f"{plan.strategies} strateg{'y' if plan.strategies == 1 else 'ies'}"]
    if plan.announced_on:
        facts.insert(0, f"announced {_date(plan.announced_on)}")
    if plan.milestones_from and plan.milestones_to:
        facts.append(f"milestones {_date(plan.milestones_from)} to {_date(plan.milestones_to)}")
    return (
        f'<article id="plan-{escape(plan.slug)}"><h4>{escape(plan.title)}</h4>'
        f"<p>{', '.join(facts)}. Source: {source}. "
        f"Filter value: <code>{escape(plan.slug)}</code></p></article>"
    )


def _date(value: date) -> str:
    return f'<time datetime="{value.isoformat()}">{value.isoformat()}</time>'


def _downloads(
    overview: Overview, registry: Registry, dataset_filter: DatasetFilter, problem: str | None
) -> str:
    error = (
        f'<p class="error" role="alert">Filter ignored: {escape(problem)}</p>' if problem else ""
    )
    buttons = "".join(
        f'<button type="submit" formaction="/exports/{escape(exporter.name)}" '
        f'title="{escape(exporter.description)}">'
        f"{escape(exporter.title)} (.{escape(exporter.file_extension)})</button>"
        for exporter in registry
    )
    links = "".join(
        f'<li><a href="/exports/{escape(exporter.name)}" download>'
        f"{escape(exporter.title)}</a> — {escape(exporter.description)}</li>"
        for exporter in registry
    )
    chosen = dataset_filter.plans[0] if dataset_filter.plans else ""
    plan_options = _options(((p.slug, p.title) for p in overview.plans), chosen, "All plans")
    technology_options = _options(
        overview.technologies,
        dataset_filter.technologies[0] if dataset_filter.technologies else "",
        "All technologies",
    )
    strategy_list = "".join(
        f'<option value="{escape(code)}">{escape(title)}</option>'
        for code, title in overview.strategies
    )
    return (
        '<section aria-labelledby="downloads"><h2 id="downloads">Download</h2>'
        f"{error}<p>Choose filters (all optional), then a format.</p>"
        '<form method="get" action="/exports">'
        f'<label>Plan<select name="plan">{plan_options}</select></label>'
        '<label>Strategy code<input name="strategy" list="strategy-codes" '
        f'value="{escape(dataset_filter.strategies[0] if dataset_filter.strategies else "")}" '
        'placeholder="e.g. DSK-I"></label>'
        f'<datalist id="strategy-codes">{strategy_list}</datalist>'
        f'<label>Technology<select name="technology">{technology_options}</select></label>'
        f'<label>From<input type="date" name="from" '
        f'value="{_iso(dataset_filter.date_from)}"></label>'
        f'<label>To<input type="date" name="to" value="{_iso(dataset_filter.date_to)}"></label>'
        f'<div class="actions">{buttons}</div></form>'
        f"<h3>Whole dataset</h3><ul>{links}</ul></section>"
    )


def _options(choices: Iterable[tuple[str, str]], chosen: str, everything: str) -> str:
    options = [f'<option value="">{escape(everything)}</option>']
    for value, label in choices:
        selected = " selected" if value == chosen else ""
        options.append(f'<option value="{escape(value)}"{selected}>{escape(label)}</option>')
    return "".join(options)


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def feed_links(base_url: str, dataset_filter: DatasetFilter) -> tuple[str, str]:
    """``(https://..., webcal://...)`` for the feed of ``dataset_filter``."""
    query = urlencode(filter_to_params(dataset_filter))
    https = f"{base_url}{FEED_PATH}" + (f"?{query}" if query else "")
    return https, "webcal://" + https.split("://", 1)[1]


def _calendars(overview: Overview, dataset_filter: DatasetFilter, base_url: str) -> str:
    feeds = [("All milestones" if dataset_filter.is_everything else "Milestones of this selection",
              dataset_filter)]  # fmt: skip
    feeds += [(plan.title, DatasetFilter(plans=(plan.slug,))) for plan in overview.plans]
    items = []
    for label, feed_filter in feeds:
        https, webcal = feed_links(base_url, feed_filter)
        items.append(
            f"<li>{escape(label)}: "
            f'<a href="{escape(webcal)}">subscribe (webcal)</a> · '
            f'<a href="{escape(https)}">https link</a></li>'
        )
    return (
        '<section aria-labelledby="calendars"><h2 id="calendars">Calendar feeds</h2>'
        "<p>Subscribe in Google, Apple or Outlook calendars: each milestone is an all-day "
        "event. Feeds take the same filters as downloads.</p>"
        f"<ul>{''.join(items)}</ul></section>"
    )


def _api() -> str:
    return (
        '<section aria-labelledby="api"><h2 id="api">API</h2>'
        '<p><a href="/graphql">GraphiQL</a>: explore the GraphQL API in the browser. '
        'Schema: <a href="/schema.graphql">schema.graphql</a>. '
        'Formats as JSON: <a href="/exports">/exports</a>.</p></section>'
    )
