"""Run one GraphQL operation: parse and validate (cached), check limits, execute, report.

This is the transport-independent core of ``/graphql``, and what the schema tests run
(``run``). Parsing and validation (with the limits) are cached per source text here, so a
bad request is answered before any execution; execution goes through strawberry's
``Schema.execute``, so the extensions the schema was built with run on every request.
Each outcome says which phase failed, because GraphQL-over-HTTP picks the status code
from it.
"""

from __future__ import annotations

import asyncio
import enum
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import strawberry
from graphql import (
    DocumentNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    parse,
    specified_rules,
    validate,
)

from schema.compiler.executor import Compiler, Split
from schema.compiler.planner import NotCompiled
from schema.compiler.reuse import KeySlot, Template, key_slots, keyed, template
from schema.core_schema import core_schema
from schema.input_check import variables_error
from schema.limits import (
    Limits,
    count_nodes,
    is_token_limit_error,
    node_limit_error,
    token_limit_error,
)
from service.core.database import failure_kind, first_line
from service.core.list_bounds import ListBounds
from service.core.queries.reader import Reader

logger = logging.getLogger("stratagraph.graphql")
NO_BOUNDS = ListBounds({})  # no unpaged list is known to be bounded
SPLITS_PER_DOCUMENT = 16  # variable sets whose plans a prepared document keeps

FormattedError = Mapping[str, Any]

PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
BAD_USER_INPUT = "BAD_USER_INPUT"
OPERATION_NOT_FOUND = "OPERATION_RESOLUTION_FAILURE"
INTERNAL = "INTERNAL_SERVER_ERROR"
MASKED_MESSAGE = "Internal server error"
UNAVAILABLE = "SERVICE_UNAVAILABLE"
STATEMENT_TIMEOUT = "STATEMENT_TIMEOUT"
REQUEST_TIMEOUT = "REQUEST_TIMEOUT"


class Unplanned(enum.Enum):
    """``Operations.execute`` plans the operation itself."""

    UNPLANNED = "unplanned"


UNPLANNED = Unplanned.UNPLANNED


class Phase(enum.Enum):
    """How far a request got; request errors (all but EXECUTED) carry no ``data`` entry."""

    PARSE = "parse"
    VALIDATION = "validation"
    OPERATION = "operation"
    LIMIT = "limit"
    VARIABLES = "variables"
    INTERNAL = "internal"
    UNAVAILABLE = "unavailable"  # the database is unreachable, restarting or not answering
    TIMEOUT = "timeout"  # a statement or the request ran out of time
    EXECUTED = "executed"


@dataclass(frozen=True)
class Prepared:
    """A parsed document and its validation verdict (cached per source text)."""

    source: str
    document: DocumentNode | None
    errors: tuple[GraphQLError, ...]
    phase: Phase | None  # PARSE or VALIDATION when ``errors``
    # (operation name, list bounds) -> node count, for operations whose count needs no variables
    node_counts: dict[tuple[str | None, Any], int] = field(default_factory=dict, compare=False)
    statements: dict[Any, str] = field(default_factory=dict, compare=False)  # compiled SQL
    # (operation name, variables as JSON) -> what the compiler runs, for repeated requests
    splits: dict[tuple[str | None, str], Split | None] = field(default_factory=dict, compare=False)
    # operation name -> its key slots; (operation name, the variables but the keys) -> a plan
    key_slots: dict[str | None, tuple[KeySlot, ...]] = field(default_factory=dict, compare=False)
    templates: dict[tuple[str | None, str], Template] = field(default_factory=dict, compare=False)

    def operation(self, name: str | None) -> OperationDefinitionNode | GraphQLError:
        """The operation to run, as graphql-core would pick it, or why none can be."""
        assert self.document is not None
        operations = [
            d for d in self.document.definitions if isinstance(d, OperationDefinitionNode)
        ]
        if name is None:
            if len(operations) == 1:
                return operations[0]
            return _coded(
                "The document holds several operations; name one in operationName",
                OPERATION_NOT_FOUND,
            )
        for candidate in operations:
            if candidate.name is not None and candidate.name.value == name:
                return candidate
        return _coded(f"The document has no operation named {name!r}", OPERATION_NOT_FOUND)


