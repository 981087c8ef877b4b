"""Differential tests: the compiled path answers exactly as the resolver path, on both engines.

Both run through ``Operations`` (the object ``/graphql`` uses) over the curated dataset: one
with the compiler, one with ``compiled=False``. The queries only read, so they use the
seeded engine's pool as the app does (a resolver graphql-core cancels mid-statement, after a
null in a non-null root field, invalidates its connection: a shared test connection would
not survive it). Answers are compared as JSON text, so key
order counts; errors (messages, paths, codes) must match too.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import graphql
import hypothesis_graphql
import pytest
import strawberry
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from schema.compiler.executor import Compiler
from schema.compiler.fields import ValueObject, derive
from schema.compiler.sql import Renderer
from schema.context import make_context
from schema.core_schema import core_schema
from schema.limits import Limits
from schema.operation import Operations, Outcome
from schema.relay import encode_id
from schema.types.entities import NODE_TYPES
from service.core.database import create_session_factory
from service.core.list_bounds import ListBounds, read_list_bounds
from service.core.queries import catalog
from tests.conftest import bound_sessions
from tests.schema.documents import PERSISTED, suite_documents
from tests.schema.fixtures import insert_small_dataset


class Paths:
    def __init__(self, schema: strawberry.Schema, engine: AsyncEngine) -> None:
        # The node limit is not what these tests compare: both paths run what it would refuse.
        limits = Limits(max_nodes=10**18)
        self.compiled = Operations(schema, limits)
        self.reference = Operations(schema, limits, compiled=False)
        self.engine = engine
        self.sessions = create_session_factory(engine)
        self.bounds: ListBounds | None = None

    async def outcome(
        self, operations: Operations, source: str, variables: dict[str, Any] | None = None
    ) -> Outcome:
        context = make_context(self.sessions)
        try:
            if self.bounds is None:  # what /graphql reads once per data version
                self.bounds = await read_list_bounds(context.reader)
            return await operations.run(
                source, variables, context, bounds=self.bounds, request_id="t"
            )
        finally:
            await context.close()

    async def both(
        self, source: str, variables: dict[str, Any] | None = None
    ) -> tuple[Outcome, Outcome]:
        compiled = await self.outcome(self.compiled, source, variables)
        reference = await self.outcome(self.reference, source, variables)
        assert compiled.phase is reference.phase
        assert _text(compiled) == _text(reference), source
        assert compiled.encode().decode() == compiled.encode().decode()
        return compiled, reference

    async def same(self, source: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Both paths agree, the compiled one really compiled; returns ``data``."""
        compiled, _reference = await self.both(source, variables)
        assert compiled.data_json is not None, "the compiler left this query to the resolvers"
        assert not compiled.errors
        data: dict[str, Any] = compiled.body()["data"]
        return data


def _text(outcome: Outcome) -> str:
    return json.dumps(json.loads(outcome.encode()), ensure_ascii=False)


@pytest.fixture
def paths(schema: strawberry.Schema, seeded_engine: AsyncEngine) -> Paths:
    return Paths(schema, seeded_engine)


DASHBOARD = """query Dashboard($slug: String!) { plan(slug: $slug) { title
  strategies(first: 5) { nodes { code title
    tasks(first: 20) { nodes { code title
      milestones { title date { text start end precision } kind status }
      budgets { amount { amount currency } startYear endYear } } } } } } }"""

EVERYTHING = """fragment Cited on Sourced { sources { quote document { slug title publishedOn } } }
query Everything {
  documents { id slug title publisher publishedOn language licence url }
  plans { id slug title announcedOn summary document { title } ...Cited }
  technologies { id slug name } regions { slug name kind } organisations { slug name kind }
  tasks(first: 100) { totalCount nodes { id code position label title description
    strategy { code plan { slug } } parent { code } subtasks { code }
    milestones { id title position date { text edtf start end precision } kind status revision
      statusAsOf task { code } ...Cited }
    budgets { id amount { amount currency } amountText kind startYear endYear purpose position
      task { code } }
    targets { id metric comparator unit value valueText year position
      date { text edtf start end precision } baseline { value year text } }
    laws { id slug title kind status statusText enacted { text edtf start end precision }
      description aliases statusAsOf names { name document { slug } }
      tasks(first: 3) { totalCount nodes { code } } }
    technologies { slug } regions { slug } organisations { slug abbreviation } } } }"""


