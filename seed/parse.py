"""Turn the curated YAML files into a checked ``Dataset``, or report every problem found.

Every message names the file and line, the record (by its natural key) and the field.
Records note the keys they refer to and the quotes they cite as they are read; references
and quotes are checked once every file is read (a record may refer to one defined later),
whatever else was wrong with the records.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.schema import ColumnDefault

from seed import columns
from seed.errors import SeedError
from seed.files import LineDict, read_yaml
from seed.fuzzy_dates import EdtfError, parse_edtf
from seed.quotes import quote_problems
from seed.records import (
    AliasRecord,
    Cite,
    Dataset,
    DocumentRecord,
    ItemRecord,
    LawGroupRecord,
    LawRecord,
    PlanRecord,
    StrategyRecord,
    TaskRecord,
    Values,
    VocabularyRecord,
)
from service.core.identifiers import CURATED_CODE, SLUG
from service.core.int_ranges import INT32, integer_range, range_problem
from service.core.models import MilestoneStatus
from service.core.outline import label_number, task_kind
from service.core.registry import StoredField
from service.core.text_rules import text_problem, url_problem

_MISSING = object()
TEXT_LIMIT = 5000  # characters of an unbounded text column
T = TypeVar("T")


@dataclass(frozen=True)
class _Reference:
    """``record``'s ``field`` names the ``kind`` record whose natural key is ``key``."""

    record: Record
    field: str
    kind: str
    key: str


@dataclass
class _Findings:
    """What reading the files collects: problems, and what is checked once all are read."""

    problems: list[str] = field(default_factory=list)
    references: list[_Reference] = field(default_factory=list)
    cites: list[Cite] = field(default_factory=list)


