"""The Query root: lookups, Relay node fields and the top-level connections."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from sqlalchemy import select
from strawberry.types import Info

from service.queries import catalog
from service.selection import SLUG

from . import resolvers
from .errors import BadUserInput
from .relay import decode_id
from .types.entities import NODE_TYPES, Document, Node, Plan


async def _node(info: Info[Any, Any], global_id: str, argument: str) -> Node | None:
    type_name, pk = decode_id(global_id, argument)
    kind = NODE_TYPES.get(type_name)
    if kind is None:
        raise BadUserInput(argument, f"{global_id!r} is not a global ID returned by this API")
    row = await resolvers.by_id(info, catalog.TABLES[kind.table]).load(pk)
    return kind.from_row(row) if row is not None else None


@strawberry.type(description="Read access to the policy dataset.")
class Query:
    @strawberry.field(description="Any object by its global ID; null when it does not exist.")
    async def node(
        self,
        info: Info[Any, Any],
        id: Annotated[strawberry.ID, strawberry.argument(description="Global ID.")],
    ) -> Node | None:
        return await _node(info, id, "id")

    @strawberry.field(description="Objects by global IDs, in the order given (null where missing).")
    async def nodes(
        self,
        info: Info[Any, Any],
        ids: Annotated[
            list[strawberry.ID], strawberry.argument(description="Global IDs (at most 100).")
        ],
    ) -> list[Node | None]:
        if len(ids) > 100:
            raise BadUserInput("ids", f"{len(ids)} IDs given; ask for at most 100 at a time")
        return [await _node(info, i, "ids") for i in ids]

    @strawberry.field(description="The source documents.")
    async def documents(self, info: Info[Any, Any]) -> list[Document]:
        rows = await resolvers.context(info).reader.rows(
            select(catalog.document).order_by(catalog.document.c.id)
        )
        return [Document.from_row(r) for r in rows]

    @strawberry.field(description="All plans, by announcement date.")
    async def plans(self, info: Info[Any, Any]) -> list[Plan]:
        p = catalog.plan
        rows = await resolvers.context(info).reader.rows(
            select(p).order_by(p.c.announced_on.asc().nulls_first(), p.c.id)
        )
        return [Plan.from_row(r) for r in rows]

    @strawberry.field(description="A plan by slug; null when there is none.")
    async def plan(
        self,
        info: Info[Any, Any],
        slug: Annotated[str, strawberry.argument(description="e.g. digital-strategy-of-korea")],
    ) -> Plan | None:
        if not SLUG.match(slug):
            raise BadUserInput(
                "slug", f"{slug!r} is not a slug (lower-case letters, digits and hyphens)"
            )
        row = await resolvers.by_column(info, catalog.plan, "slug").load(slug)
        return Plan.from_row(row) if row is not None else None
