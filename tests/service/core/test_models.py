"""Constraints live in the database: both engines reject what the model forbids."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

import pytest
from sqlalchemy import insert, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from service.core.models import Budget, Citation, Document, Milestone, Plan, Strategy, Task

# A task's outline columns (a top-level task statement), required on every insert.
OUTLINE = {"kind": "task_statement", "depth": 1, "outline_position": 1}


async def _hierarchy(db: AsyncConnection) -> dict[str, int]:
    document = await db.execute(
        insert(Document).values(slug="doc", title="Doc", publisher="Pub").returning(Document.id)
    )
    document_id = document.scalar_one()
    plan_id = (
        await db.execute(
            insert(Plan)
            .values(slug="plan", title="Plan", document_id=document_id)
            .returning(Plan.id)
        )
    ).scalar_one()
    strategy_id = (
        await db.execute(
            insert(Strategy)
            .values(code="P-1", plan_id=plan_id, position=1, title="S")
            .returning(Strategy.id)
        )
    ).scalar_one()
    task_id = (
        await db.execute(
            insert(Task)
            .values(code="P-1-1", strategy_id=strategy_id, position=1, title="T", **OUTLINE)
            .returning(Task.id)
        )
    ).scalar_one()
    return {"document": document_id, "plan": plan_id, "strategy": strategy_id, "task": task_id}


async def _rejected(db: AsyncConnection, statement: Callable[[], Awaitable[object]]) -> None:
    savepoint = await db.begin_nested()
    with pytest.raises(IntegrityError):
        await statement()
    await savepoint.rollback()


async def test_valid_rows_are_accepted(db: AsyncConnection) -> None:
    ids = await _hierarchy(db)
    await db.execute(
        insert(Budget).values(
            task_id=ids["task"],
            position=1,
            amount=1_020_000_000_000,
            currency="KRW",
            amount_text="1.02 trillion won",
            kind="total",
            start_year=2022,
            end_year=2026,
            purpose="core technologies",
        )
    )
    await db.execute(
        insert(Milestone).values(
            task_id=ids["task"],
            position=1,
            title="open",
            date_text="2023~",
            edtf="2023/..",
            start_date=date(2023, 1, 1),
            end_date=None,
            precision="year",
            kind="start",
            status="planned",
        )
    )
    await db.execute(
        insert(Citation).values(document_id=ids["document"], quote="q", task_id=ids["task"])
    )


async def test_check_constraints_are_enforced(db: AsyncConnection) -> None:
    ids = await _hierarchy(db)
    budget = {
        "task_id": ids["task"],
        "position": 1,
        "currency": "KRW",
        "amount_text": "x",
        "kind": "total",
        "purpose": "p",
    }
    await _rejected(db, lambda: db.execute(insert(Budget).values(**budget, amount=-1)))
    await _rejected(
        db,
        lambda: db.execute(
            insert(Budget).values(**budget, amount=1, start_year=2027, end_year=2022)
        ),
    )
    milestone = {
        "task_id": ids["task"],
        "position": 1,
        "title": "m",
        "date_text": "x",
        "edtf": "x",
        "precision": "year",
        "kind": "event",
        "status": "planned",
    }
    await _rejected(
        db,
        lambda: db.execute(
            insert(Milestone).values(
                **milestone, start_date=date(2024, 1, 1), end_date=date(2023, 1, 1)
            )
        ),
    )
    await _rejected(
        db,
        lambda: db.execute(insert(Milestone).values(**milestone, start_date=None, end_date=None)),
    )
    # Bypass the ORM's own enum validation to prove the database CHECK rejects it too.
    await _rejected(
        db,
        lambda: db.execute(
            text(
                "INSERT INTO milestone (task_id, position, title, date_text, edtf, start_date,"
                " precision, kind, status, revision, updated_at) VALUES (:task, 1, 'm', 'x',"
                " 'x', '2023-01-01', 'year', 'someday', 'planned', 0, CURRENT_TIMESTAMP)"
            ),
            {"task": ids["task"]},
        ),
    )
    # A law's enactment precision is one of the date precisions GraphQL can represent.
    await _rejected(
        db,
        lambda: db.execute(
            text(
                "INSERT INTO law (slug, title, kind, status, enacted_text, enacted_edtf,"
                " enacted_precision, updated_at) VALUES ('act', 'Act', 'act', 'enacted',"
                " 'in 2021', '2021', 'decade', CURRENT_TIMESTAMP)"
            )
        ),
    )


async def test_citation_points_at_exactly_one_record(db: AsyncConnection) -> None:
    ids = await _hierarchy(db)
    await _rejected(
        db,
        lambda: db.execute(
            insert(Citation).values(
                document_id=ids["document"], quote="q", task_id=ids["task"], plan_id=ids["plan"]
            )
        ),
    )
    await _rejected(
        db, lambda: db.execute(insert(Citation).values(document_id=ids["document"], quote="q"))
    )


async def test_foreign_keys_and_natural_keys_are_enforced(db: AsyncConnection) -> None:
    ids = await _hierarchy(db)
    await _rejected(
        db,
        lambda: db.execute(
            insert(Task).values(
                code="X-1", strategy_id=999_999, position=1, title="orphan", **OUTLINE
            )
        ),
    )
    await _rejected(
        db,
        lambda: db.execute(
            insert(Task).values(
                code="P-1-1", strategy_id=ids["strategy"], position=2, title="dup", **OUTLINE
            )
        ),
    )
