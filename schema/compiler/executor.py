"""Run an operation's compiled root fields as one statement; hand the rest to the resolvers.

``Compiler.split`` plans the operation (per request: directives and arguments depend on the
variables) and returns the compiled part, whose SQL text is cached per prepared document,
operation name and plan shape, plus an operation holding only the root fields it does not
cover (introspection, fields without a compiled form), for graphql-core to run. Any argument
error, or variables that do not coerce, leave the whole operation to the resolvers, which
report them exactly as they always have.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

import strawberry
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    get_variable_values,
)

from schema.compiler.plan import Plan, Root
from schema.compiler.planner import NotCompiled, Planner
from schema.compiler.sql import Renderer
from schema.core_schema import core_schema
from service.core.queries.reader import Reader

_CACHE_SIZE = 64  # shapes per prepared document


@dataclass(frozen=True)
class Split:
    """The compiled root fields, the keys of all root fields in document order, and the
    source text of the rest (None when everything is compiled)."""

    plan: Plan
    keys: tuple[str, ...]
    rest: str | None


@dataclass(frozen=True)
class Answer:
    """The compiled root fields' JSON in plan order, and the data version read with them."""

    values: list[bytes]
    version: int | None = None


class Compiler:
    def __init__(self, schema: strawberry.Schema) -> None:
        self.planner = Planner(schema)
        self.graphql_schema = core_schema(schema)

    def split(
        self,
        source: str,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any] | None,
    ) -> Split | None:
        """What of the operation is compiled, or None when the resolvers run it all."""
        if operation.operation is not OperationType.QUERY:
            return None
        coerced = get_variable_values(
            self.graphql_schema, operation.variable_definitions or (), dict(variables or {})
        )
        if isinstance(coerced, list):
            return None  # graphql-core reports the variables' errors
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        try:
            fields = self.planner.root_fields(operation, coerced, fragments)
            roots: list[Root] = []
            params: list[Any] = []
            left: list[FieldNode] = []
            for key, nodes in fields.items():
                planned: list[Any] = []
                try:
                    root = self.planner.root(key, nodes, coerced, fragments, planned, len(params))
                except NotCompiled:
                    left.extend(nodes)
                    continue
                roots.append(root)
                params.extend(planned)
        except (GraphQLError, NotCompiled):
            return None
        if not roots:
            return None
        rest = None
        if left:
            compiled_nodes = [n for root in roots for n in fields[root.key]]
            rest = _rest_source(source, document, operation, left, compiled_nodes, fragments)
            if rest is None:
                return None
        return Split(Plan(tuple(roots), tuple(params)), tuple(fields), rest)

    def sql(
        self,
        cache: MutableMapping[Any, str],
        reader: Reader,
        name: str | None,
        plan: Plan,
        with_version: bool = False,
    ) -> str:
        """The statement of ``plan`` on the reader's database (cached in ``cache``)."""
        assert reader.sql_dialect is not None
        key = (reader.dialect, name, plan.roots, with_version)
        sql = cache.get(key)
        if sql is None:
            sql = Renderer(reader.sql_dialect).statement(plan, with_version)
            if len(cache) >= _CACHE_SIZE:
                cache.clear()
            cache[key] = sql
        return sql

    async def run(
        self,
        cache: MutableMapping[Any, str],
        reader: Reader,
        name: str | None,
        plan: Plan,
        with_version: bool = False,
    ) -> Answer:
        """Each compiled root field's JSON, in plan order (and the data version the statement
        saw, ``with_version``); ``NotCompiled`` when the database cannot parse a statement
        this deep (remembered for the shape)."""
        sql = self.sql(cache, reader, name, plan, with_version)
        if not sql:
            raise NotCompiled("too deep for the database's parser")
        try:
            row = await reader.driver_row(sql, plan.params)
        except Exception as error:
            if not _too_deep(error):
                raise
            cache[(reader.dialect, name, plan.roots, with_version)] = ""
            raise NotCompiled("too deep for the database's parser") from error
        assert row is not None
        values = row[:-1] if with_version else row
        version = row[-1] if with_version else None
        json = [b"null" if value is None else value.encode() for value in values]
        return Answer(json, None if version is None else int(version))


def _rest_source(
    source: str,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    left: list[FieldNode],
    compiled: list[FieldNode],
    fragments: Mapping[str, FragmentDefinitionNode],
) -> str | None:
    """The document with the compiled root fields (and the fragments only they used) blanked
    out by spaces, so every error of the rest keeps its line and column; None when a root
    field sits inside a fragment (blanking could leave an empty selection)."""
    if not all(isinstance(s, FieldNode) for s in operation.selection_set.selections):
        return None
    others = [
        s
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode) and d is not operation
        for s in d.selection_set.selections
    ]
    used = set(_spread_fragments([*left, *others], fragments))
    chars = list(source)
    for node in [*compiled, *(f for name, f in fragments.items() if name not in used)]:
        if node.loc is None:
            return None
        for i in range(node.loc.start, node.loc.end):
            if chars[i] not in "\r\n":
                chars[i] = " "
    return "".join(chars)


def _spread_fragments(
    nodes: list[Any], fragments: Mapping[str, FragmentDefinitionNode]
) -> list[str]:
    """The fragments the given fields reach (a document must use every fragment it defines)."""
    found: dict[str, None] = {}
    pending: list[Any] = list(nodes)
    while pending:
        node = pending.pop()
        if isinstance(node, FragmentSpreadNode):
            name = node.name.value
            if name in found or name not in fragments:
                continue
            found[name] = None
            pending.extend(fragments[name].selection_set.selections)
        selection_set = getattr(node, "selection_set", None)
        if selection_set is not None:
            pending.extend(selection_set.selections)
    return list(found)


def _too_deep(error: Exception) -> bool:
    """SQLite refuses statements nested beyond its parser stack or expression depth (the
    driver's error, or SQLAlchemy's around it)."""
    message = str(getattr(error, "orig", None) or error)
    return "parser stack overflow" in message or "Expression tree is too large" in message