async def test_benchmark_dashboard_is_compiled_and_equal(paths: Paths) -> None:
    data = await paths.same(DASHBOARD, {"slug": "digital-strategy-of-korea"})
    assert data["plan"]["strategies"]["nodes"]


async def test_every_stored_field_and_relation(paths: Paths) -> None:
    data = await paths.same(EVERYTHING)
    assert data["tasks"]["totalCount"] > 0


@pytest.mark.parametrize(
    "query",
    [
        # fragments, inline fragments on interfaces and types, aliases, __typename
        """{ __typename p: plan(slug: "msit-work-plan-2023") { __typename ...P
             ... on Sourced { sources { quote } } ... on Node { id } other: title } }
           fragment P on Plan { t: title strategies(first: 2) { __typename
             edges { __typename cursor node { code } } pageInfo { __typename hasNextPage } } }""",
        # the same key twice merges its selections
        """{ plans { slug } plans { title document { slug } } }""",
        # connections: every order, both directions, pageInfo, totalCount
        """{ strategies(orderBy: {field: ID, direction: DESC}, first: 3) { totalCount
             edges { cursor node { code } } pageInfo { hasNextPage hasPreviousPage
             startCursor endCursor } } }""",
        """{ tasks(last: 4) { edges { cursor node { code } } pageInfo { hasNextPage
             hasPreviousPage startCursor endCursor } } }""",
        """{ tasks(first: 0) { totalCount nodes { code } pageInfo { hasNextPage endCursor } } }""",
        """{ milestones(orderBy: {field: START_DATE}, first: 7) { edges { cursor node { title
             date { start } } } pageInfo { endCursor hasNextPage } } }""",
        """{ milestones(orderBy: {field: END_DATE, direction: DESC}, last: 5) { nodes { title }
             pageInfo { startCursor hasPreviousPage } } }""",
        """{ milestones(filter: {date: {from: "2023-01-01", to: "2023-12-31"},
             kinds: [EVENT, DEADLINE]}, orderBy: {field: TITLE}) { totalCount
             nodes { title kind } } }""",
        """{ milestones(filter: {date: {from: "2024", to: "2024", match: ENDS}}, first: 50) {
             totalCount nodes { title date { end } } } }""",
        """{ budgets(orderBy: {field: AMOUNT, direction: DESC}, first: 5) { nodes { amount {
             amount } } totalCount } }""",
        """{ laws(filter: {statuses: [ENACTED, PLANNED]}) { nodes { slug status tasks(first: 2,
             orderBy: {field: CODE}) { nodes { code } } } } }""",
        """{ targets(first: 5) { nodes { metric year task { code } } } }""",
        # named groups of laws: lookup, connection with its filter and orders, both directions
        """{ lawGroups(first: 5) { totalCount nodes { id slug name statedCount description
             members { slug title groups { slug } } sources { quote document { slug } } } }
             lawGroup(slug: "four-laws") { name members { slug } } }""",
        """{ lawGroups(orderBy: {field: ID, direction: DESC}, last: 1) { edges { cursor
             node { slug } } pageInfo { hasPreviousPage startCursor } } }""",
        """{ laws(first: 20) { nodes { slug groups { slug statedCount } } } }""",
        """{ targets(filter: {date: {from: "2023", to: "2023", match: STARTS}}) { totalCount
             nodes { valueText date { text edtf start end precision } } } }""",
        """{ plan(slug: "digital-strategy-of-korea") { strategies(first: 2) { nodes { code
             tasks(first: 2, includeSubtasks: true, orderBy: {field: ID, direction: DESC}) {
             totalCount edges { cursor node { code } } } } } } }""",
        # lookups by natural key, and back-links from vocabularies with the task filters
        """{ task(code: "DSK-I-1") { code title kind depth number outlinePosition
             strategy { code } subtasks { code kind } } strategy(code: "DSK-II") { title }
             law(slug: "data-framework-act") { slug title } document(slug: "msit-work-plan-2023")
             { title } }""",
        """{ technology(slug: "ai") { slug tasks(first: 5, filter: {kinds: [INITIATIVE]}) {
             totalCount nodes { code kind } } } region(slug: "goseong-county") { tasks(first: 3)
             { totalCount edges { cursor node { code } } } } organisation(slug: "un-escap") {
             tasks(first: 3, filter: {topLevel: false}) { nodes { code } } } }""",
        """{ tasks(first: 20, filter: {kinds: [INITIATIVE, LIST_ITEM], depth: 2},
             orderBy: {field: OUTLINE}) { totalCount nodes { code kind depth } } }""",
        # lookups that find nothing
        """{ plan(slug: "no-such-plan") { title } task(code: "NO-SUCH-1") { title }
             technology(slug: "no-such-technology") { slug } }""",
    ],
)
async def test_selection_rules_and_connections(paths: Paths, query: str) -> None:
    await paths.same(query)


