"""A small dataset inserted by the schema tests (independent of the curated seed)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from service.core import search_index
from service.core.models import task_law, task_region, task_technology
from service.core.queries import catalog as c

STRATEGIES_PER_PLAN = 3
TASKS_PER_STRATEGY = 4


async def insert_small_dataset(db: AsyncConnection, scale: int = 1) -> None:
    """Two plans, 3 strategies each, ``4*scale`` tasks each with milestones, budgets, links."""
    await db.execute(
        insert(c.document),
        [{"id": 1, "slug": "doc-one", "title": "Doc One", "publisher": "Gov", "language": "en"}],
    )
    await db.execute(
        insert(c.plan),
        [
            {
                "id": 1,
                "slug": "plan-a",
                "title": "Plan A",
                "announced_on": date(2022, 9, 28),
                "document_id": 1,
            },
            {
                "id": 2,
                "slug": "plan-b",
                "title": "Plan B",
                "announced_on": date(2023, 1, 5),
                "document_id": 1,
            },
        ],
    )
    await db.execute(
        insert(c.technology),
        [{"id": 1, "slug": "ai", "name": "AI"}, {"id": 2, "slug": "data", "name": "Data"}],
    )
    await db.execute(
        insert(c.region), [{"id": 1, "slug": "korea", "name": "Korea", "kind": "country"}]
    )
    await db.execute(
        insert(c.law),
        [
            {
                "id": 1,
                "slug": "digital-inclusion-act",
                "title": "Digital Inclusion Act",
                "kind": "act",
                "status": "planned",
            },
            {
                "id": 2,
                "slug": "ai-framework-act",
                "title": "AI Framework Act",
                "kind": "framework_act",
                "status": "tentative",
            },
        ],
    )
    await db.execute(
        insert(c.law_alias),
        [
            {"law_id": 1, "alias": "Act on Digital Inclusion", "document_id": 1},
            {"law_id": 1, "alias": "Digital Inclusion Law", "document_id": 1},
        ],
    )
    strategies, tasks, milestones, budgets, laws, techs, regions, cites = (
        [],
        [],
        [],
        [],
        [],
        [],
        [],
        [],
    )
    task_id = milestone_id = budget_id = 0
    for plan_id in (1, 2):
        for s in range(1, STRATEGIES_PER_PLAN + 1):
            sid = (plan_id - 1) * STRATEGIES_PER_PLAN + s
            strategies.append(
                {
                    "id": sid,
                    "code": f"P{plan_id}-{s}",
                    "plan_id": plan_id,
                    "position": s,
                    "title": f"Strategy {plan_id}.{s}",
                }
            )
            for t in range(1, TASKS_PER_STRATEGY * scale + 1):
                task_id += 1
                tasks.append(
                    {
                        "id": task_id,
                        "code": f"P{plan_id}-{s}-{t}",
                        "strategy_id": sid,
                        "position": t,
                        "kind": "task_statement",
                        "depth": 1,
                        "outline_position": t + (1 if sid == 1 and t > 1 else 0),
                        "title": f"Task {plan_id}.{s}.{t}",
                        "description": "Enact the Digital Inclusion Law" if t == 1 else None,
                    }
                )
                year = 2021 + (task_id % 5)
                for m in (1, 2):
                    milestone_id += 1
                    milestones.append(
                        {
                            "id": milestone_id,
                            "task_id": task_id,
                            "position": m,
                            "title": f"Milestone {task_id}.{m}",
                            "date_text": f"H{m} {year}",
                            "edtf": f"{year}-{24 + m}",
                            "start_date": date(year, 1 if m == 1 else 7, 1),
                            "end_date": date(year, 6 if m == 1 else 12, 30 if m == 1 else 31),
                            "precision": "half",
                            "kind": "deadline",
                            "status": "planned",
                            "revision": 0,
                        }
                    )
                budget_id += 1
                budgets.append(
                    {
                        "id": budget_id,
                        "task_id": task_id,
                        "position": 1,
                        "amount": 301_800_000_000 + task_id,
                        "currency": "KRW",
                        "amount_text": "301.8 billion won",
                        "kind": "total",
                        "start_year": 2022,
                        "end_year": 2026,
                        "purpose": f"Programme {task_id}",
                    }
                )
                if t == 1:
                    laws.append({"task_id": task_id, "law_id": 1})
                techs.append({"task_id": task_id, "technology_id": 1 + task_id % 2})
                regions.append({"task_id": task_id, "region_id": 1})
                cites.append(
                    {"document_id": 1, "quote": f"quote for task {task_id}", "task_id": task_id}
                )
    await db.execute(insert(c.strategy), strategies)
    await db.execute(insert(c.task), tasks)
    # one sub-task under task 1
    await db.execute(
        insert(c.task),
        [
            {
                "id": 10_000,
                "code": "P1-1-1-a",
                "strategy_id": 1,
                "parent_id": 1,
                "position": 1,
                "kind": "initiative",
                "depth": 2,
                "outline_position": 2,
                "title": "Sub-task (AI)",
            }
        ],
    )
    await db.execute(insert(c.milestone), milestones)
    await db.execute(insert(c.budget), budgets)
    await db.execute(
        insert(c.target),
        [
            {
                "task_id": 1,
                "position": 1,
                "metric": "Digital talents",
                "value": Decimal("1000000"),
                "comparator": "at_least",
                "unit": "people",
                "value_text": "1 million",
                "year": 2026,
            }
        ],
    )
    await db.execute(insert(task_law), laws)
    await db.execute(insert(task_technology), techs)
    await db.execute(insert(task_region), regions)
    await db.execute(insert(c.citation), cites)
    await search_index.refresh(db)
