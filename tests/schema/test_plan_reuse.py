"""A prepared document keeps the compiler's plan per variable set: a repeated request is not
planned again, other variables get their own plan, and the number kept is bounded."""

from __future__ import annotations

from graphql import OperationDefinitionNode

from schema.operation import SPLITS_PER_DOCUMENT, Operations, Prepared

QUERY = "query($slug: String!) { plan(slug: $slug) { title } }"


def _operation(prepared: Prepared) -> OperationDefinitionNode:
    found = prepared.operation(None)
    assert isinstance(found, OperationDefinitionNode)
    return found


def test_equal_variables_reuse_the_plan_and_others_get_their_own(
    operations: Operations,
) -> None:
    prepared = operations.prepare(QUERY)
    operation = _operation(prepared)
    first = operations.split(prepared, operation, {"slug": "plan-a"})
    assert first is not None
    assert operations.split(prepared, operation, {"slug": "plan-a"}) is first
    other = operations.split(prepared, operation, {"slug": "plan-b"})
    assert other is not None
    assert other is not first
    assert first.plan.params == ("plan-a",)
    assert other.plan.params == ("plan-b",)


def test_the_plans_kept_per_document_are_bounded(operations: Operations) -> None:
    prepared = operations.prepare(QUERY + " ")  # a document of its own
    operation = _operation(prepared)
    for i in range(3 * SPLITS_PER_DOCUMENT):
        operations.split(prepared, operation, {"slug": f"plan-{i}"})
        assert len(prepared.splits) <= SPLITS_PER_DOCUMENT
