"""The plans as HTML to read: plan → strategies → tasks, and a task's or a law's own page.

Each record shows the quotes that support it (folded in a ``<details>``, which needs no
script). Tasks link to their page, laws to theirs; ids on every element make the timeline's
and the calendars' links land on the right place.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from service.core.page_paths import law_path, milestone_anchor, milestone_path, task_path
from service.core.plan_tree import (
    BudgetItem,
    LawPage,
    LawRef,
    MilestoneItem,
    PlanItem,
    Source,
    StrategyItem,
    TargetItem,
    TaskItem,
)
from service.web.html_parts import external_link, fuzzy_time, sources_block, time_element

STATUS_WORDS = {"in_progress": "in progress"}


def milestone_href(milestone: MilestoneItem) -> str:
    return milestone_path(milestone.task_code, milestone.position)


def plans_html(plans: list[PlanItem], heading_level: int = 2) -> str:
    return "".join(_plan(plan, heading_level) for plan in plans)


def _plan(plan: PlanItem, level: int) -> str:
    facts = []
    if plan.announced_on:
        facts.append(f"Announced {time_element(plan.announced_on)}.")
    facts.append(f"Source: {external_link(plan.document_url, plan.document_title)}.")
    summary = f"<p>{escape(plan.summary)}</p>" if plan.summary else ""
    strategies = "".join(_strategy(strategy, level + 1) for strategy in plan.strategies)
    return (
        f'<article class="plan" id="plan-{escape(plan.slug)}">'
        f"<h{level}>{escape(plan.title)}</h{level}>"
        f"<p>{' '.join(facts)} Filter value: <code>{escape(plan.slug)}</code></p>"
        f"{summary}{_quotes(plan.sources)}{strategies}</article>"
    )


def _strategy(strategy: StrategyItem, level: int) -> str:
    label = f"{strategy.label} " if strategy.label else ""
    description = f"<p>{escape(strategy.description)}</p>" if strategy.description else ""
    tasks = "".join(task_html(task, level + 1) for task in strategy.tasks)
    return (
        f'<section class="strategy" id="strategy-{escape(strategy.code)}" '
        f'aria-labelledby="strategy-{escape(strategy.code)}-title">'
        f'<h{level} id="strategy-{escape(strategy.code)}-title">'
        f'<span class="code">{escape(strategy.code)}</span> {escape(label + strategy.title)}'
        f"</h{level}>{description}{_quotes(strategy.sources)}{tasks}</section>"
    )


def task_html(task: TaskItem, level: int, *, linked: bool = True) -> str:
    level = min(level, 6)
    label = f"{task.label} " if task.label else ""
    code = (
        f'<a class="code" href="{task_path(task.code)}">{escape(task.code)}</a>'
        if linked
        else f'<span class="code">{escape(task.code)}</span>'
    )
    parts = [
        f'<article class="task" id="task-{escape(task.code)}">',
        f"<h{level}>{code} {escape(label + task.title)}</h{level}>",
    ]
    if task.description:
        parts.append(f"<p>{escape(task.description)}</p>")
    tags = _tags(task)
    if tags:
        parts.append(tags)
    parts.append(_quotes(task.sources))
    parts.append(_titled_list("Milestones", "milestones", map(_milestone, task.milestones)))
    parts.append(_titled_list("Budgets", "budgets", map(_budget, task.budgets)))
    parts.append(_titled_list("Targets", "targets", map(_target, task.targets)))
    parts.append(_titled_list("Laws", "laws", map(_law_ref, task.laws)))
    parts.extend(task_html(sub, level + 1, linked=True) for sub in task.subtasks)
    parts.append("</article>")
    return "".join(parts)


def _titled_list(title: str, css_class: str, items: Iterable[str]) -> str:
    """A titled ``<ul>`` of already-rendered ``<li>`` items, or nothing when there are none."""
    rendered = "".join(items)
    if not rendered:
        return ""
    return f'<p class="list-title">{title}</p><ul class="{css_class}">{rendered}</ul>'


def _tags(task: TaskItem) -> str:
    rows = []
    if task.technologies:
        names = ", ".join(escape(name) for _, name in task.technologies)
        rows.append(f"<dt>Technologies</dt><dd>{names}</dd>")
    if task.regions:
        rows.append(f"<dt>Regions</dt><dd>{', '.join(escape(r) for r in task.regions)}</dd>")
    if task.organisations:
        names = ", ".join(escape(o) for o in task.organisations)
        rows.append(f"<dt>Organisations</dt><dd>{names}</dd>")
    return f'<dl class="tags">{"".join(rows)}</dl>' if rows else ""


def _milestone(milestone: MilestoneItem) -> str:
    status = STATUS_WORDS.get(milestone.status, milestone.status)
    anchor = milestone_anchor(milestone.task_code, milestone.position)
    return (
        f'<li id="{escape(anchor)}"><strong>{escape(milestone.date_text)}'
        f"</strong> — {escape(milestone.title)} "
        f'<span class="hint">({escape(milestone.kind)}, {escape(status)}, EDTF '
        f"<code>{escape(milestone.edtf)}</code>)</span>{_quotes(milestone.sources)}</li>"
    )


def _budget(budget: BudgetItem) -> str:
    years = ""
    if budget.start_year or budget.end_year:
        span = sorted({y for y in (budget.start_year, budget.end_year) if y})
        years = f", {'–'.join(str(y) for y in span)}"
    return (
        f"<li><strong>{escape(budget.amount_text)}</strong> "
        f'<span class="hint">({budget.amount:,} {escape(budget.currency)}, '
        f"{escape(budget.kind)}{years})</span> — {escape(budget.purpose)}"
        f"{_quotes(budget.sources)}</li>"
    )


def _target(target: TargetItem) -> str:
    when = f" {escape(target.date_text)}" if target.date_text else ""
    baseline = f" (from {escape(target.baseline_text)})" if target.baseline_text else ""
    return (
        f"<li>{escape(target.metric)}: <strong>{escape(target.value_text)}</strong>{when}"
        f"{baseline}{_quotes(target.sources)}</li>"
    )


def _law_ref(law: LawRef) -> str:
    return (
        f'<li><a href="{law_path(law.slug)}">{escape(law.title)}</a> '
        f'<span class="hint">({escape(law.status)})</span></li>'
    )


def _quotes(sources: tuple[Source, ...]) -> str:
    block = sources_block(sources)
    if not block:
        return ""
    count = len(sources)
    return f"<details><summary>{count} source{'s' if count != 1 else ''}</summary>{block}</details>"


def law_html(law: LawPage) -> str:
    facts = [f"<dt>Kind</dt><dd>{escape(law.kind.replace('_', ' '))}</dd>"]
    facts.append(f"<dt>Status</dt><dd>{escape(law.status)}</dd>")
    if law.status_text:
        facts.append(f"<dt>As written</dt><dd>{escape(law.status_text)}</dd>")
    if law.enacted_text:
        facts.append(f"<dt>Enacted</dt><dd>{fuzzy_time(law.enacted_text, law.enacted_edtf)}</dd>")
    aliases = "".join(
        f"<li>{escape(alias)}"
        + (f' <span class="hint">({escape(doc)})</span>' if doc else "")
        + "</li>"
        for alias, doc in law.aliases
    )
    tasks = "".join(
        f'<li><a href="{task_path(code)}">{escape(code)}</a> {escape(title)}</li>'
        for code, title in law.tasks
    )
    description = f"<p>{escape(law.description)}</p>" if law.description else ""
    return (
        f'<article class="law" id="law-{escape(law.slug)}"><h1>{escape(law.title)}</h1>'
        f'{description}<dl class="tags">{"".join(facts)}</dl>'
        + (f"<h2>Also called</h2><ul>{aliases}</ul>" if aliases else "")
        + (f"<h2>Sources</h2>{sources_block(law.sources)}" if law.sources else "")
        + (f"<h2>Tasks that mention it</h2><ul>{tasks}</ul>" if tasks else "")
        + "</article>"
    )