@dataclass(frozen=True)
class Outcome:
    """The response body parts and the phase that decides the status code."""

    phase: Phase
    errors: list[FormattedError]
    resolved: dict[str, Any] | None = None  # ``data`` as the resolvers made it
    data_json: bytes | None = None  # ``data`` as JSON, when it was built as bytes
    version: int | None = None  # the data version read with the answer (``with_version``)

    @property
    def data(self) -> dict[str, Any] | None:
        if self.data_json is not None:
            data: dict[str, Any] = json.loads(self.data_json)
            return data
        return self.resolved

    @property
    def executed(self) -> bool:
        return self.phase is Phase.EXECUTED

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {}
        if self.errors:
            body["errors"] = self.errors
        if self.executed:
            body["data"] = self.data
        return body

    def encode(self) -> bytes:
        """The response body as JSON bytes (compiled data spliced in as it is)."""
        if self.data_json is None or not self.executed:
            return encode_json(self.body())
        head = b'{"errors":' + encode_json(self.errors) + b"," if self.errors else b"{"
        return head + b'"data":' + self.data_json + b"}"


def encode_json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class Operations:
    """Prepares and runs operations against one schema under one set of limits."""

    def __init__(
        self,
        schema: strawberry.Schema,
        limits: Limits,
        cache_size: int = 512,
        *,
        compiled: bool = True,
    ) -> None:
        """``compiled=False`` runs every operation on the resolvers (the reference path), as
        does a schema given extensions of its own (``build.StratagraphSchema``)."""
        self.schema = schema
        added = getattr(schema, "added_extensions", ())
        self.compiler = Compiler(schema) if compiled and not added else None
        self.graphql_schema = core_schema(schema)
        self.limits = limits
        self._rules = (
            *specified_rules,
            *limits.validation_rules(),
        )
        self.prepare: Callable[[str], Prepared] = lru_cache(maxsize=cache_size)(self._prepare)

    def _prepare(self, source: str) -> Prepared:
        try:
            document = parse(source, **self.limits.parse_options())
        except GraphQLError as error:
            if is_token_limit_error(error):
                return Prepared(source, None, (token_limit_error(self.limits),), Phase.PARSE)
            return Prepared(source, None, (_with_code(error, PARSE_FAILED),), Phase.PARSE)
        errors = validate(self.graphql_schema, document, self._rules)
        if errors:
            coded = tuple(_with_code(e, VALIDATION_FAILED) for e in errors)
            return Prepared(source, document, coded, Phase.VALIDATION)
        return Prepared(source, document, (), None)

    def check_variables(self, variables: Mapping[str, Any] | None) -> GraphQLError | None:
        """A string variable no database may be asked about (NUL, lone surrogate, too long)."""
        return variables_error(variables, self.limits.max_string_length)

    def check_nodes(
        self,
        prepared: Prepared,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any] | None,
        bounds: ListBounds,
    ) -> GraphQLError | None:
        """Why the operation may not run (it may return more nodes than allowed), or None."""
        name = operation.name.value if operation.name else None
        key = (name, bounds.key)
        total = prepared.node_counts.get(key)
        if total is None:
            assert prepared.document is not None
            count = count_nodes(
                self.graphql_schema,
                prepared.document,
                operation,
                variables,
                self.limits.default_page_size,
                bounds,
            )
            total = count.total
            if not count.uses_variables:
                if len(prepared.node_counts) > 8:  # counts for older data are not asked again
                    prepared.node_counts.clear()
                prepared.node_counts[key] = total
        if total > self.limits.max_nodes:
            return node_limit_error(total, self.limits.max_nodes)
        return None

    async def run(
        self,
        source: str,
        variables: dict[str, Any] | None = None,
        context: Any = None,
        *,
        operation_name: str | None = None,
        extensions: dict[str, Any] | None = None,
        bounds: ListBounds | None = None,
        request_id: str = "-",
    ) -> Outcome:
        """One operation, every step ``/graphql`` takes after reading the request: prepare
        (cached), pick the operation, check the node limit, execute."""
        prepared = self.prepare(source)
        if prepared.document is None:
            return request_errors(Phase.PARSE, *prepared.errors)
        operation = prepared.operation(operation_name)
        if isinstance(operation, GraphQLError):
            return request_errors(Phase.OPERATION, operation)
        if prepared.errors:
            return request_errors(Phase.VALIDATION, *prepared.errors)
        too_many = self.check_nodes(prepared, operation, variables, bounds or NO_BOUNDS)
        if too_many is not None:
            return request_errors(Phase.LIMIT, too_many)
        return await self.execute(prepared, operation, variables, context, extensions, request_id)

    def split(
        self,
        prepared: Prepared,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any] | None,
    ) -> Split | None:
        """What of the operation the compiler runs (None: the resolvers run it all);
        remembered per variables, since planning depends on nothing else."""
        if self.compiler is None:
            return None
        assert prepared.document is not None
        name = operation.name.value if operation.name else None
        try:
            key = (name, json.dumps(variables, sort_keys=True))
        except (TypeError, ValueError):  # values no JSON request could carry
            return self.compiler.split(prepared.source, prepared.document, operation, variables)
        splits = prepared.splits
        if key not in splits:
            if len(splits) >= SPLITS_PER_DOCUMENT:
                splits.clear()
            splits[key] = self._planned(prepared, operation, name, variables)
        return splits[key]

    def _planned(
        self,
        prepared: Prepared,
        operation: OperationDefinitionNode,
        name: str | None,
        variables: Mapping[str, Any] | None,
    ) -> Split | None:
        """A plan made for other lookup keys, with these keys; else planned afresh."""
        assert self.compiler is not None
        assert prepared.document is not None
        slots = prepared.key_slots.get(name)
        if slots is None:
            slots = key_slots(self.compiler.planner.specs, prepared.document, operation)
            prepared.key_slots[name] = slots
        found = keyed(slots, variables)
        if found is not None:
            kept = prepared.templates.get((name, found[0]))
            if kept is not None:
                return kept.with_keys(found[1])
        split = self.compiler.split(prepared.source, prepared.document, operation, variables)
        made = template(split, slots) if found is not None else None
        if made is not None and found is not None:
            if len(prepared.templates) >= SPLITS_PER_DOCUMENT:
                prepared.templates.clear()
            prepared.templates[(name, found[0])] = made
        return split

    async def execute(
        self,
        prepared: Prepared,
        operation: OperationDefinitionNode,
        variables: dict[str, Any] | None,
        context: Any,
        extensions: dict[str, Any] | None,
        request_id: str,
        *,
        split: Split | Unplanned | None = UNPLANNED,
        with_version: bool = False,
        deadline: float | None = None,
    ) -> Outcome:
        """``split``: from ``split()`` when the caller already asked; ``with_version``: a wholly
        compiled operation reads the data version in its statement (``Outcome.version``);
        ``deadline``: the request's (``deadline()`` when it started), else the budget starts
        now."""
        assert prepared.document is not None
        if isinstance(split, Unplanned):
            split = self.split(prepared, operation, variables)
        try:
            async with asyncio.timeout_at(self.deadline() if deadline is None else deadline):
                return await self._execute(
                    prepared,
                    operation,
                    variables,
                    context,
                    extensions,
                    request_id,
                    split,
                    with_version,
                )
        except TimeoutError:
            return self.out_of_time(request_id)

    def deadline(self) -> float | None:
        """When a request starting now runs out of its budget (event-loop time); None when
        there is no budget."""
        budget = self.limits.request_timeout_ms
        return asyncio.get_running_loop().time() + budget / 1000 if budget else None

    def out_of_time(self, request_id: str) -> Outcome:
        logger.warning("GraphQL request ran out of time [request %s]", request_id)
        return Outcome(Phase.TIMEOUT, [request_timeout_error(self.limits.request_timeout_ms)])

    async def _execute(
        self,
        prepared: Prepared,
        operation: OperationDefinitionNode,
        variables: dict[str, Any] | None,
        context: Any,
        extensions: dict[str, Any] | None,
        request_id: str,
        split: Split | None,
        with_version: bool,
    ) -> Outcome:
        assert prepared.document is not None
        reader = getattr(context, "reader", None)
        if not (isinstance(reader, Reader) and reader.sql_dialect):
            split = None
        if split is None:
            return await self._resolve(
                prepared.source, operation, variables, context, extensions, request_id
            )
        assert self.compiler is not None
        assert isinstance(reader, Reader)
        name = operation.name.value if operation.name else None
        try:
            whole = with_version and split.rest is None
            answer = await self.compiler.run(prepared.statements, reader, name, split.plan, whole)
        except (NotCompiled, GraphQLError):
            # An argument the statement builders refuse: the resolvers report it.
            return await self._resolve(
                prepared.source, operation, variables, context, extensions, request_id
            )
        except Exception as raised:
            failed = self.database_failure(raised, request_id)
            if failed is not None:
                return failed
            logger.exception("Compiled GraphQL execution failed [request %s]", request_id)
            return Outcome(Phase.INTERNAL, [masked_error(request_id)])
        roots = split.plan.roots
        compiled = {root.key: value for root, value in zip(roots, answer.values, strict=True)}
        if split.rest is None:
            data = _splice(split.keys, compiled, {})
            return Outcome(Phase.EXECUTED, [], data_json=data, version=answer.version)
        rest = await self._resolve(
            split.rest, operation, variables, context, extensions, request_id
        )
        if not rest.executed or rest.data is None:
            return rest
        return Outcome(
            Phase.EXECUTED, rest.errors, data_json=_splice(split.keys, compiled, rest.data)
        )

    async def _resolve(
        self,
        source: str,
        operation: OperationDefinitionNode,
        variables: dict[str, Any] | None,
        context: Any,
        extensions: dict[str, Any] | None,
        request_id: str,
    ) -> Outcome:
        try:
            # strawberry's own execution runs the schema's extensions; its parser and
            # validation caches answer for the document ``prepare`` already checked.
            result = await self.schema.execute(
                source,
                variable_values=variables,
                context_value=context,
                operation_name=operation.name.value if operation.name else None,
                operation_extensions=extensions,
            )
        except Exception as raised:
            failed = self.database_failure(raised, request_id)
            if failed is not None:
                return failed
            logger.exception("GraphQL execution failed [request %s]", request_id)
            return Outcome(Phase.INTERNAL, [masked_error(request_id)])
        errors = _distinct(result.errors or [])
        for found in errors:
            if found.original_error is not None:
                failed = self.database_failure(found.original_error, request_id)
                if failed is not None:
                    return failed
        if result.data is None and errors and all(e.path is None for e in errors):
            # Variable coercion failed: graphql-core answers before running any resolver.
            return Outcome(
                Phase.VARIABLES, [_with_code(e, BAD_USER_INPUT).formatted for e in errors]
            )
        return Outcome(
            Phase.EXECUTED,
            [_report(e, request_id) for e in errors],
            result.data,
        )

    def list_bounds_failure(self, error: BaseException, request_id: str) -> Outcome | None:
        """``database_failure`` for the list bounds' read, whose time limit is its own."""
        if failure_kind(error) == "statement_timeout":
            logger.warning("The list bounds' read ran out of time [request %s]", request_id)
            return Outcome(Phase.TIMEOUT, [list_bounds_timeout_error(self.limits)])
        return self.database_failure(error, request_id)

    def database_failure(self, error: BaseException, request_id: str) -> Outcome | None:
        """The whole answer when ``error`` means the database is down or a statement ran out
        of time (one error, not one per field that needed the database); else None."""
        kind = failure_kind(error)
        if kind is None:
            return None
        if kind == "statement_timeout":
            logger.warning("A statement ran out of time [request %s]", request_id)
            return Outcome(Phase.TIMEOUT, [statement_timeout_error(self.limits)])
        # One line, no traceback: an outage fails every request the same way.
        logger.warning("Database unavailable [request %s]: %s", request_id, first_line(error))
        return Outcome(Phase.UNAVAILABLE, [unavailable_error(request_id)])


