"""Schema extensions that ``build_schema`` installs run on every ``/graphql`` request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.applications import Starlette
from starlette.routing import Route
from strawberry.extensions import SchemaExtension

from schema.build import build_schema
from schema.context import make_context
from schema.http import GraphQLEndpoint
from schema.limits import Limits
from schema.operation import Operations
from service.core.bounds_by_version import BoundsByVersion
from service.core.internal_reads import InternalReads
from service.core.list_bounds import read_list_bounds
from tests.conftest import bound_sessions
from tests.schema.fixtures import insert_small_dataset
from tests.schema.http_support import asgi_client


class Recorder(SchemaExtension):
    """Notes each operation it sees executed."""

    seen: ClassVar[list[str]] = []

    def on_execute(self) -> Iterator[None]:
        yield
        Recorder.seen.append(self.execution_context.query or "")


async def test_extensions_run_on_http_requests(db: AsyncConnection) -> None:
    await insert_small_dataset(db)
    sessions = bound_sessions(db)
    endpoint = GraphQLEndpoint(
        Operations(build_schema(extensions=(Recorder,)), Limits()),
        lambda request: make_context(sessions, request),
        list_bounds=BoundsByVersion(
            lambda: InternalReads(sessions, None).run(read_list_bounds)
        ).get,
    )
    app = Starlette(routes=[Route("/graphql", endpoint, methods=["GET", "POST"])])
    Recorder.seen.clear()
    async with asgi_client(app) as client:
        first = await client.post("/graphql", json={"query": "{ plans { slug } }"})
        second = await client.get("/graphql", params={"query": "{ plans { title } }"})
    assert first.status_code == second.status_code == 200, first.text
    assert first.json()["data"]["plans"][0]["slug"] == "plan-a", first.text
    assert Recorder.seen == ["{ plans { slug } }", "{ plans { title } }"]
