"""The synthetic dataset: deterministic, national-scale shape, valid fuzzy dates and money,
every record cited; loads on both engines in one transaction into an empty database."""

from __future__ import annotations

import asyncio
import calendar
import os
import re
import sys
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from migrations import runner as migrate
from seed import SeedError, load_synthetic
from seed.fuzzy_dates import parse_edtf
from seed.synthetic import SyntheticError, write_dataset
from seed.synthetic_data import COLUMNS, SHAPES, SyntheticDataset, generate
from service.core.database import engine_for_url
from service.core.models import CITABLE_TABLES, Base, Budget, Milestone, Plan
from tests.support.databases import temporary_database


@pytest.fixture(scope="module")
def small() -> SyntheticDataset:
    return generate("small")


def _rows(dataset: SyntheticDataset, table: str) -> list[dict[str, Any]]:
    columns = COLUMNS[table]
    return [dict(zip(columns, row, strict=True)) for row in dataset.rows[table]]


# --- the generator, without a database ---------------------------------------------------


def test_generation_is_deterministic(small: SyntheticDataset) -> None:
    again = generate("small")
    assert again.rows == small.rows
    assert again.document_texts == small.document_texts


def test_large_has_the_national_scale_shape() -> None:
    large = SHAPES["large"]
    assert large.plans >= 10
    assert large.plans * large.strategies_per_plan >= 200
    assert large.tasks >= 20_000
    assert large.milestones >= 200_000
    assert large.budgets >= 40_000
    assert large.laws >= 2_000
    assert large.task_law_links >= 30_000


@pytest.mark.slow
def test_large_generates_exactly_its_shape() -> None:
    large, shape = generate("large"), SHAPES["large"]
    counts = large.counts()
    assert counts["plan"] == shape.plans
    assert counts["strategy"] == shape.plans * shape.strategies_per_plan
    assert counts["task"] == shape.tasks
    assert sum(1 for row in large.rows["task"] if row[3] is not None) == (
        shape.plans * shape.strategies_per_plan * shape.sub_tasks_per_strategy
    )
    assert counts["milestone"] == shape.milestones
    assert counts["budget"] == shape.budgets
    assert counts["law"] == shape.laws
    assert counts["law_group"] == shape.law_groups
    assert counts["task_law"] == shape.task_law_links
    assert counts["citation"] == sum(counts[table] for table in CITABLE_TABLES)
    assert len({row[2] for row in large.rows["law_alias"]}) == counts["law_alias"]
    for row in large.rows["milestone"]:
        span = parse_edtf(row[5])
        assert (span.start, span.end, span.precision) == (row[6], row[7], row[8]), row


def test_small_is_large_at_one_hundredth(small: SyntheticDataset) -> None:
    large = SHAPES["large"]
    counts = small.counts()
    assert counts["task"] * 100 == large.tasks
    for table, wanted in {
        "milestone": large.milestones,
        "budget": large.budgets,
        "target": large.targets,
        "law": large.laws,
        "law_group": large.law_groups,
        "task_law": large.task_law_links,
        "task_technology": large.task_technology_links,
        "task_region": large.task_region_links,
        "task_organisation": large.task_organisation_links,
    }.items():
        assert counts[table] * 100 == wanted, table
    assert counts["plan"] == counts["document"] == SHAPES["small"].plans


def test_tasks_form_a_hierarchy_of_coded_sub_tasks(small: SyntheticDataset) -> None:
    tasks = {row["id"]: row for row in _rows(small, "task")}
    assert len({row["code"] for row in tasks.values()}) == len(tasks)
    children = [row for row in tasks.values() if row["parent_id"] is not None]
    assert 0.5 < len(children) / len(tasks) < 0.7
    for child in children:
        parent = tasks[child["parent_id"]]
        assert parent["parent_id"] is None
        assert parent["id"] < child["id"]  # inserted before its children
        assert parent["strategy_id"] == child["strategy_id"]
        assert child["code"].startswith(parent["code"] + "-")
        assert re.fullmatch(r"\(.+\)", child["label"])
    siblings = Counter(
        (row["strategy_id"], row["parent_id"], row["position"]) for row in tasks.values()
    )
    assert max(siblings.values()) == 1