def _distinct(errors: list[GraphQLError]) -> list[GraphQLError]:
    """One error per failure: a failed batch fails every field that waited for it."""
    seen: set[int] = set()
    kept = []
    for error in errors:
        original = error.original_error
        if original is not None and not isinstance(original, GraphQLError):
            if id(original) in seen:
                continue
            seen.add(id(original))
        kept.append(error)
    return kept


def unavailable_error(request_id: str) -> dict[str, Any]:
    return {
        "message": "The database is unavailable; retry shortly",
        "extensions": {"code": UNAVAILABLE, "requestId": request_id},
    }


@dataclass(frozen=True)
class _TimeLimit:
    """A time limit as its error names it: what ran out of time, the setting, what to do."""

    what: str
    setting: str
    advice: str
    code: str

    def error(self, maximum: int) -> dict[str, Any]:
        return {
            "message": f"{self.what} took longer than {maximum} ms ({self.setting}); {self.advice}",
            "extensions": {"code": self.code, "limit": self.setting, "maximum": maximum},
        }


_STATEMENT_LIMIT = _TimeLimit(
    "A database statement",
    "STRATAGRAPH_STATEMENT_TIMEOUT_MS",
    "ask for fewer or smaller lists",
    STATEMENT_TIMEOUT,
)
_LIST_BOUNDS_LIMIT = _TimeLimit(
    "Reading the sizes of the data's lists (for the node limit)",
    "STRATAGRAPH_LIST_BOUNDS_TIMEOUT_MS",
    "retry later",
    STATEMENT_TIMEOUT,
)
_REQUEST_LIMIT = _TimeLimit(
    "The request",
    "STRATAGRAPH_REQUEST_TIMEOUT_MS",
    "ask for less, or split the query",
    REQUEST_TIMEOUT,
)


