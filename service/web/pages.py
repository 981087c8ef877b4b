"""``GET /``, ``/tasks/{code}``, ``/laws/{slug}``: the data as pages to read.

Server-rendered HTML with no scripts and no external assets: it works without JavaScript, on
a phone, and under the Content-Security-Policy. ``/`` shows the plans → strategies → tasks
the filters select (the same filters as downloads and feeds), a timeline picture of their
milestones, downloads of the selection and calendar subscriptions. The form's first button
shows the selection here, so pressing Enter never starts a download.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
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
from service.core.overview import Overview, dataset_overview
from service.core.plan_tree import (
    MilestoneItem,
    PlanTree,
    StrategyItem,
    milestones_by_strategy,
    read_law,
    read_plan_tree,
    read_task,
)
from service.core.settings import Settings
from service.web.html_parts import layout
from service.web.plan_view import law_html, milestone_href, plans_html, task_html
from service.web.runtime import runtime_of
from service.web.timeline import Lane, legend, timeline_svg
from service.web.urls import public_base_url

NO_CACHE = {"Cache-Control": "no-cache"}


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
        tree = await read_plan_tree(session, dataset_filter)
    page = render_home(
        overview,
        tree,
        registry,
        dataset_filter,
        public_base_url(request),
        problem,
        api=ApiLinks.of(runtime.settings),
    )
    return HTMLResponse(page, headers=NO_CACHE)


async def task_page(request: Request) -> HTMLResponse:
    code = request.path_params["code"]
    runtime = runtime_of(request)
    api = ApiLinks.of(runtime.settings)
    async with runtime.sessions() as session:
        found = await read_task(session, code)
    if found is None:
        return _not_found(f"There is no task with the code {code!r}.", api)
    plan, task = found
    strategy = plan.strategies[0]
    lanes = _lanes(milestones_by_strategy([plan]))
    body = (
        _top_nav(api)
        + '<main id="main">'
        + f'<p class="breadcrumb"><a href="/?plan={escape(plan.slug)}">{escape(plan.title)}</a>'
        + f' › <a href="/?strategy={escape(strategy.code)}">{escape(strategy.code)} '
        + f"{escape(strategy.title)}</a></p>"
        + task_html(task, 1, linked=False)
        + _timeline_section(lanes, level=2)
        + "</main>"
    )
    return HTMLResponse(layout(f"{task.code} — stratagraph", body), headers=NO_CACHE)


async def law_page(request: Request) -> HTMLResponse:
    slug = request.path_params["slug"]
    runtime = runtime_of(request)
    api = ApiLinks.of(runtime.settings)
    async with runtime.sessions() as session:
        law = await read_law(session, slug)
    if law is None:
        return _not_found(f"There is no law with the slug {slug!r}.", api)
    body = _top_nav(api) + f'<main id="main">{law_html(law)}</main>'
    return HTMLResponse(layout(f"{law.title} — stratagraph", body), headers=NO_CACHE)


def _not_found(message: str, api: ApiLinks) -> HTMLResponse:
    body = (
        _top_nav(api) + f'<main id="main"><h1>Not found</h1><p>{escape(message)}</p>'
        '<p><a href="/">See every plan</a>.</p></main>'
    )
    return HTMLResponse(layout("Not found — stratagraph", body), status_code=404)


@dataclass(frozen=True)
class ApiLinks:
    """Which of the API's browser views the pages may link to: with introspection off
    (the production switch) GraphiQL and ``/schema.graphql`` are not served, so not linked."""

    graphiql: bool
    schema: bool

    @classmethod
    def of(cls, settings: Settings) -> ApiLinks:
        shown = settings.introspection
        return cls(graphiql=settings.graphiql and shown, schema=shown)


def _top_nav(api: ApiLinks) -> str:
    graphiql = ' <a href="/graphql">GraphiQL</a>' if api.graphiql else ""
    return (
        '<header class="top"><a href="/" class="home">stratagraph</a> '
        '<nav aria-label="Site"><a href="/#plans">Plans</a> <a href="/#timeline">Timeline</a> '
        '<a href="/#downloads">Download</a> <a href="/#calendars">Calendars</a>'
        f"{graphiql}</nav></header>"
    )


def render_home(
    overview: Overview,
    tree: PlanTree,
    registry: Registry,
    dataset_filter: DatasetFilter,
    base_url: str | None,
    problem: str | None = None,
    *,
    api: ApiLinks,
) -> str:
    body = [
        "<header><h1>stratagraph</h1>",
        "<p>Plans, strategies, tasks, milestones, budgets and laws of national digital "
        "strategies, with the quotes that support them.</p>",
        '<nav aria-label="Sections"><a href="#plans">Plans</a> · <a href="#timeline">Timeline'
        '</a> · <a href="#downloads">Download</a> · <a href="#calendars">Calendars</a> · '
        '<a href="#api">API</a></nav></header><main id="main">',
        _filters(overview, registry, dataset_filter, problem),
        _holdings(overview),
        _timeline_section(_lanes(tree.milestones()), level=2),
        _plans_section(tree, dataset_filter),
        _calendars(overview, dataset_filter, base_url),
        _api(api),
        "</main>",
    ]
    return layout(
        "stratagraph — national digital-strategy data",
        "".join(body),
        description="National digital-strategy plans with their sources",
    )


def _lanes(milestones: Iterable[tuple[StrategyItem, MilestoneItem]]) -> list[Lane]:
    by_strategy: dict[str, tuple[StrategyItem, list[MilestoneItem]]] = {}
    for strategy, milestone in milestones:
        by_strategy.setdefault(strategy.code, (strategy, []))[1].append(milestone)
    return [Lane(s.code, s.title, items) for s, items in by_strategy.values()]


def _timeline_section(lanes: list[Lane], level: int) -> str:
    picture = timeline_svg(lanes, milestone_href)
    if not picture:
        return ""
    return (
        f'<section aria-labelledby="timeline"><h{level} id="timeline">Timeline</h{level}>'
        '<p class="hint">One lane per strategy, years across; each bar is a milestone over the '
        "span its date covers. Select a bar to open its task.</p>"
        f'<div class="timeline" tabindex="0" role="region" aria-label="Timeline picture, '
        f'scrolls sideways">{picture}</div>{legend()}</section>'
    )


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
    return (
        '<section aria-labelledby="holdings"><h2 id="holdings">What the data holds</h2>'
        f'<table><caption class="hint">Records</caption><tbody>{counts}</tbody></table>'
        f"<p>Last update: {updated}.</p></section>"
    )


def _plans_section(tree: PlanTree, dataset_filter: DatasetFilter) -> str:
    scope = "" if dataset_filter.is_everything else " (this selection)"
    if not tree.plans:
        content = "<p>No plans yet.</p>" if dataset_filter.is_everything else "<p>Nothing.</p>"
    else:
        content = plans_html(tree.plans, heading_level=3)
    note = ""
    if tree.tasks_shown < tree.tasks_selected:
        note = (
            f'<p class="note" role="status">Showing the first {tree.tasks_shown:,} of '
            f"{tree.tasks_selected:,} tasks: narrow the filters above, or download the "
            "selection.</p>"
        )
    return (
        f'<section aria-labelledby="plans"><h2 id="plans">Plans{scope}</h2>{note}{content}'
        "</section>"
    )


def _filters(
    overview: Overview, registry: Registry, dataset_filter: DatasetFilter, problem: str | None
) -> str:
    error = (
        f'<p class="error" role="alert">Filter ignored: {escape(problem)}</p>' if problem else ""
    )
    downloads = "".join(
        f'<button type="submit" formaction="/exports/{escape(exporter.name)}" '
        f'title="{escape(exporter.description)}">'
        f"Download {escape(exporter.title)} (.{escape(exporter.file_extension)})</button>"
        for exporter in registry
    )
    links = "".join(
        f'<li><a href="/exports/{escape(exporter.name)}" download>'
        f"{escape(exporter.title)}</a> — {escape(exporter.description)}</li>"
        for exporter in registry
    )
    strategy_list = "".join(
        f'<option value="{escape(code)}">{escape(title)}</option>'
        for code, title in overview.strategies
    )
    return (
        '<section aria-labelledby="downloads"><h2 id="downloads">Choose what to show or '
        f"download</h2>{error}<p>All filters are optional. <em>Show</em> (or Enter) shows the "
        "selection on this page; the other buttons download it.</p>"
        '<form method="get" action="/">'
        + _select("Plan", "plan", ((p.slug, p.title) for p in overview.plans),
                  dataset_filter.plans, "All plans")
        + '<label>Strategy code<input name="strategy" list="strategy-codes" '
        f'value="{escape(",".join(dataset_filter.strategies))}" placeholder="e.g. DSK-I"></label>'
        f'<datalist id="strategy-codes">{strategy_list}</datalist>'
        + _select("Technology", "technology", overview.technologies,
                  dataset_filter.technologies, "All technologies")
        + _select("Region", "region", overview.regions, dataset_filter.regions, "All regions")
        + _select("Organisation", "organisation", overview.organisations,
                  dataset_filter.organisations, "All organisations")
        + _select("Law", "law", overview.laws, dataset_filter.laws, "All laws")
        + f'<label>From<input type="date" name="from" '
        f'value="{_iso(dataset_filter.date_from)}"></label>'
        f'<label>To<input type="date" name="to" value="{_iso(dataset_filter.date_to)}"></label>'
        '<div class="actions"><button type="submit" class="primary">Show</button>'
        f'{downloads}<a class="button-like" href="/">Clear</a></div></form>'
        f"<h3>Whole dataset</h3><ul>{links}</ul></section>"
    )  # fmt: skip


def _select(
    label: str,
    name: str,
    choices: Iterable[tuple[str, str]],
    chosen: tuple[str, ...],
    everything: str,
) -> str:
    options = [f'<option value="">{escape(everything)}</option>']
    current = chosen[0] if chosen else ""
    for value, text in choices:
        selected = " selected" if value == current else ""
        options.append(f'<option value="{escape(value)}"{selected}>{escape(text)}</option>')
    return f'<label>{escape(label)}<select name="{name}">{"".join(options)}</select></label>'


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def feed_links(
    base_url: str | None, dataset_filter: DatasetFilter, *, spans: bool = False
) -> tuple[str, str | None]:
    """``(feed URL, webcal:// URL)`` for the feed of ``dataset_filter``: the feed URL in the
    request's own scheme; without a trusted base URL it is relative and there is no webcal."""
    params = [*filter_to_params(dataset_filter), *([("spans", "1")] if spans else [])]
    query = urlencode(params)
    feed = f"{base_url or ''}{FEED_PATH}" + (f"?{query}" if query else "")
    if base_url is None:
        return feed, None
    return feed, "webcal://" + feed.split("://", 1)[1]


def _feed_item(label: str, base_url: str | None, dataset_filter: DatasetFilter) -> str:
    feed, webcal = feed_links(base_url, dataset_filter)
    spans, _ = feed_links(base_url, dataset_filter, spans=True)
    subscribe = f'<a href="{escape(webcal)}">subscribe (webcal)</a> · ' if webcal else ""
    return (
        f'<li>{escape(label)}: {subscribe}<a href="{escape(feed)}">feed address</a> · '
        f'<a href="{escape(spans)}">with whole spans</a></li>'
    )


def _calendars(overview: Overview, dataset_filter: DatasetFilter, base_url: str | None) -> str:
    selection = "All milestones" if dataset_filter.is_everything else "This selection"
    main = [_feed_item(selection, base_url, dataset_filter)]
    main += [
        _feed_item(plan.title, base_url, DatasetFilter(plans=(plan.slug,)))
        for plan in overview.plans
    ]
    strategies = "".join(
        _feed_item(f"{code} {title}", base_url, DatasetFilter(strategies=(code,)))
        for code, title in overview.strategies
    )
    technologies = "".join(
        _feed_item(name, base_url, DatasetFilter(technologies=(slug,)))
        for slug, name in overview.technologies
    )
    example = feed_links(base_url, DatasetFilter())[0]
    return (
        '<section aria-labelledby="calendars"><h2 id="calendars">Calendar feeds</h2>'
        "<p>Each milestone is an all-day event on the day that matters — a deadline on its "
        "last day, a start on its first, a period as a begin and an end marker — with the date "
        "as the text writes it in the title. <em>With whole spans</em> draws each milestone "
        "over its whole period instead. Feeds take the same filters as downloads.</p>"
        f"<ul>{''.join(main)}</ul>"
        f"<details><summary>By strategy</summary><ul>{strategies}</ul></details>"
        f"<details><summary>By technology</summary><ul>{technologies}</ul></details>"
        '<h3 id="subscribe-help">How to subscribe</h3><dl class="help">'
        "<dt>Google Calendar</dt><dd>Google ignores <code>webcal:</code> links. Copy a "
        "<em>feed address</em>, then in Google Calendar on the web choose <em>Other calendars "
        "→ + → From URL</em>, paste it and choose <em>Add calendar</em>. Google refreshes "
        "subscriptions every few hours.</dd>"
        "<dt>Apple Calendar (Mac, iPhone, iPad)</dt><dd>Select <em>subscribe (webcal)</em>, "
        "or choose <em>File → New Calendar Subscription</em> and paste a feed address.</dd>"
        "<dt>Outlook</dt><dd>In Outlook on the web or Outlook.com choose <em>Add calendar → "
        "Subscribe from web</em> and paste a feed address; desktop Outlook opens "
        "<em>subscribe (webcal)</em> links itself.</dd></dl>"
        f'<p class="hint">Example feed address: <code>{escape(example)}</code></p></section>'
    )


def _api(api: ApiLinks) -> str:
    graphiql = (
        '<a href="/graphql">GraphiQL</a>: explore the GraphQL API in the browser. '
        if api.graphiql
        else "The GraphQL API answers at <code>/graphql</code>. "
    )
    schema = 'Schema: <a href="/schema.graphql">schema.graphql</a>. ' if api.schema else ""
    return (
        '<section aria-labelledby="api"><h2 id="api">API</h2>'
        f"<p>{graphiql}{schema}"
        'Formats as JSON: <a href="/exports">/exports</a>.</p></section>'
    )