def _span(part: str) -> tuple[date, date, str]:
    """An independent reading of the EDTF forms the generator may emit."""
    if match := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", part):
        day = date(*map(int, match.groups()))
        return day, day, "day"
    if match := re.fullmatch(r"(\d{4})-(\d{2})", part):
        year, sub = map(int, match.groups())
        if 1 <= sub <= 12:
            last = calendar.monthrange(year, sub)[1]
            return date(year, sub, 1), date(year, sub, last), "month"
        if 33 <= sub <= 36:
            quarter = sub - 32
            end_month = 3 * quarter
            last = calendar.monthrange(year, end_month)[1]
            return date(year, end_month - 2, 1), date(year, end_month, last), "quarter"
        assert sub in (40, 41), part
        if sub == 40:
            return date(year, 1, 1), date(year, 6, 30), "half"
        return date(year, 7, 1), date(year, 12, 31), "half"
    assert re.fullmatch(r"\d{4}", part), part
    return date(int(part), 1, 1), date(int(part), 12, 31), "year"


def test_law_groups_name_at_most_the_laws_they_count(small: SyntheticDataset) -> None:
    members = Counter(row["law_group_id"] for row in _rows(small, "law_group_member"))
    groups = _rows(small, "law_group")
    assert len(groups) == SHAPES["small"].law_groups
    for group in groups:
        assert 3 <= members[group["id"]] <= group["stated_count"], group


def test_target_dates_agree_with_their_edtf_year_and_text(small: SyntheticDataset) -> None:
    targets = _rows(small, "target")
    assert targets
    for row in targets:
        span = parse_edtf(row["date_edtf"])
        assert (row["date_start"], row["date_end"], row["date_precision"]) == (
            span.start,
            span.end,
            span.precision.value,
        ), row
        assert row["year"] == (span.end.year if span.end else None), row
        assert row["date_text"] in row["value_text"], row  # "... by 2027"


def test_fuzzy_dates_agree_with_their_edtf(small: SyntheticDataset) -> None:
    milestones = _rows(small, "milestone")
    for row in milestones:
        first, _, last = row["edtf"].partition("/")
        if last:
            start = None if first == ".." else _span(first)[0]
            end = None if last == ".." else _span(last)[1]
            precision = _span(last if first == ".." else first)[2]
        else:
            start, end, precision = _span(first)
        assert (row["start_date"], row["end_date"], row["precision"]) == (start, end, precision), (
            row
        )
        if start is None:  # "by 2027" and "~2027" (until 2027) are deadlines
            assert re.match(r"\(?(~|by )", row["date_text"]), row
        if end is None:
            assert re.search(r"~$|^from |^\(starting ", row["date_text"]), row
            assert row["kind"] == "start"
        assert (row["kind"] == "deadline") == (start is None), row
        assert str((end or start or date.min).year) in row["date_text"], row
    assert {row["precision"] for row in milestones} == {"day", "month", "quarter", "half", "year"}
    assert {row["kind"] for row in milestones} == {"event", "start", "deadline", "period"}
    assert {row["status"] for row in milestones} == {"planned", "in_progress", "completed"}
    texts = [row["date_text"] for row in milestones]
    assert any(re.fullmatch(r"\d{4}~", t) for t in texts)
    assert any(re.fullmatch(r"\(?~\d{4}\)?", t) for t in texts)
    assert any(re.fullmatch(r"by \d{4}", t) for t in texts)
    assert any(re.fullmatch(r"\(\d{4}~\d{4}\)", t) for t in texts)
    assert any(re.fullmatch(r"\((first|second) half of \d{4}\)", t) for t in texts)


def test_fuzzy_dates_read_the_same_with_the_curated_datasets_edtf_reader(
    small: SyntheticDataset,
) -> None:
    for row in _rows(small, "milestone"):
        span = parse_edtf(row["edtf"])
        assert (span.start, span.end, span.precision) == (
            row["start_date"],
            row["end_date"],
            row["precision"],
        ), row