async def test_parents_follow_the_registrys_to_one_relations(paths: Paths) -> None:
    """``Region.parent``, ``Organisation.parent`` and ``Task.parent`` are compiled from the
    registry's to-one relations, null at the top of each hierarchy."""
    data = await paths.same(
        """{ regions { slug parent { slug name parent { slug } } } organisations { slug
        parent { slug abbreviation parent { slug } } } tasks(first: 30, filter:
        {topLevel: false}) { nodes { code parent { code parent { code } } } } }"""
    )
    for listed in (data["regions"], data["organisations"], data["tasks"]["nodes"]):
        parents = [record["parent"] for record in listed]
        assert any(parents)
    assert None in [r["parent"] for r in data["regions"] + data["organisations"]]


async def test_target_values_and_baselines_are_compiled(paths: Paths) -> None:
    """Decimal text as the resolvers write it; a baseline is null unless its value or text
    is set (the curated targets have all three kinds)."""
    data = await paths.same("{ targets { nodes { value baseline { value year text } } } }")
    baselines = [t["baseline"] for t in data["targets"]["nodes"]]
    assert None in baselines
    assert any(b is not None and b["value"] is None for b in baselines)
    assert any(b is not None and b["value"] is not None for b in baselines)


async def test_fractional_and_large_decimals_read_alike_on_both_paths(
    schema: strawberry.Schema, db: AsyncConnection
) -> None:
    """Scales the curated data lacks: fractions, four decimals, twelve digits, whole numbers
    (SQLite stores REAL or INTEGER; PostgreSQL numeric(24, 4))."""
    await insert_small_dataset(db)
    values = ["12.5", "0.0001", "123456789012.3456", "100", "3.1400", "0"]
    await db.execute(
        insert(catalog.target),
        [
            {
                "task_id": 1,
                "position": i + 2,
                "metric": f"metric {i}",
                "value": Decimal(value),
                "comparator": "at_least",
                "unit": "units",
                "value_text": value,
                "baseline_value": Decimal(value) / 4 if i % 2 else None,
                "baseline_text": None if i % 3 else "as written",
            }
            for i, value in enumerate(values)
        ],
    )
    query = "{ targets(first: 20) { nodes { value baseline { value text } } } }"
    data = await _same_on(schema, db, query)
    assert [t["value"] for t in data["targets"]["nodes"]][1:] == [
        "12.5",
        "0.0001",
        "123456789012.3456",
        "100",
        "3.14",
        "0",
    ]