def statement_timeout_error(limits: Limits) -> dict[str, Any]:
    return _STATEMENT_LIMIT.error(limits.statement_timeout_ms)


def list_bounds_timeout_error(limits: Limits) -> dict[str, Any]:
    return _LIST_BOUNDS_LIMIT.error(limits.list_bounds_timeout_ms)


def request_timeout_error(maximum: int) -> dict[str, Any]:
    return _REQUEST_LIMIT.error(maximum)


def _splice(keys: tuple[str, ...], compiled: dict[str, bytes], resolved: dict[str, Any]) -> bytes:
    """The data object in document order: compiled bytes as they are, resolved values encoded."""
    parts = [
        encode_json(key) + b":" + (compiled[key] if key in compiled else encode_json(resolved[key]))
        for key in keys
    ]
    return b"{" + b",".join(parts) + b"}"


def request_errors(phase: Phase, *errors: GraphQLError) -> Outcome:
    return Outcome(phase, [e.formatted for e in errors])


def masked_error(request_id: str) -> dict[str, Any]:
    return {"message": MASKED_MESSAGE, "extensions": {"code": INTERNAL, "requestId": request_id}}


def _report(error: GraphQLError, request_id: str) -> FormattedError:
    """An execution error as the client sees it: user errors as raised, the rest masked."""
    if error.extensions and "code" in error.extensions:
        return error.formatted
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        # A resolver's own GraphQLError is meant for the client; graphql-core's (a null in a
        # non-null field) points at a server bug but names only schema fields.
        code = BAD_USER_INPUT if original is not None else INTERNAL
        if original is None:
            logger.error("GraphQL error [request %s]: %s", request_id, error.message)
        return _with_code(error, code).formatted
    logger.error(
        "Unexpected error in %s [request %s]",
        ".".join(str(p) for p in error.path or ()),
        request_id,
        exc_info=original,
    )
    masked = masked_error(request_id)
    if error.locations:
        masked["locations"] = [loc.formatted for loc in error.locations]
    if error.path is not None:
        masked["path"] = error.path
    return masked


def _coded(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})


def _with_code(error: GraphQLError, code: str) -> GraphQLError:
    if error.extensions and "code" in error.extensions:
        return error
    error.extensions = {**(error.extensions or {}), "code": code}
    return error


def is_query(operation: OperationDefinitionNode) -> bool:
    return operation.operation is OperationType.QUERY