_UNITS = {"million": 10**6, "billion": 10**9, "trillion": 10**12}


def test_amounts_are_exact_won_matching_their_text(small: SyntheticDataset) -> None:
    budgets = _rows(small, "budget")
    for row in budgets:
        match = re.fullmatch(
            r"(?:KRW )?([\d,]+(?:\.\d)?) (million|billion|trillion)(?: won)?", row["amount_text"]
        )
        assert match, row["amount_text"]
        number = Decimal(match.group(1).replace(",", ""))
        assert isinstance(row["amount"], int)
        assert row["amount"] == number * _UNITS[match.group(2)]
        assert row["start_year"] <= row["end_year"]
        assert (row["kind"] == "annual") == (row["start_year"] == row["end_year"])
    assert any(row["amount"] > 2**31 for row in budgets)
    assert any(row["amount"] > 10**12 for row in budgets)


def test_laws_have_unique_slugs_and_aliases(small: SyntheticDataset) -> None:
    laws = _rows(small, "law")
    aliases = _rows(small, "law_alias")
    assert len({row["slug"] for row in laws}) == len(laws)
    assert len({row["alias"] for row in aliases}) == len(aliases)
    assert {row["law_id"] for row in aliases} == {row["id"] for row in laws}


def test_links_are_unique_pairs_of_existing_rows(small: SyntheticDataset) -> None:
    tasks = len(small.rows["task"])
    for table, other in (
        ("task_law", "law"),
        ("task_technology", "technology"),
        ("task_region", "region"),
        ("task_organisation", "organisation"),
    ):
        pairs = small.rows[table]
        assert len(set(pairs)) == len(pairs), table
        assert all(1 <= t <= tasks and 1 <= o <= len(small.rows[other]) for t, o in pairs)


def test_every_record_is_cited_with_a_verbatim_quote(small: SyntheticDataset) -> None:
    citations = _rows(small, "citation")
    for table in CITABLE_TABLES:
        cited = Counter(row[f"{table}_id"] for row in citations if row[f"{table}_id"] is not None)
        assert set(cited) == {row[0] for row in small.rows[table]}, table
        assert max(cited.values()) == 1, table
    for row in citations:
        assert row["quote"] in small.document_texts[row["document_id"]], row


# --- loading into a database, both engines ---------------------------------------------


@pytest.fixture(scope="module")
async def loaded(backend: str, session_tmp: Path) -> AsyncIterator[AsyncEngine]:
    """A fresh database with the small synthetic dataset loaded."""
    async with temporary_database(backend, session_tmp, "synthetic") as url:
        engine = engine_for_url(url)
        try:
            await migrate.upgrade(engine)
            await load_synthetic(engine, "small")
            yield engine
        finally:
            await engine.dispose()


@pytest.fixture
async def fresh(backend: str, session_tmp: Path) -> AsyncIterator[AsyncEngine]:
    async with temporary_database(backend, session_tmp, "synthetic_fresh") as url:
        engine = engine_for_url(url)
        try:
            await migrate.upgrade(engine)
            yield engine
        finally:
            await engine.dispose()