async def _same_on(schema: strawberry.Schema, db: AsyncConnection, query: str) -> dict[str, Any]:
    """``query``'s data on ``db``, the compiled path's, after checking that it compiled and
    that the resolvers answer the same."""
    limits = Limits(max_nodes=10**18)
    answers = []
    for operations in (Operations(schema, limits), Operations(schema, limits, compiled=False)):
        context = make_context(bound_sessions(db))
        try:
            answers.append(await operations.run(query, None, context))
        finally:
            await context.close()
    compiled, reference = answers
    assert compiled.data_json is not None, "the compiler left this query to the resolvers"
    assert _text(compiled) == _text(reference)
    data: dict[str, Any] = compiled.body()["data"]
    return data


async def test_status_days_enactment_and_law_names_where_data_is_missing(
    schema: strawberry.Schema, db: AsyncConnection
) -> None:
    """The cases the curated data lacks: a law no document quotes, one quoted by an undated
    document, one by several dated ones (the latest counts, not the first); a plan without an
    announcement day; an enactment date; a name no document is recorded for."""
    await insert_small_dataset(db)
    documents = [(2, date(2023, 3, 1)), (3, date(2022, 1, 1))]
    await db.execute(
        insert(catalog.document),
        [
            {
                "id": i,
                "slug": f"doc-{i}",
                "title": f"Doc {i}",
                "publisher": "Gov",
                "published_on": d,
            }
            for i, d in documents
        ],
    )
    await db.execute(
        insert(catalog.law),
        [
            {
                "id": 3,
                "slug": "quoted-act",
                "title": "Quoted Act",
                "kind": "act",
                "status": "enacted",
                "enacted_text": "October 2021",
                "enacted_edtf": "2021-10",
                "enacted_start": date(2021, 10, 1),
                "enacted_end": date(2021, 10, 31),
                "enacted_precision": "month",
            }
        ],
    )
    await db.execute(
        insert(catalog.law_alias), [{"law_id": 3, "alias": "The Act", "document_id": None}]
    )
    quoted = [(2, 2), (2, 3), (3, 2), (3, 1)]  # (law, document); document 1 has no date
    await db.execute(
        insert(catalog.citation),
        [{"law_id": law, "document_id": doc, "quote": f"q{law}{doc}"} for law, doc in quoted],
    )
    await db.execute(catalog.plan.update().where(catalog.plan.c.id == 2).values(announced_on=None))
    data = await _same_on(
        schema,
        db,
        """{ laws(first: 10, orderBy: {field: ID}) { nodes { slug statusAsOf
             enacted { text edtf start end precision } names { name document { slug } } } }
           milestones(first: 100) { nodes { statusAsOf task { strategy { plan { slug } } } } } }""",
    )
    laws = {law["slug"]: law for law in data["laws"]["nodes"]}
    assert {slug: law["statusAsOf"] for slug, law in laws.items()} == {
        "digital-inclusion-act": None,  # quoted by no document
        "ai-framework-act": "2023-03-01",
        "quoted-act": None,  # also quoted by an undated document
    }
    assert laws["quoted-act"]["enacted"]["precision"] == "MONTH"
    assert laws["quoted-act"]["names"] == [{"name": "The Act", "document": None}]
    as_of = {
        (m["task"]["strategy"]["plan"]["slug"], m["statusAsOf"])
        for m in data["milestones"]["nodes"]
    }
    assert as_of == {("plan-a", "2022-09-28"), ("plan-b", None)}


async def test_skip_and_include_follow_the_variables(paths: Paths) -> None:
    query = """query($yes: Boolean!, $no: Boolean!) { plans { slug @include(if: $yes)
      title @skip(if: $yes) document @include(if: $no) { slug } ... on Plan @skip(if: $no) {
      summary } } }"""
    for yes, no in ((True, False), (False, True)):
        data = await paths.same(query, {"yes": yes, "no": no})
        assert ("slug" in data["plans"][0]) is yes


