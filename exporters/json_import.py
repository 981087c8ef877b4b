"""Import a JSON dataset (the JSON exporter's format) into an empty database.

Everything is checked before anything is written: the published JSON Schema (types, enums,
patterns, required fields), then the references between records (every slug or code a
record names exists, natural keys are unique). Then all rows are written in one transaction,
in file order, so exporting the imported database gives the same bytes again.

JSON import lives with the JSON format (exporters/), not in seed/: the file layout is the
JSON exporter's, and both are driven by the data core's ``ENTITIES`` specs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from sqlalchemy import BigInteger, Date, DateTime, Numeric, bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from exporters.json_schema import schema
from service.core import registry, search_index
from service.core.cycles import find_cycles
from service.core.data_version import one_bump_for_bulk_load
from service.core.dataset_reader import ENTITIES, Children, EntitySpec, Link, Reference
from service.core.errors import StratagraphError
from service.core.models import Citation, Document, Entity
from service.core.nesting import TooDeepError, load_json
from service.core.text_rules import text_problem, url_problem

MAX_REPORTED = 20
# A dataset nests 5 levels (file, list, task, citations, citation); anything far deeper is
# not one, and is refused before validation walks it.
DATASET_DEPTH = 5
MAX_DEPTH = 32


class DatasetImportError(StratagraphError):
    """The file cannot be imported; ``problems`` name each record and field."""

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        if len(self.problems) == 1:
            super().__init__(f"{source}: cannot import: {self.problems[0]}")
            return
        shown = "\n  ".join(self.problems[:MAX_REPORTED])
        more = len(self.problems) - MAX_REPORTED
        extra = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(f"{source}: cannot import:\n  {shown}{extra}")


@dataclass
class ImportReport:
    rows: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        return "imported " + ", ".join(f"{n} {name}" for name, n in self.rows.items())


def load_document(path: Path) -> Any:
    try:
        return load_json(path.read_bytes(), MAX_DEPTH)
    except OSError as exc:
        raise DatasetImportError(str(path), [f"cannot read the file: {exc.strerror}"]) from None
    except TooDeepError as exc:
        raise DatasetImportError(
            str(path), [f"not a dataset: {exc} (a dataset nests {DATASET_DEPTH})"]
        ) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DatasetImportError(str(path), [f"not valid JSON: {exc}"]) from None


def _where(document: Any, path: Sequence[Any]) -> str:
    """'tasks[3] (DSK-I-1) field title' for a JSON path."""
    parts: list[str] = []
    node = document
    for step in path:
        if isinstance(step, int):
            parts[-1] = f"{parts[-1]}[{step}]"
            node = node[step] if isinstance(node, list) and step < len(node) else None
            key = _natural_key(node)
            if key:
                parts[-1] += f" ({key if key.isprintable() else repr(key)})"
        else:
            parts.append(str(step))
            node = node.get(step) if isinstance(node, dict) else None
    if len(parts) > 1:
        return " ".join([".".join(parts[:-1]), f"field {parts[-1]!r}"])
    return parts[0] if parts else "the document"


def _natural_key(record: Any) -> str | None:
    if not isinstance(record, dict):
        return None
    for key in ("code", "slug", "alias"):
        if isinstance(record.get(key), str):
            return str(record[key])
    if "task" in record and "position" in record:
        return f"{record['task']} #{record['position']}"
    return None


def _for_validation(node: Any, defs: Mapping[str, Any]) -> Any:
    """The same rules in a form jsonschema checks about twice as fast: every local ``$ref``
    replaced by its definition (ours has no cycles), and ``anyOf: [X, null]`` folded into X
    with ``null`` added to its type (string keywords such as pattern ignore null)."""
    if isinstance(node, dict):
        reference = node.get("$ref")
        if isinstance(reference, str) and reference.startswith("#/$defs/"):
            resolved = dict(defs[reference.removeprefix("#/$defs/")])
            resolved.update({k: v for k, v in node.items() if k != "$ref"})
            return _for_validation(resolved, defs)
        options = node.get("anyOf")
        if isinstance(options, list) and len(options) == 2 and options[1] == {"type": "null"}:
            folded = _for_validation(options[0], defs)
            if isinstance(folded.get("type"), str):
                folded = {**folded, **{k: v for k, v in node.items() if k != "anyOf"}}
                folded["type"] = [folded["type"], "null"]
                if "enum" in folded:
                    folded["enum"] = [*folded["enum"], None]
                return folded
        return {k: _for_validation(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_for_validation(item, defs) for item in node]
    return node


@cache
def _validator() -> Draft202012Validator:
    published = schema()
    return Draft202012Validator(
        _for_validation(published, published["$defs"]), format_checker=FormatChecker()
    )


def schema_problems(document: Any) -> list[str]:
    validator = _validator()
    problems = []
    for error in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.path))):
        problems.append(f"{_where(document, list(error.absolute_path))}: {error.message}")
    return problems


def text_problems(document: Any) -> list[str]:
    """Every string anywhere in the file that no database may store (NUL, lone surrogates)."""
    problems = []
    stack: list[tuple[Any, list[Any]]] = [(document, [])]
    while stack:
        node, path = stack.pop()
        if isinstance(node, str):
            problem = text_problem(node)
            if problem is not None:
                problems.append(f"{_where(document, path)}: {problem}")
        elif isinstance(node, dict):
            stack.extend((value, [*path, key]) for key, value in node.items())
        elif isinstance(node, list):
            stack.extend((value, [*path, index]) for index, value in enumerate(node))
    return sorted(problems)


def value_problems(document: Mapping[str, Any]) -> list[str]:
    """Column values the schema's patterns let through but the column cannot hold: a
    timestamp or date that is no day (month 13), a URL that is not http(s)."""
    problems = []
    for spec in _all_specs():
        columns = spec.model.__table__.c
        for where, record in _records(document, spec):
            for item in spec.items:
                if not isinstance(item, str) or not isinstance(record.get(item), str):
                    continue
                value = record[item]
                try:
                    _column_value(spec, item, value)
                except ValueError as exc:
                    problems.append(f"{where} field {item!r}: {value!r} is not valid: {exc}")
                if columns[item].info.get("format") == "url":
                    problem = url_problem(value)
                    if problem is not None:
                        problems.append(f"{where} field {item!r}: {problem}")
            problems.extend(_timestamp_problems(where, record))
    return problems


def _timestamp_problems(where: str, record: Mapping[str, Any]) -> list[str]:
    problems = []
    stamps = [("updated_at", record.get("updated_at"))]
    for index, citation in enumerate(record.get("citations", [])):
        stamps.append((f"citations[{index}].updated_at", citation.get("updated_at")))
    for name, value in stamps:
        if isinstance(value, str):
            try:
                datetime.fromisoformat(value)
            except ValueError as exc:
                problems.append(f"{where} field {name!r}: {value!r} is not valid: {exc}")
    return problems


def cycle_problems(document: Mapping[str, Any]) -> list[str]:
    """Parent links (a record's reference to its own kind) that loop back to the record."""
    problems = []
    for spec in _all_specs():
        for item in spec.items:
            if not isinstance(item, Reference) or item.model is not spec.model:
                continue
            where: dict[Any, str] = {}
            parents: dict[Any, Any] = {}
            for location, record in _records(document, spec):
                key = _key_of(spec, record)
                where.setdefault(key, location)
                parents[key] = record[item.field]
            for cycle in find_cycles(parents):
                shown = " -> ".join(str(key) for key in cycle)
                problems.append(
                    f"{where[cycle[0]]} field {item.field!r}: {spec.name} form a cycle ({shown})"
                )
    return problems


def _key_of(spec: EntitySpec, record: Mapping[str, Any]) -> Any:
    """The record's natural key (the registry's), as the record names it: a task's item is
    (task code, position), any other record its slug, code or alias."""
    entry = registry.entity(spec.model.__tablename__)
    fields = [entry.field(column) for column in entry.natural_key]
    values = tuple(record[f.reference.name if f.reference else f.name] for f in fields)
    return values[0] if len(values) == 1 else values


def _all_specs() -> Iterator[EntitySpec]:
    for spec in ENTITIES:
        yield spec
        for item in spec.items:
            if isinstance(item, Children):
                yield item.spec


def _records(document: Mapping[str, Any], spec: EntitySpec) -> Iterator[tuple[str, Any]]:
    """(location, record) of every record of ``spec``, nested ones included."""
    for top in ENTITIES:
        for index, record in enumerate(document[top.name]):
            where = f"{top.name}[{index}] ({_key_of(top, record)})"
            if top is spec:
                yield where, record
            for item in top.items:
                if isinstance(item, Children) and item.spec is spec:
                    for child_index, child in enumerate(record[item.field]):
                        yield f"{where}.{item.field}[{child_index}]", child


def reference_problems(document: Mapping[str, Any]) -> list[str]:
    """Unique natural keys, and every reference resolvable inside the file."""
    problems: list[str] = []
    keys: dict[str, set[Any]] = {}
    for spec in _all_specs():
        seen: dict[Any, str] = {}
        for where, record in _records(document, spec):
            key = _key_of(spec, record)
            if key in seen:
                problems.append(f"{where}: the same key as {seen[key]}")
            seen.setdefault(key, where)
        keys[spec.model.__tablename__] = set(seen)
    for spec in _all_specs():
        for where, record in _records(document, spec):
            for item in spec.items:
                if isinstance(item, Reference | Link):
                    table = item.model.__tablename__
                    values = record[item.field]
                    for value in values if isinstance(values, list) else [values]:
                        if value is not None and value not in keys[table]:
                            problems.append(
                                f"{where} field {item.field!r}: no {table} {value!r} in the file"
                            )
            for citation_index, citation in enumerate(record.get("citations", [])):
                if citation["document"] not in keys["document"]:
                    problems.append(
                        f"{where} field 'citations[{citation_index}].document': "
                        f"no document {citation['document']!r} in the file"
                    )
    return problems


def _column_value(spec: EntitySpec, name: str, value: Any) -> Any:
    if value is None:
        return None
    kind = spec.model.__table__.c[name].type
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, BigInteger) and isinstance(value, str):
        return int(value)
    if isinstance(kind, Numeric) and isinstance(value, str):
        return Decimal(value)
    return value