async def _counts(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as connection:
        return {
            table: (
                await connection.execute(
                    select(func.count()).select_from(Base.metadata.tables[table])
                )
            ).scalar_one()
            for table in COLUMNS
        }


async def test_unknown_size_names_the_allowed_sizes(engine: AsyncEngine) -> None:
    with pytest.raises(SeedError, match=r"'huge' is unknown; choose one of: small, large"):
        await load_synthetic(engine, "huge")


async def test_small_loads_every_generated_row(
    loaded: AsyncEngine, small: SyntheticDataset
) -> None:
    assert await _counts(loaded) == small.counts()


async def test_loaded_rows_equal_the_generated_rows(
    loaded: AsyncEngine, small: SyntheticDataset
) -> None:
    async with loaded.connect() as connection:
        for model in (Milestone, Budget):
            table = model.__table__
            columns = [c for c in COLUMNS[table.name] if c != "updated_at"]
            result = await connection.execute(
                select(*(table.c[c] for c in columns)).order_by(table.c.id)
            )
            stored = [tuple(row) for row in result]
            generated = [row[: len(columns)] for row in small.rows[table.name]]
            assert stored == generated, table.name


async def test_every_loaded_record_is_cited_from_its_document(
    loaded: AsyncEngine, small: SyntheticDataset
) -> None:
    async with loaded.connect() as connection:
        for table in CITABLE_TABLES:
            uncited = await connection.execute(
                text(
                    f'SELECT count(*) FROM "{table}" t WHERE NOT EXISTS '
                    f"(SELECT 1 FROM citation c WHERE c.{table}_id = t.id)"
                )
            )
            assert uncited.scalar_one() == 0, table
        quotes = await connection.execute(text("SELECT document_id, quote FROM citation"))
        for document_id, quote in quotes:
            assert quote in small.document_texts[document_id]


async def test_refuses_a_database_that_holds_data(
    loaded: AsyncEngine, small: SyntheticDataset
) -> None:
    with pytest.raises(SyntheticError, match=r"already holds data \(2 document rows, 2 plan rows"):
        await load_synthetic(loaded, "small")
    assert await _counts(loaded) == small.counts()


async def test_new_rows_get_ids_after_the_loaded_ones(loaded: AsyncEngine) -> None:
    async with loaded.connect() as connection:
        transaction = await connection.begin()
        try:
            result = await connection.execute(
                insert(Plan).returning(Plan.id),
                {"slug": "another-plan", "title": "Another plan", "document_id": 1},
            )
            assert result.scalar_one() == SHAPES["small"].plans + 1
        finally:
            await transaction.rollback()


async def test_refuses_a_database_without_the_schema(backend: str, session_tmp: Path) -> None:
    async with temporary_database(backend, session_tmp, "synthetic_unmigrated") as url:
        engine = engine_for_url(url)
        try:
            with pytest.raises(SyntheticError, match=r"schema is at revision none, not \w+; run"):
                await load_synthetic(engine, "small")
        finally:
            await engine.dispose()


async def test_a_constraint_violation_leaves_the_database_empty(
    fresh: AsyncEngine, small: SyntheticDataset
) -> None:
    broken = SyntheticDataset(size="small", rows={t: list(r) for t, r in small.rows.items()})
    # The last milestone ends before it starts: the CHECK constraint must stop the whole load.
    last = broken.rows["milestone"][-1]
    broken.rows["milestone"][-1] = (*last[:6], date(2030, 1, 2), date(2030, 1, 1), *last[8:])

    async def load() -> None:
        async with fresh.begin() as connection:
            await write_dataset(connection, broken)

    with pytest.raises(Exception, match=r"(?i)check"):
        await load()
    assert set((await _counts(fresh)).values()) == {0}


@dataclass
class _Run:
    returncode: int
    stdout: str
    stderr: str


async def test_cli_seeds_synthetic_data_once(backend: str, session_tmp: Path) -> None:
    async with temporary_database(backend, session_tmp, "synthetic_cli") as url:
        database_url = url.render_as_string(hide_password=False)
        env = {**os.environ, "STRATAGRAPH_DATABASE_URL": database_url}

        async def run(*args: str) -> _Run:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "service.cli",
                "seed",
                *args,
                env=env,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            stdout, stderr = await process.communicate()
            assert process.returncode is not None
            return _Run(process.returncode, stdout.decode(), stderr.decode())

        first = await run("--synthetic", "small")
        assert first.returncode == 0, first.stderr
        loaded = f"synthetic small dataset loaded into {backend}: 2 plans, 10 strategies, 200 tasks"
        assert loaded in first.stdout
        again = await run("--synthetic", "small")
        assert again.returncode == 2
        # One line for the user, no traceback (alembic's INFO log lines aside).
        problems = [line for line in again.stderr.splitlines() if not line.startswith("INFO ")]
        assert len(problems) == 1, again.stderr
        assert problems[0].startswith(
            f"stratagraph: error: cannot load synthetic data into {backend}"
        )
        assert "already holds data" in problems[0]
        unknown = await run("--synthetic", "huge")
        assert unknown.returncode == 2
        assert "invalid choice: 'huge'" in unknown.stderr
