"""Deterministic synthetic dataset of the same shape as the curated one, as plain rows.

``generate(size)`` is pure: no database, a fixed RNG seed, so every call returns identical rows.
Row ids are assigned here (parents always before children) so foreign keys are known without
round trips and the rows can be bulk-copied. Every record gets one citation whose quote is a line
of its synthetic document's text (``SyntheticDataset.document_texts``), so quotes are verbatim.

Records are made by one function (``_Builder.record``) from the registry's field lists, as the
curated records are: the builders name the values they generate, and a stated column they do
not name (one added to a model since) gets a placeholder of its type, so it reaches the
synthetic data too. Placeholders draw nothing from the random generator: the rows of the
columns the builders name stay identical.
"""

from __future__ import annotations

import calendar
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from seed import synthetic_vocabulary as words
from seed.columns import stated
from seed.synthetic_dates import random_fuzzy_date
from service.core import registry
from service.core.models import Base
from service.core.outline import label_number, task_kind
from service.core.registry import StoredField

SEED = 20221228
# Statuses are judged against this day, so the data does not change with the calendar.
REFERENCE_DAY = date(2024, 6, 30)
GENERATED_AT = datetime(2024, 7, 1, tzinfo=UTC)
SLUG_PREFIX = "syn-"


@dataclass(frozen=True)
class Cited:
    """The citation of a record: the document it is quoted from and the quote."""

    document_id: int
    quote: str


@dataclass(frozen=True)
class Shape:
    """How many of each record a size holds."""

    plans: int
    strategies_per_plan: int
    top_tasks_per_strategy: int
    sub_tasks_per_strategy: int
    milestones: int
    budgets: int
    targets: int
    laws: int
    law_groups: int
    task_law_links: int
    technologies: int
    regions: int
    organisations: int
    task_technology_links: int
    task_region_links: int
    task_organisation_links: int

    @property
    def tasks(self) -> int:
        per_strategy = self.top_tasks_per_strategy + self.sub_tasks_per_strategy
        return self.plans * self.strategies_per_plan * per_strategy


SHAPES: dict[str, Shape] = {
    # The big tables at 1/100 of large; plans and strategies are kept enough to be a hierarchy.
    "small": Shape(
        plans=2,
        strategies_per_plan=5,
        top_tasks_per_strategy=8,
        sub_tasks_per_strategy=12,
        milestones=2_000,
        budgets=400,
        targets=100,
        laws=20,
        law_groups=2,
        task_law_links=300,
        technologies=12,
        regions=25,
        organisations=40,
        task_technology_links=400,
        task_region_links=200,
        task_organisation_links=300,
    ),
    "large": Shape(
        plans=10,
        strategies_per_plan=20,
        top_tasks_per_strategy=40,
        sub_tasks_per_strategy=60,
        milestones=200_000,
        budgets=40_000,
        targets=10_000,
        laws=2_000,
        law_groups=200,
        task_law_links=30_000,
        technologies=60,
        regions=250,
        organisations=400,
        task_technology_links=40_000,
        task_region_links=20_000,
        task_organisation_links=30_000,
    ),
}
SIZES: tuple[str, ...] = tuple(SHAPES)

# Load order (parents before children); each row tuple follows its table's column order
# (rows are built by column name: a nullable column the builder does not fill is NULL).
LOAD_ORDER: tuple[str, ...] = (
    "document",
    "plan",
    "technology",
    "region",
    "organisation",
    "law",
    "law_alias",
    "law_group",
    "law_group_member",
    "strategy",
    "task",
    "milestone",
    "budget",
    "target",
    "task_law",
    "task_technology",
    "task_region",
    "task_organisation",
    "citation",
)
COLUMNS: dict[str, tuple[str, ...]] = {
    table: tuple(column.name for column in Base.metadata.tables[table].columns)
    for table in LOAD_ORDER
}

Row = tuple[Any, ...]
_POSITIONS: dict[str, dict[str, int]] = {
    table: {name: index for index, name in enumerate(columns)} for table, columns in COLUMNS.items()
}
_REQUIRED: dict[str, frozenset[str]] = {
    table: frozenset(
        column.name
        for column in Base.metadata.tables[table].columns
        if not column.nullable and column.default is None
    )
    for table in LOAD_ORDER
}