class _Writer:
    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection
        self.ids: dict[str, dict[Any, int]] = {}  # table name -> natural key -> id
        self.report = ImportReport()

    async def write(self, document: Mapping[str, Any]) -> ImportReport:
        for spec in ENTITIES:
            await self._write(spec, document[spec.name], parents=None)
        return self.report

    async def _write(
        self,
        spec: EntitySpec,
        records: Sequence[Mapping[str, Any]],
        parents: tuple[str, list[int]] | None,
    ) -> None:
        table = spec.model.__table__
        name = spec.model.__tablename__
        self_references = [
            item for item in spec.items if isinstance(item, Reference) and item.model is spec.model
        ]
        rows = []
        for index, record in enumerate(records):
            row: dict[str, Any] = {
                "updated_at": _column_value(spec, "updated_at", record["updated_at"])
            }
            if parents is not None:
                row[parents[0]] = parents[1][index]
            for item in spec.items:
                if isinstance(item, str):
                    row[item] = _column_value(spec, item, record[item])
                elif isinstance(item, Reference):
                    value = record[item.field]
                    resolved = item.model is not spec.model and value is not None
                    row[item.column] = (
                        self.ids[item.model.__tablename__][value] if resolved else None
                    )
            rows.append(row)
        known = self.ids.setdefault(name, {})
        if not rows:
            self.report.rows.setdefault(spec.name, 0)
            return
        result = await self.connection.execute(
            insert(spec.model).returning(table.c.id, sort_by_parameter_order=True), rows
        )
        ids = [row_id for (row_id,) in result]
        for record, row_id in zip(records, ids, strict=True):
            known[_key_of(spec, record)] = row_id
        self.report.rows[spec.name] = self.report.rows.get(spec.name, 0) + len(ids)
        for item in self_references:
            await self._set_self_references(spec, item, records, ids)
        await self._write_links_and_citations(spec, records, ids)

    async def _set_self_references(
        self,
        spec: EntitySpec,
        item: Reference,
        records: Sequence[Mapping[str, Any]],
        ids: Sequence[int],
    ) -> None:
        table = spec.model.__table__
        known = self.ids[spec.model.__tablename__]
        updates = [
            {
                "row_id": row_id,
                "target": known[record[item.field]],
                "stamp": _column_value(spec, "updated_at", record["updated_at"]),
            }
            for record, row_id in zip(records, ids, strict=True)
            if record[item.field] is not None
        ]
        if updates:
            # updated_at is set explicitly: the column's onupdate would otherwise move it.
            await self.connection.execute(
                update(spec.model)
                .where(table.c.id == bindparam("row_id"))
                .values({item.column: bindparam("target"), "updated_at": bindparam("stamp")}),
                updates,
            )

    async def _write_links_and_citations(
        self, spec: EntitySpec, records: Sequence[Mapping[str, Any]], ids: Sequence[int]
    ) -> None:
        for item in spec.items:
            if isinstance(item, Link):
                targets = self.ids[item.model.__tablename__]
                links = [
                    {item.near: row_id, item.column: targets[slug]}
                    for record, row_id in zip(records, ids, strict=True)
                    for slug in record[item.field]
                ]
                if links:
                    await self.connection.execute(insert(item.table), links)
            elif isinstance(item, Children):
                children = [child for record in records for child in record[item.field]]
                owners = [
                    row_id
                    for record, row_id in zip(records, ids, strict=True)
                    for _ in record[item.field]
                ]
                await self._write(item.spec, children, parents=(item.parent_column, owners))
        if not spec.cited:
            return
        documents = self.ids[Document.__tablename__]
        citations = [
            {
                "document_id": documents[citation["document"]],
                "quote": citation["quote"],
                spec.citation_column: row_id,
                "updated_at": datetime.fromisoformat(citation["updated_at"]),
            }
            for record, row_id in zip(records, ids, strict=True)
            for citation in record["citations"]
        ]
        if citations:
            await self.connection.execute(insert(Citation), citations)
            self.report.rows["citations"] = self.report.rows.get("citations", 0) + len(citations)


async def _is_empty(connection: AsyncConnection, models: Sequence[type[Entity]]) -> bool:
    for model in models:
        count = (await connection.execute(select(func.count()).select_from(model))).scalar_one()
        if count:
            return False
    return True


async def import_dataset(
    engine: AsyncEngine, document: Any, source: str = "the file"
) -> ImportReport:
    """Validate ``document`` (parsed JSON), then write it all in one transaction."""
    problems = text_problems(document) or schema_problems(document)
    if not problems:
        problems = value_problems(document) or reference_problems(document)
    if not problems:
        problems = cycle_problems(document)
    if problems:
        raise DatasetImportError(source, problems)
    async with engine.begin() as connection:
        if not await _is_empty(connection, [spec.model for spec in _all_specs()]):
            raise DatasetImportError(
                source, ["the database already holds data; import needs an empty database"]
            )
        try:
            async with one_bump_for_bulk_load(connection):
                report = await _Writer(connection).write(document)
                await search_index.refresh(connection)
                return report
        except IntegrityError as exc:
            detail = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise DatasetImportError(source, [f"the database refused the data: {detail}"]) from None