async def test_cursors_of_the_compiled_path_page_through_both(paths: Paths) -> None:
    query = """query($after: String, $before: String, $first: Int, $last: Int) {
      milestones(orderBy: {field: START_DATE}, first: $first, after: $after, last: $last,
      before: $before) { edges { cursor node { title } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"""
    page = await paths.same(query, {"first": 4})
    after = page["milestones"]["pageInfo"]["endCursor"]
    second = await paths.same(query, {"first": 4, "after": after})
    before = second["milestones"]["pageInfo"]["startCursor"]
    back = await paths.same(query, {"last": 4, "before": before})
    assert back["milestones"]["edges"] == page["milestones"]["edges"]


async def test_node_and_nodes_by_global_id(paths: Paths) -> None:
    listed = await paths.same("{ tasks(first: 3) { nodes { id } } laws { nodes { id } } }")
    ids = [n["id"] for n in listed["tasks"]["nodes"]] + [listed["laws"]["nodes"][0]["id"]]
    query = """query($id: ID!, $ids: [ID!]!) { node(id: $id) { __typename id
      ... on Task { code laws { title } } ... on Law { slug } }
      nodes(ids: $ids) { id ... on Task { title } ... on Law { title aliases } } }"""
    missing = encode_id("Task", 999_999)
    data = await paths.same(query, {"id": ids[0], "ids": [*ids, missing]})
    assert data["nodes"][-1] is None
    assert data["node"]["__typename"] == "Task"


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ("""{ plan(slug: "Not A Slug") { title } }""", None),
        ("""{ tasks(first: 101) { nodes { code } } }""", None),
        ("""{ tasks(first: 2, last: 2) { nodes { code } } }""", None),
        ("""{ tasks(after: "bm9wZQ") { nodes { code } } }""", None),
        ("""{ node(id: "garbage") { id } }""", None),
        ("""query($id: ID!) { node(id: $id) { id } plans { slug } }""", {"id": "VW5rbm93bjox"}),
        ("""{ milestones(filter: {plans: ["BAD SLUG"]}) { nodes { title } } }""", None),
        ("""{ budgets(filter: {date: {from: "2030", to: "2020"}}) { nodes { kind } } }""", None),
        ("""{ milestones(filter: {date: {from: "2024-13"}}) { nodes { title } } }""", None),
        ("""{ tasks(filter: {technologies: ["aii"]}) { nodes { code } } }""", None),
        (
            """{ technology(slug: "ai") { tasks(filter: {laws: ["no-such-act"]}) { nodes { code }
             } } }""",
            None,
        ),
        ("""{ task(code: "not a code") { title } }""", None),
        ("""query($n: Int!) { plans { slug } tasks(first: $n) { totalCount } }""", {"n": "x"}),
    ],
)
async def test_errors_are_the_resolvers_errors(
    paths: Paths, query: str, variables: dict[str, Any] | None
) -> None:
    compiled, _reference = await paths.both(query, variables)
    assert compiled.errors


async def test_fields_left_to_the_resolvers_merge_in_document_order(paths: Paths) -> None:
    query = """{ a: plans { slug } search(query: "data", first: 2) { totalCount }
      __schema { queryType { name } } b: targets(first: 2) { nodes { value metric } }
      laws(first: 2, filter: {plans: ["msit-work-plan-2023"]}) { nodes { slug } }
      budgetSummary(groupBy: PLAN) { key } c: documents { slug } }"""
    compiled, _reference = await paths.both(query)
    assert compiled.data_json is not None
    assert list(compiled.body()["data"]) == [
        "a",
        "search",
        "__schema",
        "b",
        "laws",
        "budgetSummary",
        "c",
    ]


HIT = "score field snippet node { __typename id }"


