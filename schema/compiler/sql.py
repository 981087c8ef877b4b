"""Render a plan as one SQL statement that builds each root field's JSON in the database.

PostgreSQL builds objects with ``json_build_object`` and arrays with ``json_agg(... ORDER
BY ...)``. SQLite builds an object with ``json_object`` while its values are columns or
objects built in the same expression; its JSON subtype does not cross a subquery, and
re-marking a subquery's result with ``json()`` makes SQLite parse and write it again, at
every level of nesting (most of the dashboard's CPU in SQLite). So an object holding a
subquery's result is written as text: its JSON values as they are, the others through
``json_quote`` (which writes them as ``json_object`` does), and arrays are ``group_concat``
over an ordered subquery (3.40 has no ORDER BY inside an aggregate). Every row source gets its own
alias ``tN``; connections reuse the resolvers' keyset statements (``page_select`` over the
``lists`` filters), compiled with their values inline, as derived tables whose key columns
``sg_kN`` order the page and make its cursors.

The statement returns one text column per compiled root field.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import literal_column, select
from sqlalchemy.engine import Dialect

from schema.compiler.fields import ComputedColumn
from schema.compiler.plan import (
    ChoiceItem,
    Item,
    Leaf,
    ListItem,
    ListRoot,
    LookupRoot,
    NodesRoot,
    Page,
    PageItem,
    PageRoot,
    Plan,
    Record,
    Root,
    SummaryRoot,
    ToOneItem,
    TypenameRoot,
    ValueItem,
)
from schema.compiler.planner import NotCompiled
from service.core import registry
from service.core.data_version import VERSION_SQL
from service.core.queries.paging import Ordering, count_select, page_select
from service.core.queries.search import SCORE_SCALE
from service.core.snippet import snippet_sql

# PostgreSQL functions take at most 100 arguments: 50 key/value pairs per object.
_MAX_PAIRS = 50
# PostgreSQL truncates longer names (NAMEDATALEN - 1 bytes).
_PG_NAME_BYTES = 64


class JsonText(str):
    """SQLite: an expression whose value is JSON text with no JSON subtype (a subquery's
    result, or text written here): it goes into other JSON as it is, never quoted. It is
    never NULL (a JSON null is the text ``null``): concatenated with NULL, a whole object
    would be."""


class JsonValue(str):
    """SQLite: an expression whose value carries the JSON subtype (``json_object``'s)."""


def order_sql(ordering: Ordering, prefix: str, reverse: bool) -> str:
    """``Ordering.clauses`` over a derived table's key columns ``prefix.sg_kN``."""
    descending = ordering.descending != reverse
    clauses = []
    for i, key in enumerate(ordering.keys):
        clause = f"{prefix}.sg_k{i} {'DESC' if descending else 'ASC'}"
        if key.nullable:
            clause += " NULLS LAST" if descending else " NULLS FIRST"
        clauses.append(clause)
    return ", ".join(clauses)


def by_parent_index(sql: str, parent: Any) -> str:
    """Compiled SQL of one parent's rows made to read them through the parent column's index.

    SQLite's statistics count NULL as one value, so ``parent_id IS NULL`` (top-level tasks)
    looks as selective as a key and its index wins over the parent's: every top-level task
    would be scanned per parent. SQLAlchemy renders no table hints for SQLite, so the
    ``INDEXED BY`` goes into the text, and only where the table is named once.
    """
    table = parent.table
    index = next((ix for ix in table.indexes if next(iter(ix.columns)) is parent), None)
    source = f"FROM {table.name} "
    if index is None or sql.count(source) != 1:
        return sql
    return sql.replace(source, f"{source}INDEXED BY {index.name} ")


class Renderer:
    """Renders one plan for one database (``postgresql`` or ``sqlite``)."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.pg = dialect.name == "postgresql"
        self._aliases = 0
        self._shared: list[str] = []  # common table expressions the roots read

    def statement(self, plan: Plan, with_version: bool = False) -> str:
        """One text column per root; ``with_version``: then the data version, read in the
        same statement (so from the same snapshot as the answer)."""
        columns = [self._root(root) for root in plan.roots]
        if self.pg:
            columns = [f"to_json({c})::text" for c in columns]
        if with_version:
            columns.append(f"({VERSION_SQL})")
        shared = f"WITH {', '.join(self._shared)} " if self._shared else ""
        return f"{shared}SELECT " + ", ".join(columns)

    # --- JSON building blocks (the two dialects) ----------------------------------------------

    def _alias(self) -> str:
        self._aliases += 1
        return f"t{self._aliases}"

    def _object(self, pairs: list[tuple[str, str]]) -> str:
        if len(pairs) > _MAX_PAIRS:
            raise NotCompiled("too many fields in one object")
        if self.pg and all(len(key.encode()) < _PG_NAME_BYTES for key, _ in pairs):
            # A row whose columns are named by the keys: PostgreSQL writes it as that object,
            # for less CPU than json_build_object's variadic arguments cost.
            columns = ", ".join(f'{value} AS "{key}"' for key, value in pairs)
            return f'(SELECT "sg-r" FROM (SELECT {columns}) AS "sg-r")'
        if self.pg or not any(isinstance(value, JsonText) for _, value in pairs):
            body = ", ".join(f"'{key}', {value}" for key, value in pairs)
            return f"json_build_object({body})" if self.pg else JsonValue(f"json_object({body})")
        # Response keys are GraphQL names: nothing in them needs escaping.
        heads = [("{" if i == 0 else ",") + f'"{key}":' for i, (key, _) in enumerate(pairs)]
        values = [self._json(value) for _, value in pairs]
        body = " || ".join(
            f"'{head}' || {value}" for head, value in zip(heads, values, strict=True)
        )
        return JsonText(f"({body} || '}}')")

    def _json(self, value: str) -> str:
        """SQLite: ``value`` as JSON text."""
        return value if isinstance(value, JsonText | JsonValue) else f"json_quote({value})"

    def _nested(self, subquery: str) -> str:
        return f"({subquery})" if self.pg else JsonText(f"coalesce(({subquery}), 'null')")

    def _array(self, element: str, source: str, order: str | None) -> str:
        """The elements of ``source``'s rows in ``order`` (SQLite: None keeps the order in
        which an ordered derived table yields its rows, as group_concat keeps its input's)."""
        if self.pg:
            assert order is not None
            return (
                f"(SELECT coalesce(json_agg({element} ORDER BY {order}), '[]'::json) FROM {source})"
            )
        ordered = f" ORDER BY {order}" if order is not None else ""
        return JsonText(
            "(SELECT '[' || coalesce(group_concat(sg_j, ','), '') || ']' FROM "
            f"(SELECT {self._json(element)} AS sg_j FROM {source}{ordered}))"
        )

    def _boolean(self, condition: str) -> str:
        if self.pg:
            return f"({condition})"
        return JsonText(f"(CASE WHEN {condition} THEN 'true' ELSE 'false' END)")

    def _constant(self, value: bool) -> str:
        if self.pg:
            return "true" if value else "false"
        return JsonText("'true'" if value else "'false'")

    def _base64url(self, text: str) -> str:
        if self.pg:
            return f"translate(encode(convert_to({text}, 'UTF8'), 'base64'), E'+/=\\n', '-_')"
        return f"sg_base64url({text})"

    def _param(self, index: int) -> str:
        return f"${index + 1}" if self.pg else "?"

    def _compiled(self, statement: Any) -> str:
        return str(statement.compile(dialect=self.dialect, compile_kwargs={"literal_binds": True}))

    # --- roots ---------------------------------------------------------------------------------

    def _root(self, root: Root) -> str:
        if isinstance(root, TypenameRoot):
            return "'\"Query\"'::json" if self.pg else "'\"Query\"'"
        if isinstance(root, LookupRoot):
            return self._lookup(root)
        if isinstance(root, NodesRoot):
            lookups = [self._lookup(lookup) for lookup in root.lookups]
            if self.pg:
                return f"json_build_array({', '.join(lookups)})"
            items = " || ',' || ".join(f"coalesce({x}, 'null')" for x in lookups)
            return JsonText(f"('[' || {items} || ']')" if lookups else "'[]'")
        if isinstance(root, ListRoot):
            alias = self._alias()
            order = ", ".join(f"{alias}.{column}" for column in root.spec.order)
            return self._array(
                self._record(root.record, alias), f"{root.spec.table} AS {alias}", order
            )
        if isinstance(root, SummaryRoot):
            alias = self._alias()
            # SQLite reads the totals in the order their statement sorts them (numbering them
            # by a window over that order cost it a sort of its own and a fifth of the time).
            source = f"({self._compiled(root.statement(self.pg))}) AS {alias}"
            position = f"{alias}.position" if self.pg else None
            return self._array(self._record(root.record, alias), source, position)
        assert isinstance(root, PageRoot)
        return self._page(root.page, None)

    def _lookup(self, root: LookupRoot) -> str:
        alias = self._alias()
        return (
            f"(SELECT {self._record(root.record, alias)} FROM {root.table} AS {alias} "
            f"WHERE {alias}.{root.column} = {self._param(root.param)})"
        )

    # --- records -------------------------------------------------------------------------------

    def _record(self, record: Record, alias: str) -> str:
        return self._object([(item.key, self._item(item, alias)) for item in record.items])

    def _item(self, item: Item, alias: str) -> str:
        if isinstance(item, Leaf):
            return self._leaf(item, alias)
        if isinstance(item, ValueItem):
            value = self._record(item.record, alias)
            if not item.present_when:
                return value
            present = " OR ".join(f"{alias}.{column} IS NOT NULL" for column in item.present_when)
            return self._nested(f"SELECT CASE WHEN {present} THEN {value} END")
        if isinstance(item, ToOneItem):
            other = self._alias()
            spec = item.spec
            return self._nested(
                f"SELECT {self._record(item.record, other)} FROM {spec.table} AS {other} "
                f"WHERE {other}.id = {alias}.{spec.column}"
            )
        if isinstance(item, ListItem):
            return self._list(item, alias)
        if isinstance(item, ChoiceItem):
            return self._choice(item, alias)
        assert isinstance(item, PageItem)
        return self._page(item.page, alias)

    def _choice(self, item: ChoiceItem, alias: str) -> str:
        """The record of the table the row's ``kind`` names, by the row's ``id``."""
        whens = []
        for kind, table, record in item.choices:
            other = self._alias()
            built = self._record(record, other)
            chosen = f"(SELECT {built} FROM {table} AS {other} WHERE {other}.id = {alias}.id)"
            # PostgreSQL: each table's row is its own type, which one CASE cannot mix.
            whens.append(f"WHEN {kind} THEN {f'to_json({chosen})' if self.pg else chosen}")
        chosen = f"CASE {alias}.kind {' '.join(whens)} END"
        return f"({chosen})" if self.pg else JsonText(f"coalesce({chosen}, 'null')")

    def _leaf(self, leaf: Leaf, alias: str) -> str:
        if leaf.typename is not None:
            return f"'{leaf.typename}'"
        if leaf.global_id is not None:
            return self._base64url(f"'{leaf.global_id}:' || {alias}.id")
        if leaf.snippet is not None:
            return snippet_sql(self.dialect, f"{alias}.text", f"{alias}.folded", leaf.snippet)
        if leaf.computed is not None:
            return self._computed(leaf.computed, alias)
        assert leaf.column is not None
        value = f"{alias}.{leaf.column.column}"
        if leaf.column.kind == "enum":
            return f"upper({value})"
        if leaf.column.kind == "amount":
            return f"CAST({value} AS TEXT)"
        if leaf.column.kind == "score":
            return self.score(value)
        if leaf.column.kind == "decimal":
            # decimals.decimal_text: no trailing zeros, no exponent, never "-0" (PostgreSQL's
            # numeric has no negative zero; SQLite stores REAL or INTEGER, read as SQLAlchemy
            # reads it, at the column's scale).
            if self.pg:
                return f"trim_scale({value})::text"
            return f"sg_decimal_text({value}, {leaf.column.scale})"
        return value

    def _computed(self, computed: ComputedColumn, alias: str) -> str:
        """The registry's expression over the current row. It is built over a table object,
        so over another alias of the row's table, joined by id: compiled alone, the
        expression would list the row's alias among its own tables."""
        row = registry.entity(computed.table).table.alias(self._alias())
        value = computed.value.sql(row)
        return f"({self._compiled(select(value).where(row.c.id == literal_column(f'{alias}.id')))})"

    def score(self, rank: str) -> str:
        """The JSON number Python writes for ``-rank / SCORE_SCALE`` (its float's shortest
        repr): fixed notation with at least one decimal from 1e-4 up, else ``1.2e-05``."""
        scale, score = SCORE_SCALE, f"(-({rank}))"
        if self.pg:
            fixed = (
                f"(SELECT CASE WHEN strpos(sg_v, '.') = 0 THEN sg_v || '.0' ELSE sg_v END FROM "
                f"(SELECT trim_scale({score}::numeric / {scale})::text AS sg_v) AS sg_s)"
            )
        else:
            fixed = (
                f"(SELECT CASE WHEN sg_v LIKE '%.' THEN sg_v || '0' ELSE sg_v END FROM "
                f"(SELECT rtrim(printf('%.6f', {score} / {scale}.0), '0') AS sg_v) AS sg_s)"
            )
        text = (
            f"CASE WHEN {score} = 0 THEN '0.0' WHEN abs({score}) >= {scale // 10_000} THEN {fixed} "
            f"WHEN abs({score}) < 10 THEN CAST({score} AS TEXT) || 'e-06' "
            f"WHEN {score} % 10 = 0 THEN CAST({score} / 10 AS TEXT) || 'e-05' "
            f"ELSE CAST({score} / 10 AS TEXT) || '.' || CAST(abs({score} % 10) AS TEXT) "
            "|| 'e-05' END"
        )
        return f"({text})::json" if self.pg else JsonText(f"coalesce({text}, 'null')")

    def _list(self, item: ListItem, parent: str) -> str:
        spec = item.spec
        alias = self._alias()
        if spec.link is not None:
            link = self._alias()
            source = (
                f"{spec.table} AS {alias} JOIN {spec.link} AS {link} "
                f"ON {link}.{spec.link_other} = {alias}.id WHERE {link}.{spec.parent} = {parent}.id"
            )
        else:
            source = f"{spec.table} AS {alias} WHERE {alias}.{spec.parent} = {parent}.id"
        order = ", ".join(f"{alias}.{column}" for column in spec.order)
        if item.record is None:
            assert spec.value is not None
            return self._array(f"{alias}.{spec.value}", source, order)
        return self._array(self._record(item.record, alias), source, order)

    # --- connections ---------------------------------------------------------------------------

    def _page(self, page: Page, parent: str | None) -> str:
        ordering = page.ordering
        if page.child is not None:
            assert parent is not None
            assert page.child_statement is not None
            statement, parent_column = page.child_statement()
            base = statement.where(parent_column == literal_column(f"{parent}.id"))
        elif page.source is not None:
            base, ordering = page.source(self.dialect.name)
        else:
            assert page.statement is not None
            base = page.statement()  # the resolvers' filter checks run here
        assert ordering is not None
        split_nulls = self.pg and page.child is None
        rows = self._compiled(page_select(base, ordering, page.request, split_nulls))
        counted = self._compiled(count_select(base))
        if page.child is not None and not self.pg:
            rows, counted = (
                by_parent_index(rows, parent_column),
                by_parent_index(counted, parent_column),
            )
        request = page.request
        limit = request.limit
        assert limit is not None
        backwards = request.backwards

        fetched = f"({rows})"
        if page.source is not None:
            # A search ranks every match to find its page: the edges, the pageInfo and the
            # check for a next page read the page's rows once, not each its own ranking.
            fetched = self._alias()
            self._shared.append(f"{fetched} AS MATERIALIZED ({rows})")

        def page_rows() -> tuple[str, str]:
            alias, inner = self._alias(), self._alias()
            fetch_order = order_sql(ordering, inner, backwards)
            source = f"(SELECT * FROM {fetched} AS {inner} ORDER BY {fetch_order} LIMIT {limit})"
            return alias, f"{source} AS {alias}"

        def more() -> str:
            return self._boolean(f"(SELECT count(*) FROM {fetched} AS {self._alias()}) > {limit}")

        pairs: list[tuple[str, str]] = []
        for part in page.parts:
            if part.name == "__typename":
                pairs.append((part.key, f"'{page.target}Connection'"))
            elif part.name == "totalCount":
                pairs.append((part.key, f"({counted})"))
            elif part.name == "nodes":
                assert part.record is not None
                alias, source = page_rows()
                display = order_sql(ordering, alias, False)
                pairs.append(
                    (part.key, self._array(self._record(part.record, alias), source, display))
                )
            elif part.name == "edges":
                alias, source = page_rows()
                edge: list[tuple[str, str]] = []
                for key, name, record in part.items:
                    if name == "cursor":
                        edge.append((key, self._cursor(page, alias)))
                    elif name == "node":
                        assert record is not None
                        edge.append((key, self._record(record, alias)))
                    else:
                        edge.append((key, f"'{page.target}Edge'"))
                display = order_sql(ordering, alias, False)
                pairs.append((part.key, self._array(self._object(edge), source, display)))
            else:
                info: list[tuple[str, str]] = []
                for key, name, _record in part.items:
                    if name == "hasNextPage":
                        value = self._constant(request.before is not None) if backwards else more()
                    elif name == "hasPreviousPage":
                        value = more() if backwards else self._constant(request.after is not None)
                    elif name in ("startCursor", "endCursor"):
                        alias, source = page_rows()
                        order = order_sql(ordering, alias, name == "endCursor")
                        cursor = self._cursor(page, alias)
                        value = f"(SELECT {cursor} FROM {source} ORDER BY {order} LIMIT 1)"
                    else:
                        value = "'PageInfo'"
                    info.append((key, value))
                pairs.append((part.key, self._object(info)))
        return self._object(pairs)

    def _cursor(self, page: Page, alias: str) -> str:
        """``relay.encode_cursor`` in SQL: base64url of ``["ORDER:DIR",key,...]``."""
        keys = [f"{alias}.sg_k{i}" for i in range(len(page.key_types))]
        if not self.pg:
            return self._base64url(f"json_array('{page.order_name}', {', '.join(keys)})")
        values = []
        for key, key_type in zip(keys, page.key_types, strict=True):
            if key_type is int:
                values.append(f"coalesce({key}::text, 'null')")
            else:  # a date: its ISO text in quotes
                values.append(f"coalesce('\"' || {key}::text || '\"', 'null')")
        text = f"'[\"{page.order_name}\",' || " + " || ',' || ".join(values) + " || ']'"
        return self._base64url(text)