def row_of(table: str, values: dict[str, Any]) -> Row:
    """The row tuple of ``table`` (in column order) holding ``values`` by column name."""
    unknown = values.keys() - _POSITIONS[table].keys()
    missing = _REQUIRED[table] - values.keys()
    if unknown or missing:
        raise ValueError(f"{table} row: unknown {sorted(unknown)}, missing {sorted(missing)}")
    return tuple(values.get(name) for name in COLUMNS[table])


def value_of(table: str, row: Row, column: str) -> Any:
    return row[_POSITIONS[table][column]]


def placeholder(stored: StoredField, record_id: int) -> Any:
    """A value of the column's type for record ``record_id``, for a stated column no builder
    generates yet (it names the column and the record, so it reads as what it is)."""
    kind = stored.python_type
    if stored.enum is not None:
        members = list(stored.enum)
        return members[record_id % len(members)].value
    if kind is str:
        text = f"{stored.name.replace('_', ' ')} {record_id}"
        return text[: stored.max_length] if stored.max_length else text
    if kind is bool:
        return record_id % 2 == 0
    if kind is int:
        return record_id
    if kind is Decimal:
        return Decimal(record_id)
    if kind is datetime:
        return GENERATED_AT
    if kind is date:
        return REFERENCE_DAY
    raise TypeError(f"no synthetic placeholder for {stored.name}: {kind.__name__}")


@dataclass
class SyntheticDataset:
    """Rows per table, in an order that satisfies every foreign key when inserted as listed."""

    size: str
    rows: dict[str, list[Row]] = field(default_factory=lambda: {t: [] for t in COLUMNS})
    document_texts: dict[int, str] = field(default_factory=dict)

    def tables(self) -> Iterator[tuple[str, tuple[str, ...], list[Row]]]:
        for table, columns in COLUMNS.items():
            yield table, columns, self.rows[table]

    def counts(self) -> dict[str, int]:
        return {table: len(rows) for table, rows in self.rows.items()}


def _stamp(row_id: int) -> datetime:
    """A modification time spread over the year before generation, stable per row."""
    return GENERATED_AT - timedelta(seconds=(row_id * 7919) % 31_536_000)


def _slugify(text: str) -> str:
    return SLUG_PREFIX + re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _spread(rng: random.Random, total: int, slots: int, cap: int) -> list[int]:
    """Split ``total`` items over ``slots`` at random, at most ``cap`` per slot."""
    counts = [0] * slots
    placed = 0
    while placed < total:
        slot = rng.randrange(slots)
        if counts[slot] < cap:
            counts[slot] += 1
            placed += 1
    return counts


def _item_places(counts: list[int]) -> Iterator[tuple[int, int]]:
    """(task index, position) of every item, ``counts[i]`` of them for the i-th task."""
    for task_index, count in enumerate(counts):
        for position in range(1, count + 1):
            yield task_index, position


def _distinct(rng: random.Random, population: int, k: int, hot: int) -> list[int]:
    """``k`` distinct indexes; a third of draws favour the first ``hot`` (widely cited) ones."""
    chosen: dict[int, None] = {}
    while len(chosen) < k:
        pick = rng.randrange(hot) if rng.random() < 0.3 else rng.randrange(population)
        chosen[pick] = None
    return list(chosen)


def _money(rng: random.Random) -> tuple[int, str]:
    """An exact amount in won and the text as a press release writes it."""
    roll = rng.random()
    if roll < 0.2:
        unit, name, tenths = 10**6, "million", rng.randint(10, 9_999)
    elif roll < 0.9:
        unit, name, tenths = 10**9, "billion", rng.randint(10, 9_999)
    else:
        unit, name, tenths = 10**12, "trillion", rng.randint(10, 99)
    number = f"{tenths // 10:,}" + (f".{tenths % 10}" if tenths % 10 else "")
    text = f"{number} {name} won" if rng.random() < 0.7 else f"KRW {number} {name}"
    return tenths * unit // 10, text


def _initials(name: str) -> str:
    return "".join(part[0] for part in re.findall(r"[A-Za-z0-9]+", name)).upper()