@pytest.mark.parametrize(
    "query",
    [
        f"""{{ search(query: "data") {{ totalCount edges {{ cursor node {{ {HIT} }} }}
             pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} }} }}""",
        # the node with fragments on its types and interfaces, aliases, __typename
        """{ s: search(query: "AI", types: [TASK, LAW], first: 5) { __typename nodes {
             __typename score where: field snippet node { __typename ... on Task { code title }
             ... on Law { slug status } ... on Sourced { sources { quote } } } } } }""",
        """{ search(query: "Digital Platform Government", first: 100) { totalCount nodes {
             snippet node { ...Named ... on Node { id } } } } }
           fragment Named on Node { ... on Plan { title } ... on Strategy { code }
             ... on Milestone { date { text } } ... on Budget { amount { amount } } }""",
        """{ search(query: "19 specific tasks", types: [PLAN]) { nodes { field snippet
             node { ... on Plan { slug } } } } }""",
        """{ search(query: "  korea  ", types: [DOCUMENT, ORGANISATION, REGION, TECHNOLOGY,
             TARGET], first: 30) { totalCount edges { node { score node { id } } } } }""",
        """{ search(query: "nothing-like-this-anywhere") { totalCount nodes { score }
             pageInfo { hasNextPage startCursor endCursor } } }""",
        """{ search(query: "data", first: 0) { totalCount nodes { score } pageInfo {
             hasNextPage endCursor } } }""",
    ],
)
async def test_search_is_compiled_and_equal(paths: Paths, query: str) -> None:
    await paths.same(query)


async def test_search_cursors_page_through_both_paths(paths: Paths) -> None:
    query = f"""query($after: String) {{ search(query: "data", first: 7, after: $after) {{
      edges {{ cursor node {{ {HIT} }} }} pageInfo {{ hasNextPage hasPreviousPage endCursor }} }}
    }}"""
    after = None
    pages = 0
    while True:
        page = (await paths.same(query, {"after": after}))["search"]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert pages > 2


@pytest.mark.parametrize(
    "query",
    [
        """{ budgetSummary(groupBy: PLAN) { __typename key label kind startYear endYear meaning
             total { __typename amount currency } budgets } }""",
        """{ budgetSummary(groupBy: STRATEGY) { key label kind startYear endYear meaning
             total { amount currency } budgets } }""",
        """{ t: budgetSummary(groupBy: TECHNOLOGY, filter: {date: {from: "2023", to: "2024"}})
             { key label kind meaning sum: total { amount } budgets } }""",
        """{ budgetSummary(groupBy: PERIOD) { key label kind startYear endYear meaning
             total { amount currency } budgets } }""",
        """{ budgetSummary(groupBy: PERIOD, filter: {date: {from: "2030", to: "2031"}}) {
             key } }""",
    ],
)
async def test_budget_summary_is_compiled_and_equal(paths: Paths, query: str) -> None:
    await paths.same(query)


@pytest.mark.parametrize(
    "query",
    [
        """{ search(query: "   ") { totalCount } }""",
        """{ search(query: "-- ** !!") { totalCount } }""",
        f"""{{ search(query: "{"word " * 50}") {{ totalCount }} }}""",
        """{ search(query: "data", first: 101) { totalCount } }""",
        """{ search(query: "data", after: "bm9wZQ") { totalCount } }""",
        """{ plans { slug } search(query: "data", after: "WyJDT0RFOkFTQyIsMV0") {
             totalCount } }""",
        """{ budgetSummary(groupBy: PLAN, filter: {plans: ["no-such-plan"]}) { key } }""",
        """{ budgetSummary(groupBy: PLAN, filter: {date: {from: "2024-13"}}) { key } }""",
    ],
)
async def test_search_and_summary_errors_are_the_resolvers_errors(paths: Paths, query: str) -> None:
    compiled, _reference = await paths.both(query)
    assert compiled.errors


async def test_search_and_summary_with_other_root_fields_compile_together(paths: Paths) -> None:
    query = f"""{{ plans {{ slug }} search(query: "AI", first: 3) {{ nodes {{ {HIT} }} }}
      budgetSummary(groupBy: PLAN) {{ key total {{ amount }} }} tasks(first: 2) {{
      nodes {{ code }} }} }}"""
    compiled, _reference = await paths.both(query)
    assert compiled.data_json is not None
    assert list(compiled.body()["data"]) == ["plans", "search", "budgetSummary", "tasks"]


