"""``load_curated``: validate every curated file, then make the database equal them in one
transaction. Natural keys: slugs and codes; child rows by (parent key, position)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from seed.errors import SeedError
from seed.parse import read_dataset
from seed.records import Cite, Dataset
from seed.sync import SyncResult, TableChanges, delete_ids, sync_links, sync_table
from service.core import search_index
from service.core.models import (
    CITABLE_TABLES,
    Base,
    Plan,
    law_group_member,
    task_law,
    task_organisation,
    task_region,
    task_technology,
)

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


async def _refuse_foreign_plans(conn: AsyncConnection, data: Dataset, directory: Path) -> None:
    stored = set((await conn.execute(select(Plan.slug))).scalars())
    foreign = sorted(stored - {plan.slug for plan in data.plans})
    if foreign:
        shown = ", ".join(foreign[:5]) + (
            f" and {len(foreign) - 5} more" if len(foreign) > 5 else ""
        )
        raise SeedError(
            [
                f"{directory}: the database holds plans the curated files do not ({shown}); "
                "loading would delete them: use `stratagraph seed --replace` to do so"
            ]
        )


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
            "document",
            ("slug",),
            [{"slug": d.slug, **d.values} for d in data.documents],
            delete_stale=False,
        )
        self.ids["document"] = {k[0]: v for k, v in documents.ids.items()}
        await self.vocabularies()
        await self.laws()
        await self.hierarchy()
        await self.children()
        await self.links()
        key = ("document_id", "quote", *(f"{t}_id" for t in CITABLE_TABLES))
        rows = [{name: row.get(name) for name in key} for row in self.citations]
        await self.sync("citation", key, rows)
        self.report.tables["document"].deleted = await delete_ids(
            self.conn, _table("document"), documents.stale_ids
        )
        return self.report

    async def tree(
        self, name: str, key: str, items: list[tuple[str, str | None, dict[str, Any]]]
    ) -> dict[str, int]:
        """Sync a self-referencing table level by level, so every parent has an id before
        its children are written. ``items`` are (key, parent key, row without parent_id)."""
        parents = {item_key: parent for item_key, parent, _ in items}
        depth: dict[str, int] = {}

        def depth_of(item_key: str) -> int:
            if item_key not in depth:
                parent = parents[item_key]
                depth[item_key] = depth_of(parent) + 1 if parent else 0
            return depth[item_key]

        ids: dict[str, int] = {}
        total = TableChanges()
        stale: set[int] | None = None
        levels = max((depth_of(k) for k in parents), default=-1) + 1
        for level in range(max(levels, 1)):
            rows = [
                {**row, "parent_id": ids[parent] if parent else None}
                for item_key, parent, row in items
                if depth_of(item_key) == level
            ]
            result = await sync_table(self.conn, _table(name), (key,), rows, delete_stale=False)
            ids.update({k[0]: v for k, v in result.ids.items()})
            # Stale = in the table but at no level of the files.
            stale = set(result.stale_ids) if stale is None else stale & set(result.stale_ids)
            total.rows += result.changes.rows
            total.inserted += result.changes.inserted
            total.updated += result.changes.updated
        total.deleted = await delete_ids(self.conn, _table(name), sorted(stale or ()))
        self.report.tables[name] = total
        self.ids[name] = ids
        return ids

    async def vocabularies(self) -> None:
        technologies = await self.sync(
            "technology",
            ("slug",),
            [{"slug": r.slug, **r.values} for r in self.data.technologies],
        )
        self.ids["technology"] = {k[0]: v for k, v in technologies.ids.items()}
        for record in self.data.technologies:
            self.cite("technology", self.ids["technology"][record.slug], record.cites)
        for name, records in (
            ("region", self.data.regions),
            ("organisation", self.data.organisations),
        ):
            items = []
            for record in records:
                items.append((record.slug, record.parent, {"slug": record.slug, **record.values}))
            ids = await self.tree(name, "slug", items)
            for record in records:
                self.cite(name, ids[record.slug], record.cites)

    async def laws(self) -> None:
        rows = [{"slug": law.slug, **law.values} for law in self.data.laws]
        laws = await self.sync("law", ("slug",), rows)
        self.ids["law"] = ids = {k[0]: v for k, v in laws.ids.items()}
        alias_rows = [
            {
                "alias": alias.alias,
                **alias.values,
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
        groups = await self.sync(
            "law_group", ("slug",), [{"slug": g.slug, **g.values} for g in self.data.law_groups]
        )
        group_ids = {k[0]: v for k, v in groups.ids.items()}
        for group in self.data.law_groups:
            self.cite("law_group", group_ids[group.slug], group.cites)
        members = {(group_ids[g.slug], ids[law]) for g in self.data.law_groups for law in g.members}
        self.report.tables[law_group_member.name] = await sync_links(
            self.conn, law_group_member, ("law_group_id", "law_id"), members
        )

    async def hierarchy(self) -> None:
        data = self.data
        plans = await self.sync(
            "plan",
            ("slug",),
            [
                {"slug": p.slug, **p.values, "document_id": self.ids["document"][p.document]}
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
                    **s.values,
                }
                for s in data.strategies
            ],
            unique_position=True,
        )
        self.ids["strategy"] = {k[0]: v for k, v in strategies.ids.items()}
        task_ids = await self.tree(
            "task",
            "code",
            [
                (
                    t.code,
                    t.parent,
                    {
                        "code": t.code,
                        "strategy_id": self.ids["strategy"][t.strategy],
                        "position": t.position,
                        **t.values,
                    },
                )
                for t in data.tasks
            ],
        )
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
                    row = {**child.values, "task_id": task_ids[task.code], "position": position}
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


async def load_curated(
    engine: AsyncEngine, data_dir: Path | None = None, *, replace: bool = False
) -> SeedReport:
    """Validate every curated file, then load them all in one transaction.

    Raises SeedError (naming file, line, record and field) before touching the database when
    any file is invalid. Afterwards the database holds exactly what the files say. Plans the
    files do not hold (another dataset, or a plan removed from the files) are deleted only
    with ``replace=True``; otherwise the load is refused and nothing changes.
    """
    directory = data_dir or DATA_DIR
    dataset = read_dataset(directory)
    try:
        async with engine.begin() as conn:
            if not replace:
                await _refuse_foreign_plans(conn, dataset, directory)
            report = await _Load(conn, dataset).run()
            await search_index.refresh(conn)
            return report
    except IntegrityError as exc:
        # Validation should catch everything first; if the database still refuses, say so
        # plainly (the transaction has been rolled back).
        problem = str(exc.orig).splitlines()[0]
        raise SeedError([f"{directory}: the database rejected the data: {problem}"]) from exc