class Record:
    """Typed, checked access to one YAML mapping; problems are collected, not raised."""

    def __init__(
        self,
        data: Any,
        file: str,
        what: str,
        findings: _Findings,
        allowed: Iterable[str],
        default_document: str | None = None,
        line: int = 0,
        key: tuple[str, str] | None = None,
    ) -> None:
        """``key`` is (record kind, key field): when present, the record is named by it."""
        self.file = file
        self.what = what
        self.findings = findings
        self.failed: set[str] = set()  # fields already reported: no second, derived problem
        self.default_document = default_document
        self.line = data.line if isinstance(data, LineDict) else line
        self.data: dict[str, Any] = data if isinstance(data, dict) else {}
        if key is not None and isinstance(self.data.get(key[1]), str):
            self.what = f"{key[0]} {self.data[key[1]]}"
        if not isinstance(data, dict):
            self.fail(None, f"expected a mapping, got {type(data).__name__}")
        for name in self.data:
            if name not in allowed:
                self.fail(str(name), "unknown field")

    def fail(self, field: str | None, problem: str) -> None:
        if field:
            self.failed.add(field)
        where = f"{self.file}:{self.line}: {self.what}"
        self.findings.problems.append(
            f"{where}: field '{field}': {problem}" if field else f"{where}: {problem}"
        )

    def refer(self, field: str, kind: str, key: str) -> None:
        """Note that ``field`` names a ``kind`` record by ``key`` (checked after every file)."""
        self.findings.references.append(_Reference(self, field, kind, key))

    def _get(self, name: str, required: bool) -> Any:
        value = self.data.get(name, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self.fail(name, "missing required field")
            return None
        return value

    def text(self, name: str, required: bool = True, max_length: int = 1000) -> str | None:
        value = self._get(name, required)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(name, f"expected non-empty text, got {value!r}")
            return None
        if len(value) > max_length:
            self.fail(name, f"longer than {max_length} characters")
        problem = text_problem(value)
        if problem is not None:
            self.fail(name, problem)
            return None
        return value

    def url(self, name: str) -> str | None:
        value = self.text(name, False, 500)
        problem = url_problem(value) if value is not None else None
        if problem is not None:
            self.fail(name, problem)
            return None
        return value

    def req_text(self, name: str, max_length: int = 1000) -> str:
        return self.text(name, True, max_length) or ""

    def pattern(self, name: str, regex: re.Pattern[str], meaning: str) -> str:
        value = self.req_text(name, 100)
        if value and not regex.fullmatch(value):
            self.fail(name, f"{value!r} is not a valid {meaning}")
        return value

    def day(self, name: str, required: bool = False) -> date | None:
        value = self._get(name, required)
        if value is None or (isinstance(value, date) and type(value) is date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(name, f"{value!r} is not a date (YYYY-MM-DD)")
        return None

    def integer(
        self,
        name: str,
        required: bool = False,
        minimum: int | None = None,
        bounds: tuple[int, int] = INT32,
    ) -> int | None:
        """``bounds``: what the column holds (32-bit unless it is a BigInteger)."""
        value = self._get(name, required)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(name, f"expected an integer, got {value!r}")
            return None
        if minimum is not None and value < minimum:
            self.fail(name, f"{value} is below {minimum}")
            return None
        problem = range_problem(value, bounds)
        if problem is not None:
            self.fail(name, problem)
            return None
        return value

    def number(self, name: str, required: bool = False) -> Decimal | None:
        value = self._get(name, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.fail(name, f"expected a number, got {value!r}")
            return None
        try:
            return Decimal(str(value))
        except InvalidOperation:
            self.fail(name, f"{value!r} is not a number")
            return None

    def choice(self, name: str, options: type[enum.StrEnum], default: str | None = None) -> str:
        value = self._get(name, default is None)
        if value is None:
            return default or ""
        allowed = [member.value for member in options]
        if value not in allowed:
            self.fail(name, f"{value!r} is not one of {', '.join(allowed)}")
        return str(value)

    def slugs(self, name: str, kind: str) -> list[str]:
        """A list of slugs of ``kind`` records."""
        value = self._get(name, False)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(name, "expected a list of slugs")
            return []
        if len(set(value)) != len(value):
            self.fail(name, "lists a slug twice")
        for slug in value:
            self.refer(name, kind, slug)
        return list(value)

    def items(self, name: str, required: bool = False) -> list[Any]:
        value = self._get(name, required)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(name, "expected a list")
            return []
        return value

    def cites(self, name: str = "cite") -> list[Cite]:
        value = self._get(name, True)
        if value is None:
            return []
        entries = value if isinstance(value, list) else [value]
        result: list[Cite] = []
        where = f"{self.file}:{self.line}: {self.what}"
        for entry in entries:
            if isinstance(entry, str) and self.default_document:
                result.append(Cite(self.default_document, entry, where))
            elif isinstance(entry, dict) and set(entry) == {"document", "quote"}:
                document, quote = entry["document"], entry["quote"]
                if isinstance(document, str) and isinstance(quote, str) and quote:
                    result.append(Cite(document, quote, where))
                else:
                    self.fail(name, "a citation needs a document slug and a non-empty quote")
            else:
                self.fail(name, "expected a quote, or {document: slug, quote: text}")
        if not result and entries:
            self.fail(name, "no valid citation")
        elif not entries:
            self.fail(name, "at least one citation is required")
        if len(set(result)) != len(result):
            self.fail(name, "the same quote is cited twice")
        for cite in result:
            problem = text_problem(cite.quote)
            if problem is not None:
                self.fail(name, f"the quote {problem}")
            self.refer(name, "document", cite.document)
        self.findings.cites.extend(result)
        return result

    def column(self, entity: str, stored: StoredField) -> Any:
        """The value of a stated column, read and checked by the column's type."""
        name = columns.key_of(entity, stored.name)
        default = _scalar_default(stored)
        required = not stored.nullable and default is None
        python = stored.python_type
        value: Any
        if stored.enum is not None:
            return self.choice(name, stored.enum, default=default)
        if python is str and stored.column.info.get("format") == "url":
            value = self.url(name)
        elif python is str:
            value = self.text(name, required, stored.max_length or TEXT_LIMIT)
        elif python is int:
            minimum = columns.MINIMUMS.get((entity, stored.name))
            bounds = integer_range(stored.column.type) or INT32
            value = self.integer(name, required, minimum=minimum, bounds=bounds)
        elif python is Decimal:
            value = self.number(name, required)
        elif python is date:
            value = self.day(name, required)
        else:  # pragma: no cover - a new column type needs a reader here
            raise TypeError(f"{entity}.{stored.name}: no YAML reader for {python.__name__}")
        return default if value is None else value

    def values(self, entity: str, skip: Iterable[str] = ()) -> Values:
        """Every stated column of ``entity`` but ``skip``, by column name."""
        skipped = set(skip)
        return {
            stored.name: self.column(entity, stored)
            for stored in columns.stated(entity)
            if stored.name not in skipped
        }


def _scalar_default(stored: StoredField) -> Any:
    default = stored.column.default
    if isinstance(default, ColumnDefault) and default.is_scalar:
        return default.arg
    return None


def _status(start: date | None, end: date | None, as_of: date | None) -> str:
    """Status as of the plan's announcement: over, under way, or still ahead."""
    if as_of is not None and end is not None and end < as_of:
        return MilestoneStatus.COMPLETED.value
    if as_of is not None and start is not None and start <= as_of:
        return MilestoneStatus.IN_PROGRESS.value
    return MilestoneStatus.PLANNED.value


def _day_text(day: date | None) -> str:
    return "null (open)" if day is None else day.isoformat()


def _fuzzy_span(rec: Record, values: Values, name: str) -> Values:
    """The span columns ``{name}_start``/``_end``/``_precision`` that the record's
    ``{name}_edtf`` covers (all null without one); text and EDTF come together."""
    text, edtf = values[f"{name}_text"], values[f"{name}_edtf"]
    span: dict[str, Any] = {f"{name}_start": None, f"{name}_end": None, f"{name}_precision": None}
    if (text is None) != (edtf is None):
        rec.fail(f"{name}_edtf", f"give {name}_text and {name}_edtf together")
    elif edtf is not None:
        try:
            parsed = parse_edtf(edtf)
        except EdtfError as exc:
            rec.fail(f"{name}_edtf", str(exc))
        else:
            span.update(
                {
                    f"{name}_start": parsed.start,
                    f"{name}_end": parsed.end,
                    f"{name}_precision": parsed.precision.value,
                }
            )
    return span


def _check_years(rec: Record, start: int | None, end: int | None, names: tuple[str, str]) -> None:
    if start is not None and end is not None and start > end:
        rec.fail(names[1], f"{end} is before {names[0]} {start}")


class _Parser:
    def __init__(self) -> None:
        self.findings = _Findings()
        self.problems = self.findings.problems
        self.dataset = Dataset()
        # The plan's announcement date: milestone statuses default to "as of" this day.
        self.as_of: date | None = None
        # (kind, natural key) -> "file:line", for duplicate and reference checks.
        self.where: dict[tuple[str, str], str] = {}
        # Outline bookkeeping: each task's depth, and how many tasks each strategy has so far
        # (tasks are read top to bottom, a task before its sub-items).
        self.depths: dict[str, int] = {}
        self.outline: dict[str, int] = {}

    def register(self, kind: str, key: str, rec: Record, field: str) -> None:
        if not key:
            return
        here = f"{rec.file}:{rec.line}"
        first = self.where.setdefault((kind, key), here)
        if first != here:
            rec.fail(field, f"duplicate key {key!r} (first defined at {first})")

    def check_references(self) -> None:
        for reference in self.findings.references:
            if (reference.kind, reference.key) not in self.where:
                reference.record.fail(
                    reference.field, f"unknown {reference.kind} {reference.key!r}"
                )

    def record(self, data: Any, file: str, what: str, allowed: Iterable[str], **kw: Any) -> Record:
        return Record(data, file, what, self.findings, allowed, **kw)

    # --- document files -------------------------------------------------------------------

    def document_file(self, file: str, data: LineDict) -> None:
        top = self.record(data, file, "file", ("document", "plan"))
        doc = self.record(
            top.data.get("document"),
            file,
            "document",
            accepted_keys("document"),
            key=("document", "slug"),
        )
        slug = doc.pattern("slug", SLUG, "slug")
        doc.what = f"document {slug}"
        self.register("document", slug, doc, "slug")
        self.dataset.documents.append(DocumentRecord(slug=slug, values=doc.values("document")))
        plan = self.record(
            top.data.get("plan"),
            file,
            "plan",
            accepted_keys("plan"),
            default_document=slug,
            line=top.line,
            key=("plan", "slug"),
        )
        plan_slug = plan.pattern("slug", SLUG, "slug")
        plan.what = f"plan {plan_slug}"
        self.register("plan", plan_slug, plan, "slug")
        values = plan.values("plan")
        self.as_of = values["announced_on"]
        self.dataset.plans.append(
            PlanRecord(slug=plan_slug, document=slug, values=values, cites=plan.cites())
        )
        for position, item in enumerate(plan.items("strategies", True), start=1):
            self.strategy(file, slug, plan_slug, position, item)

    def strategy(self, file: str, doc: str, plan: str, position: int, data: Any) -> None:
        rec = self.record(
            data,
            file,
            f"strategy #{position} of plan {plan}",
            accepted_keys("strategy"),
            default_document=doc,
            key=("strategy", "code"),
        )
        code = rec.pattern("code", CURATED_CODE, "code")
        rec.what = f"strategy {code}"
        self.register("strategy", code, rec, "code")
        self.dataset.strategies.append(
            StrategyRecord(
                code=code,
                plan=plan,
                position=position,
                values=rec.values("strategy"),
                cites=rec.cites(),
            )
        )
        for task_position, item in enumerate(rec.items("tasks"), start=1):
            self.task(file, doc, code, None, code, task_position, item)

    def task(
        self,
        file: str,
        doc: str,
        strategy: str,
        parent: str | None,
        prefix: str,
        position: int,
        data: Any,
    ) -> None:
        rec = self.record(
            data,
            file,
            f"task #{position} under {prefix}",
            accepted_keys("task"),
            default_document=doc,
            key=("task", "code"),
        )
        code = rec.pattern("code", CURATED_CODE, "code")
        rec.what = f"task {code}"
        self.register("task", code, rec, "code")
        if code and not code.startswith(prefix + "-"):
            rec.fail("code", f"{code!r} must extend its parent's code {prefix!r}")
        values = rec.values("task")
        depth = 1 if parent is None else self.depths.get(parent, 0) + 1
        self.depths[code] = depth
        self.outline[strategy] = self.outline.get(strategy, 0) + 1
        values.update(
            kind=task_kind(values["label"], depth),
            depth=depth,
            number=label_number(values["label"]),
            outline_position=self.outline[strategy],
        )
        task = TaskRecord(
            code=code,
            strategy=strategy,
            parent=parent,
            position=position,
            values=values,
            cites=rec.cites(),
            laws=rec.slugs("laws", "law"),
            technologies=rec.slugs("technologies", "technology"),
            regions=rec.slugs("regions", "region"),
            organisations=rec.slugs("organisations", "organisation"),
        )
        task.milestones = self.children(rec, "milestones", code, self.milestone)
        task.budgets = self.children(rec, "budgets", code, self.budget)
        task.targets = self.children(rec, "targets", code, self.target)
        self.dataset.tasks.append(task)
        for child_position, item in enumerate(rec.items("tasks"), start=1):
            self.task(file, doc, strategy, code, code, child_position, item)

    def children(
        self, parent: Record, name: str, code: str, build: Callable[[Record], T]
    ) -> list[T]:
        kind = name[:-1]
        return [
            build(
                self.record(
                    item,
                    parent.file,
                    f"{kind} {code}#{position}",
                    accepted_keys(kind),
                    default_document=parent.default_document,
                    line=parent.line,
                )
            )
            for position, item in enumerate(parent.items(name), start=1)
        ]

    def milestone(self, rec: Record) -> ItemRecord:
        values = rec.values("milestone", skip=("status",))
        edtf, start, end = values["edtf"], values["start_date"], values["end_date"]
        precision = values["precision"]
        if edtf:
            try:
                span = parse_edtf(edtf)
            except EdtfError as exc:
                rec.fail("edtf", str(exc))
            else:
                # A field already reported as malformed is not compared with the EDTF value too.
                for name, given, derived in (("start", start, span.start), ("end", end, span.end)):
                    if name not in rec.failed and given != derived:
                        rec.fail(
                            name,
                            f"{_day_text(given)} does not match EDTF {edtf!r} "
                            f"(expected {_day_text(derived)})",
                        )
                if "precision" not in rec.failed and precision != span.precision.value:
                    rec.fail("precision", f"{precision!r} does not match EDTF {edtf!r}")
        values["status"] = rec.choice(
            "status", MilestoneStatus, default=_status(start, end, self.as_of)
        )
        return ItemRecord(values=values, cites=rec.cites())

    def budget(self, rec: Record) -> ItemRecord:
        values = rec.values("budget")
        _check_years(rec, values["start_year"], values["end_year"], ("start_year", "end_year"))
        return ItemRecord(values=values, cites=rec.cites())

    def target(self, rec: Record) -> ItemRecord:
        values = rec.values("target")
        values.update(_fuzzy_span(rec, values, "date"))
        end: date | None = values["date_end"]
        values["year"] = None if end is None else end.year
        _check_years(rec, values["baseline_year"], values["year"], ("baseline_year", "date_edtf"))
        return ItemRecord(values=values, cites=rec.cites())

    # --- the shared vocabulary file -------------------------------------------------------

    def vocabulary_file(self, file: str, data: LineDict) -> None:
        top = self.record(data, file, "file", _VOCABULARY_SECTIONS)
        for item in top.items("laws"):
            self.law(file, item)
        for item in top.items("law_groups"):
            self.law_group(file, item)
        for section in ("technologies", "regions", "organisations"):
            target: list[VocabularyRecord] = getattr(self.dataset, section)
            for item in top.items(section):
                target.append(self.vocabulary(file, section, item))

    def vocabulary(self, file: str, section: str, data: Any) -> VocabularyRecord:
        entity = _SINGULAR[section]
        rec = self.record(data, file, section[:-1], accepted_keys(entity), key=(entity, "slug"))
        slug = rec.pattern("slug", SLUG, "slug")
        rec.what = f"{_SINGULAR[section]} {slug}"
        self.register(_SINGULAR[section], slug, rec, "slug")
        parent = rec.text("parent", False, 100)
        if parent is not None and parent == slug:
            rec.fail("parent", "a record cannot be its own parent")
        elif parent is not None:
            rec.refer("parent", _SINGULAR[section], parent)
        return VocabularyRecord(
            slug=slug, parent=parent, values=rec.values(entity), cites=rec.cites()
        )

    def law_group(self, file: str, data: Any) -> None:
        rec = self.record(
            data, file, "law group", accepted_keys("law_group"), key=("law group", "slug")
        )
        slug = rec.pattern("slug", SLUG, "slug")
        rec.what = f"law group {slug}"
        self.register("law group", slug, rec, "slug")
        members = rec.slugs("members", "law")
        values = rec.values("law_group")
        count = values["stated_count"]
        if count is not None and len(members) > count:
            rec.fail("members", f"{len(members)} laws named, but the text counts {count}")
        self.dataset.law_groups.append(
            LawGroupRecord(slug=slug, values=values, members=members, cites=rec.cites())
        )

    def law(self, file: str, data: Any) -> None:
        rec = self.record(data, file, "law", accepted_keys("law"), key=("law", "slug"))
        slug = rec.pattern("slug", SLUG, "slug")
        rec.what = f"law {slug}"
        self.register("law", slug, rec, "slug")
        aliases = []
        for item in rec.items("aliases"):
            alias = self.record(
                item,
                file,
                f"alias of law {slug}",
                accepted_keys("law_alias"),
                key=("law alias", "alias"),
            )
            name = alias.req_text("alias", 500)
            alias.what = f"law alias {name!r}"
            self.register("law alias", name, alias, "alias")
            document = alias.text("document", False, 100)
            if document is not None:
                alias.refer("document", "document", document)
            alias.default_document = document
            aliases.append(
                AliasRecord(
                    alias=name,
                    document=document,
                    values=alias.values("law_alias"),
                    cites=alias.cites(),
                )
            )
        values = rec.values("law")
        values.update(_fuzzy_span(rec, values, "enacted"))
        self.dataset.laws.append(
            LawRecord(slug=slug, values=values, aliases=aliases, cites=rec.cites())
        )


# Keys of each kind of record besides its stated columns: its key, what it nests or names.
_STRUCTURE: dict[str, tuple[str, ...]] = {
    "document": ("slug",),
    "plan": ("slug", "cite", "strategies"),
    "strategy": ("code", "cite", "tasks"),
    "task": (
        "code",
        "cite",
        "laws",
        "technologies",
        "regions",
        "organisations",
        "milestones",
        "budgets",
        "targets",
        "tasks",
    ),
    "milestone": ("cite",),
    "budget": ("cite",),
    "target": ("cite",),
    "law": ("slug", "aliases", "cite"),
    "law_alias": ("alias", "document", "cite"),
    "law_group": ("slug", "members", "cite"),
    "technology": ("slug", "cite"),
    "region": ("slug", "parent", "cite"),
    "organisation": ("slug", "parent", "cite"),
}


def accepted_keys(entity: str) -> tuple[str, ...]:
    """Every key a curated record of ``entity`` may have (the stated columns, read live)."""
    return (*_STRUCTURE[entity], *columns.keys(entity))


_VOCABULARY_SECTIONS = ("laws", "law_groups", "technologies", "regions", "organisations")
_SINGULAR = {"technologies": "technology", "regions": "region", "organisations": "organisation"}


def _check_cycles(parser: _Parser) -> None:
    for section, kind in (("regions", "region"), ("organisations", "organisation")):
        parents = {item.slug: item.parent for item in getattr(parser.dataset, section)}
        for slug in parents:
            seen, current = {slug}, parents.get(slug)
            while current is not None and current in parents:
                if current in seen:
                    where = parser.where.get((kind, slug), "?")
                    parser.problems.append(f"{where}: {kind} {slug}: field 'parent': cycle")
                    break
                seen.add(current)
                current = parents[current]


def read_dataset(data_dir: Path, texts_dir: Path | None = None) -> Dataset:
    """Parse and check every ``*.yaml`` file in ``data_dir``; raise SeedError listing problems.

    Quotes are checked against the source texts in ``texts_dir`` (default: where
    ``seed.quotes.seed_texts_dir`` finds them) when those are present.
    """
    files = sorted(data_dir.glob("*.yaml"))
    if not files:
        raise SeedError([f"{data_dir}: no curated *.yaml files found"])
    parser = _Parser()
    unreadable = False
    for path in files:
        try:
            data = read_yaml(path)
        except SeedError as error:
            parser.problems.extend(error.problems)
            unreadable = True
            continue
        if isinstance(data, LineDict) and "document" in data:
            parser.document_file(str(path), data)
        elif isinstance(data, LineDict):
            parser.vocabulary_file(str(path), data)
        else:
            parser.problems.append(f"{path}: expected a mapping at the top of the file")
    # References and quotes are checked even when records have other problems. Only a file
    # that could not be read at all stops that: each of its keys would show up as "unknown".
    if not unreadable:
        parser.check_references()
        _check_cycles(parser)
        parser.problems.extend(
            quote_problems(parser.dataset.documents, parser.findings.cites, texts_dir)
        )
    if parser.problems:
        raise SeedError(parser.problems)
    return parser.dataset