def test_every_field_of_the_schema_has_a_compiled_form(schema: strawberry.Schema) -> None:
    """No selection falls back to the resolvers for a field: each field of an object type
    has a spec, but those of connections, edges, ``PageInfo`` and value objects, which the
    planner reads as parts of the field holding them."""
    covered = derive(schema)
    parts = {spec.type_name for spec in covered.values() if isinstance(spec, ValueObject)}
    parts.add("PageInfo")
    graphql_schema = core_schema(schema)
    without = [
        f"{name}.{field}"
        for name, kind in graphql_schema.type_map.items()
        if isinstance(kind, graphql.GraphQLObjectType)
        and not name.startswith("__")
        and name not in parts
        and not name.endswith(("Connection", "Edge"))
        for field in kind.fields
        if (name, field) not in covered
    ]
    assert without == []


async def test_every_document_of_the_test_suite(paths: Paths, schema: strawberry.Schema) -> None:
    documents = suite_documents(schema)
    assert len(documents) > 40
    compiled = 0
    for source in documents:
        outcome, _reference = await paths.both(source)
        compiled += outcome.data_json is not None
    assert compiled > len(documents) // 2


def _generated_queries(
    schema: strawberry.Schema,
    count: int,
    fields: tuple[str, ...] | None = None,
    strings: st.SearchStrategy[str] | None = None,
) -> list[str]:
    """``count`` queries hypothesis-graphql derives from the schema (derandomised: the same
    every run), with real-looking global IDs and dates; only the root ``fields`` given, and
    string arguments drawn from ``strings`` when given."""
    type_names = sorted(NODE_TYPES)
    scalars = {
        "Date": st.dates(date(2020, 1, 1), date(2030, 12, 31)).map(
            lambda d: nodes.String(d.isoformat())
        ),
        "ID": st.builds(encode_id, st.sampled_from(type_names), st.integers(1, 40)).map(
            nodes.String
        ),
    }
    if strings is not None:
        scalars["String"] = strings.map(nodes.String)
    found: list[str] = []
    generated = hypothesis_graphql.queries(
        core_schema(schema), fields=fields, custom_scalars=scalars
    )

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(generated)
    def collect(query: str) -> None:
        found.append(query)

    collect()
    return found


async def test_generated_queries(paths: Paths, schema: strawberry.Schema) -> None:
    queries = _generated_queries(schema, 200)
    compiled = answered = 0
    for query in queries:
        outcome, reference = await paths.both(query)
        compiled += outcome.data_json is not None
        answered += not reference.errors
    # Generated strings are rarely valid slugs, codes or dates, and an argument error leaves
    # the whole operation to the resolvers: count the share of the operations answered.
    assert compiled > answered // 2


async def test_generated_search_and_summary_queries(
    paths: Paths, schema: strawberry.Schema
) -> None:
    """Selections of ``search`` and ``budgetSummary`` generated from the schema, with string
    arguments drawn from words the curated texts hold (so hits of every type are found; a
    cursor or slug made of such a word is an error, which both paths must report alike)."""
    words = st.sampled_from(["data", "AI", "digital platform government", "korea", "law", "2023"])
    queries = _generated_queries(schema, 400, ("search", "budgetSummary"), words)
    compiled = answered = 0
    for query in queries:
        outcome, reference = await paths.both(query)
        if reference.errors:
            continue
        answered += 1
        compiled += outcome.data_json is not None
    # The rest run compiled, but where an argument deep in the selection is not a valid slug:
    # the planner checks it before any SQL; the resolvers only if a hit reaches it.
    assert answered > 30
    assert compiled > answered * 8 // 10


