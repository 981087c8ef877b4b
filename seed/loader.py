"""``load_curated``: validate every curated file, then make the database equal them in one
transaction. Natural keys: slugs and codes; child rows by (parent key, position)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from service.models import (
    Base,
    task_law,
    task_organisation,
    task_region,
    task_technology,
)

from .errors import SeedError
from .parse import read_dataset
from .records import Cite, Dataset
from .sync import SyncResult, TableChanges, delete_ids, sync_links, sync_table

DATA_DIR = Path(__file__).parent / "data"

__all__ = ["DATA_DIR", "SeedError", "SeedReport", "load_curated"]


@dataclass
class SeedReport:
    """What a load found and changed, per table."""

    tables: dict[str, TableChanges] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(c.inserted or c.updated or c.deleted for c in self.tables.values())

    def __str__(self) -> str:
        counts = ", ".join(f"{name} {c.rows}" for name, c in self.tables.items())
        inserted = sum(c.inserted for c in self.tables.values())
        updated = sum(c.updated for c in self.tables.values())
        deleted = sum(c.deleted for c in self.tables.values())
        return (
            f"curated dataset loaded: {counts} "
            f"(inserted {inserted}, updated {updated}, deleted {deleted})"
        )


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


class _Load:
    def __init__(self, conn: AsyncConnection, data: Dataset) -> None:
        self.conn = conn
        self.data = data
        self.report = SeedReport()
        self.ids: dict[str, dict[Any, int]] = {}
        self.citations: list[dict[str, Any]] = []

    async def sync(
        self, name: str, key: tuple[str, ...], rows: list[dict[str, Any]], **options: Any
    ) -> SyncResult:
        result = await sync_table(self.conn, _table(name), key, rows, **options)
        self.report.tables[name] = result.changes
        return result

    def cite(self, table: str, record_id: int, cites: Iterable[Cite]) -> None:
        for cite in cites:
            self.citations.append(
                {
                    "document_id": self.ids["document"][cite.document],
                    "quote": cite.quote,
                    f"{table}_id": record_id,
                }
            )

    async def run(self) -> SeedReport:
        data = self.data
        documents = await self.sync(
            "document", ("slug",), [vars(d).copy() for d in data.documents], delete_stale=False
        )
        self.ids["document"] = {k[0]: v for k, v in documents.ids.items()}
        await self.vocabularies()
        await self.laws()
        await self.hierarchy()
        await self.children()
        await self.links()
        key = ("document_id", "quote", *(f"{t}_id" for t in _CITABLE))
        rows = [{name: row.get(name) for name in key} for row in self.citations]
        await self.sync("citation", key, rows)
        self.report.tables["document"].deleted = await delete_ids(
            self.conn, _table("document"), documents.stale_ids
        )
        return self.report

    async def vocabularies(self) -> None:
        for name, records in (
            ("technology", self.data.technologies),
            ("region", self.data.regions),
            ("organisation", self.data.organisations),
        ):
            rows: list[dict[str, Any]] = []
            for record in records:
                row: dict[str, Any] = {"slug": record.slug, "name": record.name}
                if name != "technology":
                    row["kind"] = record.kind
                if name == "organisation":
                    row["abbreviation"] = record.abbreviation
                rows.append(row)
            result = await self.sync(name, ("slug",), rows)
            ids = self.ids[name] = {k[0]: v for k, v in result.ids.items()}
            if name != "technology":
                # Parents are set in a second pass: a parent may come later in the file.
                parents = [
                    {"slug": r.slug, "parent_id": ids[r.parent] if r.parent else None}
                    for r in records
                ]
                second = await sync_table(
                    self.conn, _table(name), ("slug",), parents, delete_stale=False
                )
                self.report.tables[name].updated += second.changes.updated
            for record in records:
                self.cite(name, ids[record.slug], record.cites)

    async def laws(self) -> None:
        rows = [
            {
                "slug": law.slug,
                "title": law.title,
                "kind": law.kind,
                "status": law.status,
                "status_text": law.status_text,
                "enacted_on": law.enacted_on,
                "enacted_precision": law.enacted_precision,
                "description": law.description,
            }
            for law in self.data.laws
        ]
        laws = await self.sync("law", ("slug",), rows)
        self.ids["law"] = ids = {k[0]: v for k, v in laws.ids.items()}
        alias_rows = [
            {
                "alias": alias.alias,
                "law_id": ids[law.slug],
                "document_id": self.ids["document"][alias.document] if alias.document else None,
            }
            for law in self.data.laws
            for alias in law.aliases
        ]
        aliases = await self.sync("law_alias", ("alias",), alias_rows)
        for law in self.data.laws:
            self.cite("law", ids[law.slug], law.cites)
            for alias in law.aliases:
                self.cite("law_alias", aliases.ids[(alias.alias,)], alias.cites)

    async def hierarchy(self) -> None:
        data = self.data
        plans = await self.sync(
            "plan",
            ("slug",),
            [
                {
                    "slug": p.slug,
                    "title": p.title,
                    "announced_on": p.announced_on,
                    "document_id": self.ids["document"][p.document],
                    "summary": p.summary,
                }
                for p in data.plans
            ],
        )
        self.ids["plan"] = {k[0]: v for k, v in plans.ids.items()}
        strategies = await self.sync(
            "strategy",
            ("code",),
            [
                {
                    "code": s.code,
                    "plan_id": self.ids["plan"][s.plan],
                    "position": s.position,
                    "label": s.label,
                    "title": s.title,
                    "description": s.description,
                }
                for s in data.strategies
            ],
            unique_position=True,
        )
        self.ids["strategy"] = {k[0]: v for k, v in strategies.ids.items()}
        # Tasks level by level, so a parent's id exists before its sub-tasks are written.
        depth: dict[str, int] = {}
        for task in data.tasks:
            depth[task.code] = depth[task.parent] + 1 if task.parent else 0
        task_ids: dict[Any, int] = {}
        total = TableChanges()
        stale: list[int] = []
        for level in range(max(depth.values(), default=-1) + 1):
            rows = [
                {
                    "code": t.code,
                    "strategy_id": self.ids["strategy"][t.strategy],
                    "parent_id": task_ids[t.parent] if t.parent else None,
                    "position": t.position,
                    "label": t.label,
                    "title": t.title,
                    "description": t.description,
                }
                for t in data.tasks
                if depth[t.code] == level
            ]
            result = await sync_table(
                self.conn, _table("task"), ("code",), rows, delete_stale=False
            )
            task_ids.update({k[0]: v for k, v in result.ids.items()})
            stale = result.stale_ids if level == 0 else [i for i in stale if i in result.stale_ids]
            total.rows += result.changes.rows
            total.inserted += result.changes.inserted
            total.updated += result.changes.updated
        total.deleted = await delete_ids(self.conn, _table("task"), stale)
        self.report.tables["task"] = total
        self.ids["task"] = task_ids
        for p in data.plans:
            self.cite("plan", self.ids["plan"][p.slug], p.cites)
        for s in data.strategies:
            self.cite("strategy", self.ids["strategy"][s.code], s.cites)
        for t in data.tasks:
            self.cite("task", task_ids[t.code], t.cites)

    async def children(self) -> None:
        tasks = self.data.tasks
        task_ids = self.ids["task"]
        for name, attribute, options in (
            ("milestone", "milestones", {"revision_column": "revision"}),
            ("budget", "budgets", {}),
            ("target", "targets", {}),
        ):
            rows: list[dict[str, Any]] = []
            owners: list[tuple[int, Any]] = []
            for task in tasks:
                for position, child in enumerate(getattr(task, attribute), start=1):
                    row = {k: v for k, v in vars(child).items() if k != "cites"}
                    row.update(task_id=task_ids[task.code], position=position)
                    rows.append(row)
                    owners.append((position, child))
            result = await self.sync(name, ("task_id", "position"), rows, **options)
            for row, (_, child) in zip(rows, owners, strict=True):
                self.cite(name, result.ids[(row["task_id"], row["position"])], child.cites)

    async def links(self) -> None:
        task_ids = self.ids["task"]
        for table, attribute, vocabulary in (
            (task_law, "laws", "law"),
            (task_technology, "technologies", "technology"),
            (task_region, "regions", "region"),
            (task_organisation, "organisations", "organisation"),
        ):
            pairs = {
                (task_ids[task.code], self.ids[vocabulary][slug])
                for task in self.data.tasks
                for slug in getattr(task, attribute)
            }
            self.report.tables[table.name] = await sync_links(
                self.conn, table, ("task_id", f"{vocabulary}_id"), pairs
            )


_CITABLE = (
    "plan",
    "strategy",
    "task",
    "milestone",
    "budget",
    "law",
    "law_alias",
    "target",
    "technology",
    "region",
    "organisation",
)


async def load_curated(engine: AsyncEngine, data_dir: Path | None = None) -> SeedReport:
    """Validate every curated file, then load them all in one transaction.

    Raises SeedError (naming file, line, record and field) before touching the database when
    any file is invalid. Afterwards the database holds exactly what the files say.
    """
    dataset = read_dataset(data_dir or DATA_DIR)
    async with engine.begin() as conn:
        return await _Load(conn, dataset).run()