_ENACTED_COLUMNS = (
    "enacted_text",
    "enacted_edtf",
    "enacted_start",
    "enacted_end",
    "enacted_precision",
)


class _Builder:
    def __init__(self, size: str) -> None:
        self.shape = SHAPES[size]
        self.data = SyntheticDataset(size)
        self.rng = random.Random(f"{SEED}-{size}")
        self.lines: dict[int, list[str]] = {}
        self.outline: dict[int, int] = {}  # strategy id -> tasks placed in its outline so far

    def add(self, table: str, **values: Any) -> None:
        self.data.rows[table].append(row_of(table, values))

    def record(self, entity: str, cited: Cited | None, **values: Any) -> int:
        """Add a row of ``entity`` with the next id and its modification time, and its
        citation; return the id. ``values`` are by column name; a stated column they leave
        out gets its ``placeholder``."""
        record_id = len(self.data.rows[entity]) + 1
        for stored in stated(entity):
            if stored.name not in values:
                values[stored.name] = placeholder(stored, record_id)
        self.add(entity, id=record_id, updated_at=_stamp(record_id), **values)
        if cited is not None:
            self.cite(entity, record_id, cited)
        return record_id

    def item(self, entity: str, task_index: int, position: int, quote: str, **values: Any) -> None:
        """A milestone, budget or target of a task, quoted from the task's plan."""
        cited = Cited(self.task_plan[task_index], quote)
        self.record(entity, cited, task_id=task_index + 1, position=position, **values)

    def cite(self, entity: str, record_id: int, cited: Cited) -> None:
        provenance = registry.PROVENANCE
        citation_id = len(self.data.rows["citation"]) + 1
        values = {
            provenance.document_column: cited.document_id,
            provenance.quote_column: cited.quote,
            provenance.subjects[entity]: record_id,
        }
        self.add("citation", id=citation_id, updated_at=_stamp(citation_id), **values)
        self.lines[cited.document_id].append(cited.quote)

    def home_document(self, index: int) -> int:
        return index % self.shape.plans + 1

    def build(self) -> SyntheticDataset:
        self.documents_and_plans()
        self.technologies()
        self.regions()
        self.organisations()
        self.laws()
        self.law_groups()
        self.hierarchy()
        self.milestones()
        self.budgets()
        self.targets()
        self.links()
        for document in self.data.rows["document"]:
            document_id, title = (value_of("document", document, c) for c in ("id", "title"))
            body = "\n".join(self.lines[document_id])
            self.data.document_texts[document_id] = f"{title}\n\n{body}\n"
        return self.data

    def documents_and_plans(self) -> None:
        for index in range(self.shape.plans):
            theme = words.PLAN_THEMES[index % len(words.PLAN_THEMES)]
            year = 2020 + index % 5
            title = f"{theme} {year}" + (
                f" (edition {index // len(words.PLAN_THEMES) + 1})"
                if index >= len(words.PLAN_THEMES)
                else ""
            )
            publisher = words.PUBLISHERS[index % len(words.PUBLISHERS)]
            announced = date(year, 1 + (index * 5) % 12, 1 + (index * 7) % 28)
            slug = _slugify(title)
            document_id = self.record(
                "document",
                None,
                slug=slug,
                title=f"{title} (synthetic press release)",
                publisher=publisher,
                published_on=announced,
                language="en",
                licence="synthetic test data, no rights reserved",
                url=None,  # generated texts are published nowhere
                source_file=None,
                summary=f"Generated text announcing the {title}.",
            )
            self.lines[document_id] = []
            quote = f"The {publisher} announced the “{title}” on {announced:%B} {announced.day}."
            self.record(
                "plan",
                Cited(document_id, quote),
                slug=slug,
                title=title,
                announced_on=announced,
                document_id=document_id,
                summary=None,  # the document's summary says it
            )

    def technologies(self) -> None:
        domains = [name for name, _ in words.DOMAINS]
        technology_names = [*domains, *(f"Next-generation {name}" for name in domains)]
        for index in range(self.shape.technologies):
            name = technology_names[index % len(technology_names)]
            quote = f"{name} is one of the key technologies."
            cited = Cited(self.home_document(index), quote)
            self.record("technology", cited, slug=_slugify(name), name=name)

    def regions(self) -> None:
        regions: list[tuple[str, str, int | None]] = [("Republic of Korea", "country", None)]
        regions += [(province, "province", 1) for province in words.PROVINCES]
        pairs = [(a, b) for a in words.SYLLABLES for b in words.SYLLABLES if a != b]
        for index, (first, second) in enumerate(pairs):
            suffix, kind = ("-si", "city") if index % 3 else ("-gun", "county")
            regions.append((f"{first}{second.lower()}{suffix}", kind, 2 + index % 17))
        for index in range(self.shape.regions):
            name, kind, parent = regions[index]
            cited = Cited(self.home_document(index), f"projects in {name}")
            self.record(
                "region", cited, slug=_slugify(name), name=name, kind=kind, parent_id=parent
            )

    def organisations(self) -> None:
        domains = [name for name, _ in words.DOMAINS]
        organisations: list[tuple[str, str, str, int | None]] = []
        for kind, pattern, abbreviation in words.ORGANISATION_KINDS:
            for domain in domains:
                abbreviation_text = abbreviation.format(initials=_initials(domain))
                organisations.append((pattern.format(domain=domain), abbreviation_text, kind, None))
        for province in words.PROVINCES:
            for index, domain in enumerate(domains):
                # Regional centres report to the national agency of their domain.
                agency = len(domains) + index + 1
                organisations.append(
                    (
                        f"{province} {domain} Centre",
                        f"{_initials(province)}{_initials(domain)}C",
                        "public_body",
                        agency,
                    )
                )
        for index in range(self.shape.organisations):
            name, abbreviation_text, kind, parent = organisations[index]
            parent = parent if parent is not None and parent <= index else None
            quote = f"the {name} ({abbreviation_text})"
            self.record(
                "organisation",
                Cited(self.home_document(index), quote),
                slug=_slugify(name),
                name=name,
                abbreviation=abbreviation_text,
                kind=kind,
                parent_id=parent,
            )

    def laws(self) -> None:
        rng = self.rng
        combos = [
            (kind, subject, alias, domain)
            for kind in words.LAW_KINDS
            for subject, alias in words.LAW_OBJECTS
            for domain, _ in words.DOMAINS
        ]
        rng.shuffle(combos)
        statuses = ("planned", "tentative", "enacted", "amended")
        for index in range(self.shape.laws):
            (kind, pattern, short), subject, alias_pattern, domain = combos[index]
            title = pattern.format(subject=subject.format(domain=domain))
            status = rng.choices(statuses, (3, 2, 4, 1))[0]
            enacted: tuple[str | None, str | None, date | None, date | None, str | None] = (
                None,
            ) * 5
            if status in ("enacted", "amended"):
                year, month = rng.randint(2005, 2023), rng.randint(1, 12)
                first = date(year, month, 1)
                last = date(year, month, calendar.monthrange(year, month)[1])
                enacted = (f"{first:%B %Y}", f"{first:%Y-%m}", first, last, "month")
                status_text = f"{status} in {first:%B %Y}"
            elif status == "planned":
                status_text = f"to be legislated in {rng.randint(2023, 2026)}"
            else:
                status_text = "under review"
            document_id = self.home_document(index)
            law_id = self.record(
                "law",
                Cited(document_id, f"“{title}” ({status_text})"),
                slug=_slugify(title),
                title=title,
                kind=kind,
                status=status,
                status_text=status_text,
                **dict(zip(_ENACTED_COLUMNS, enacted, strict=True)),
                description=None,  # the title and status say what is generated
            )
            aliases = [f"{alias_pattern.format(domain=domain)} {short}"]
            if rng.random() < 0.5:
                aliases.append(f"{title} (Act No. {10_000 + law_id})")
            for offset, alias in enumerate(aliases):
                alias_document = self.home_document(index + offset)
                self.record(
                    "law_alias",
                    Cited(alias_document, f"the “{alias}”"),
                    law_id=law_id,
                    alias=alias,
                    document_id=alias_document,
                )

    def law_groups(self) -> None:
        """Groups of 3-6 laws; every fifth counts one law more than it names, as a text may."""
        rng, shape = self.rng, self.shape
        for index in range(shape.law_groups):
            members = sorted(rng.sample(range(1, shape.laws + 1), rng.randint(3, 6)))
            stated = len(members) + (1 if (index + 1) % 5 == 0 else 0)
            domain = words.DOMAINS[index % len(words.DOMAINS)][0]
            name = f"the {stated} major {domain} acts"
            group_id = self.record(
                "law_group",
                Cited(self.home_document(index), f"Legislate {name}"),
                slug=f"{SLUG_PREFIX}law-group-{index + 1}",
                name=name,
                stated_count=stated,
                description=None,  # the name says what is generated
            )
            for law_id in members:
                self.add("law_group_member", law_group_id=group_id, law_id=law_id)

    def hierarchy(self) -> None:
        rng, shape = self.rng, self.shape
        self.task_plan: list[int] = []
        self.task_domain: list[int] = []
        for plan_index in range(shape.plans):
            plan_id = plan_index + 1
            plan_code = f"SYN{plan_id:02d}"
            for position in range(1, shape.strategies_per_plan + 1):
                domain_index = rng.randrange(len(words.DOMAINS))
                domain = words.DOMAINS[domain_index][0]
                code = f"{plan_code}-{words.ROMAN[position - 1]}"
                label = f"Strategy {words.ROMAN[position - 1]}"
                title = f"{rng.choice(words.ACTIONS)} world-class {domain} capabilities"
                strategy_id = self.record(
                    "strategy",
                    Cited(plan_id, f"【{label}】 {title}"),
                    code=code,
                    plan_id=plan_id,
                    position=position,
                    label=label,
                    title=title,
                    description=None,  # a strategy is its title
                )
                children = _spread(
                    rng, shape.sub_tasks_per_strategy, shape.top_tasks_per_strategy, cap=6
                )
                for top_position, child_count in enumerate(children, start=1):
                    parent_code = f"{code}-{top_position}"
                    parent_id = self.task(
                        parent_code, strategy_id, None, top_position, domain_index
                    )
                    for child_position in range(1, child_count + 1):
                        child_code = f"{parent_code}-{child_position}"
                        child_domain = rng.randrange(len(words.DOMAINS))
                        self.task(child_code, strategy_id, parent_id, child_position, child_domain)

    def task(
        self,
        code: str,
        strategy_id: int,
        parent_id: int | None,
        position: int,
        domain_index: int,
    ) -> int:
        rng = self.rng
        domain, short = words.DOMAINS[domain_index]
        title = f"{rng.choice(words.ACTIONS)} {rng.choice(words.OBJECTS)} for {domain}"
        audience = rng.choice(words.AUDIENCES)
        description = f"{title} {audience}, with a mid-term review and yearly reporting."
        label = f"({short})" if parent_id else f"Task {position}"
        depth = 2 if parent_id else 1
        self.outline[strategy_id] = outline = self.outline.get(strategy_id, 0) + 1
        plan_id = value_of("strategy", self.data.rows["strategy"][strategy_id - 1], "plan_id")
        self.task_plan.append(plan_id)
        self.task_domain.append(domain_index)
        return self.record(
            "task",
            Cited(plan_id, f"{label} {title} {audience}"),
            code=code,
            strategy_id=strategy_id,
            parent_id=parent_id,
            position=position,
            label=label,
            title=title,
            description=description,
            kind=task_kind(label, depth).value,
            depth=depth,
            number=label_number(label),
            outline_position=outline,
        )

    def milestones(self) -> None:
        rng = self.rng
        tasks = len(self.task_plan)
        counts = [c + 1 for c in _spread(rng, self.shape.milestones - tasks, tasks, cap=40)]
        for task_index, position in _item_places(counts):
            domain = words.DOMAINS[self.task_domain[task_index]][0]
            when = random_fuzzy_date(rng)
            action, target = rng.choice(words.MILESTONE_ACTIONS), rng.choice(words.OBJECTS)
            title = f"{action} {target} for {domain}"
            if when.end is not None and when.end < REFERENCE_DAY:
                status = "completed" if rng.random() < 0.9 else "in_progress"
            elif when.start is not None and when.start > REFERENCE_DAY:
                status = "planned"
            else:
                status = "in_progress"
            revision = 0 if rng.random() < 0.8 else rng.randint(1, 3)
            self.item(
                "milestone",
                task_index,
                position,
                f"{title} {when.text}",
                title=title,
                date_text=when.text,
                edtf=when.edtf,
                start_date=when.start,
                end_date=when.end,
                precision=when.precision,
                kind=when.kind,
                status=status,
                revision=revision,
            )

    def budgets(self) -> None:
        rng = self.rng
        tasks = len(self.task_plan)
        counts = _spread(rng, self.shape.budgets, tasks, cap=12)
        for task_index, position in _item_places(counts):
            amount, amount_text = _money(rng)
            start_year = rng.randint(2020, 2028)
            purpose = rng.choice(words.BUDGET_PURPOSES)
            if rng.random() < 0.6:
                kind, end_year = "total", start_year + rng.randint(1, 5)
                quote = f"{amount_text} for {purpose} ({start_year}~{end_year})"
            else:
                kind, end_year = "annual", start_year
                quote = f"{amount_text} for {purpose} in {start_year}"
            self.item(
                "budget",
                task_index,
                position,
                quote,
                amount=amount,
                currency="KRW",
                amount_text=amount_text,
                kind=kind,
                start_year=start_year,
                end_year=end_year,
                purpose=purpose,
            )

    def targets(self) -> None:
        rng = self.rng
        tasks = len(self.task_plan)
        counts = _spread(rng, self.shape.targets, tasks, cap=4)
        for task_index, position in _item_places(counts):
            domain = words.DOMAINS[self.task_domain[task_index]][0]
            metric_pattern, unit = rng.choice(words.TARGET_METRICS)
            metric = metric_pattern.format(domain=domain)
            year = rng.randint(2024, 2030)
            baseline = Decimal(rng.randint(1, 500))
            if rng.random() < 0.2:
                value, comparator = Decimal(rng.randint(2, 3)), "multiple"
                value_text = f"{value} times the {year - 3} level by {year}"
            else:
                value = baseline + Decimal(rng.randint(1, 1_000))
                comparator = rng.choice(("exact", "at_least", "more_than"))
                prefix = {"exact": "", "at_least": "at least ", "more_than": "more than "}
                value_text = f"{prefix[comparator]}{value} {unit} by {year}"
            has_baseline = comparator == "multiple" or rng.random() < 0.6
            baseline_text = f"{baseline} {unit} in {year - 3}" if has_baseline else None
            quote = f"{metric}: {value_text}" + (
                f" (from {baseline_text})" if baseline_text else ""
            )
            self.item(
                "target",
                task_index,
                position,
                quote,
                metric=metric,
                value=value,
                comparator=comparator,
                unit=unit,
                value_text=value_text,
                # "... by {year}": a deadline at the end of that year.
                date_text=f"by {year}",
                date_edtf=f"../{year}",
                date_start=None,
                date_end=date(year, 12, 31),
                date_precision="year",
                year=year,
                baseline_value=baseline if has_baseline else None,
                baseline_year=year - 3 if has_baseline else None,
                baseline_text=baseline_text,
            )

    def links(self) -> None:
        rng, shape = self.rng, self.shape
        tasks = len(self.task_plan)
        specs = (
            ("task_law", shape.task_law_links, shape.laws, max(1, shape.laws // 40)),
            ("task_technology", shape.task_technology_links, shape.technologies, 0),
            ("task_region", shape.task_region_links, shape.regions, 18),
            ("task_organisation", shape.task_organisation_links, shape.organisations, 0),
        )
        for table, total, population, hot in specs:
            counts = _spread(rng, total, tasks, cap=min(8, population))
            for task_index, count in enumerate(counts):
                if table == "task_technology" or table == "task_organisation":
                    # The task's own domain comes first: its technology and its ministry.
                    own = self.task_domain[task_index] % population
                    picks = [own, *(i for i in rng.sample(range(population), count) if i != own)]
                    picks = picks[:count]
                else:
                    picks = _distinct(rng, population, count, hot)
                other = f"{table.removeprefix('task_')}_id"
                for pick in sorted(picks):
                    self.add(table, task_id=task_index + 1, **{other: pick + 1})


def generate(size: str) -> SyntheticDataset:
    """The synthetic dataset of ``size`` (one of ``SIZES``); identical on every call."""
    return _Builder(size).build()