async def test_a_statement_too_deep_for_sqlite_is_answered_by_the_resolvers(paths: Paths) -> None:
    """SQLite's parser gives up on this nesting ("parser stack overflow"): the compiler
    leaves the shape to the resolvers (PostgreSQL runs it compiled)."""
    query = """query($ids: [ID!]!) { nodes(ids: $ids) { ... on Strategy { tasks(first: 100) {
      nodes { code milestones { title sources { quote } task { milestones { title
        task { milestones { title task { milestones { title } } } } } } } } } } } }"""
    ids = [encode_id("Strategy", pk) for pk in range(1, 7)]
    for _ in range(2):  # the second time from the remembered verdict
        compiled, _reference = await paths.both(query, {"ids": ids})
        assert not compiled.errors
        deep_for_sqlite = paths.engine.dialect.name == "sqlite"
        assert (compiled.data_json is None) is deep_for_sqlite


RANKS = [0, -1, -5, -10, -12, -99, -100, -150, -999_999, -1_000_000, -1_500_000, -2_000_000]
RANKS += [-60_792, -100_060_792, -123_456_789, -2_147_483_647, 7, 12, 150, 2_000_000]


async def test_search_scores_are_written_as_python_writes_the_float(db: AsyncConnection) -> None:
    """The compiled score is the JSON text of ``-rank / 1_000_000`` as Python's json writes
    it (``100.0``, ``1.2e-05``), so the answers are equal byte for byte."""
    renderer = Renderer(db.dialect)
    cast = "::text" if db.dialect.name == "postgresql" else ""
    for rank in RANKS:
        row = await db.execute(text(f"SELECT ({renderer.score(str(rank))}){cast}"))
        assert row.scalar_one() == json.dumps(-rank / 1_000_000), rank


async def test_every_persisted_document_is_compiled(paths: Paths) -> None:
    """The trusted documents front ends send (search and the budget table among them) run
    compiled, with their variables' defaults, and answer as the resolvers do."""
    sources = sorted(PERSISTED.glob("*.graphql"))
    assert {p.stem for p in sources} >= {"plans", "search", "budget-summary"}
    for path in sources:
        data = await paths.same(path.read_text(encoding="utf-8"))
        assert all(data.values()), path.name


@pytest.mark.parametrize("group", ["PLAN", "STRATEGY", "TECHNOLOGY", "PERIOD"])
async def test_sqlite_sorts_a_budget_summary_once_per_step(
    schema: strawberry.Schema, seeded_engine: AsyncEngine, group: str
) -> None:
    """SQLite sorts the budgets to group them and the totals to order them, and the compiled
    answer reads the totals in that order: no window numbering them, no third sort."""
    if seeded_engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's json_agg takes its order from the totals' position")
    query = f"{{ budgetSummary(groupBy: {group}) {{ key label total {{ amount }} }} }}"
    document = graphql.parse(query)
    operation = document.definitions[0]
    assert isinstance(operation, graphql.OperationDefinitionNode)
    split = Compiler(schema).split(query, document, operation, None)
    assert split is not None
    sql = Renderer(seeded_engine.dialect).statement(split.plan)
    async with seeded_engine.connect() as connection:
        plan = (await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")).all()
    sorts = [row[-1] for row in plan if row[-1].startswith("USE TEMP B-TREE")]
    assert sorts == ["USE TEMP B-TREE FOR GROUP BY", "USE TEMP B-TREE FOR ORDER BY"]
    assert " OVER " not in sql


async def test_a_search_page_ranks_the_matches_once(
    schema: strawberry.Schema, seeded_engine: AsyncEngine
) -> None:
    """Edges, the next-page check and both cursors read one materialised page of hits: the
    ranking (every match scored and sorted) appears once in the statement, not per part."""
    query = """{ search(query: "data", first: 3) { edges { cursor node { score } } pageInfo {
      hasNextPage startCursor endCursor } } }"""
    document = graphql.parse(query)
    operation = document.definitions[0]
    assert isinstance(operation, graphql.OperationDefinitionNode)
    compiler = Compiler(schema)
    split = compiler.split(query, document, operation, None)
    assert split is not None
    rank = "ts_rank(" if seeded_engine.dialect.name == "postgresql" else "bm25("
    sql = Renderer(seeded_engine.dialect).statement(split.plan)
    assert sql.count(rank) == 1
