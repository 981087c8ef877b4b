"""A prepared document keeps the compiler's plan per variable set: a repeated request is not
planned again, other variables get their own plan, and the number kept is bounded."""

from __future__ import annotations

from typing import Any

from graphql import OperationDefinitionNode

from schema.operation import SPLITS_PER_DOCUMENT, Operations, Prepared
from schema.relay import encode_id

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


# --- a lookup key that comes straight from a variable: the plan is reused for other keys ---

NODE = "query($id: ID!) { node(id: $id) { id ... on Task { code laws { title } } } }"
BY_CODE = "query($code: String!) { task(code: $code) { code title } }"
TWICE = "query($id: ID!) { node(id: $id) { id } again: node(id: $id) { id } }"


def _reference(operations: Operations, prepared: Prepared, variables: dict[str, Any]) -> Any:
    """What planning from scratch gives for ``variables``."""
    assert operations.compiler is not None
    assert prepared.document is not None
    return operations.compiler.split(
        prepared.source, prepared.document, _operation(prepared), variables
    )


def test_other_lookup_keys_reuse_the_plan_with_their_own_parameters(
    operations: Operations,
) -> None:
    prepared = operations.prepare(NODE)
    operation = _operation(prepared)
    first = operations.split(prepared, operation, {"id": encode_id("Task", 1)})
    second = operations.split(prepared, operation, {"id": encode_id("Task", 2)})
    assert first is not None
    assert second is not None
    assert second.plan.roots is first.plan.roots  # not planned again
    assert second.plan.params == (2,)
    assert second == _reference(operations, prepared, {"id": encode_id("Task", 2)})
    assert (
        second.plan.params
        == _reference(operations, prepared, {"id": encode_id("Task", 2)}).plan.params
    )
    law = operations.split(prepared, operation, {"id": encode_id("Law", 2)})
    assert law is not None
    assert law.plan.roots != first.plan.roots
    assert law == _reference(operations, prepared, {"id": encode_id("Law", 2)})

    by_code = operations.prepare(BY_CODE)
    code_operation = _operation(by_code)
    one = operations.split(by_code, code_operation, {"code": "DSK-I-1"})
    two = operations.split(by_code, code_operation, {"code": "DSK-V-3-1"})
    assert one is not None
    assert two is not None
    assert two.plan.roots is one.plan.roots
    assert two.plan.params == ("DSK-V-3-1",)


def test_a_key_reused_plans_refuse_what_planning_refuses(operations: Operations) -> None:
    """Every value planning would leave to the resolvers (which report it) still goes there."""
    prepared = operations.prepare(NODE + " ")
    operation = _operation(prepared)
    assert operations.split(prepared, operation, {"id": encode_id("Task", 1)}) is not None
    for bad in ("not an id", encode_id("Nope", 3), encode_id("Task", 2**40), 7, None):
        variables = {"id": bad}
        assert operations.split(prepared, operation, variables) == _reference(
            operations, prepared, variables
        ), bad
    by_code = operations.prepare(BY_CODE + " ")
    code_operation = _operation(by_code)
    assert operations.split(by_code, code_operation, {"code": "DSK-I-1"}) is not None
    assert operations.split(by_code, code_operation, {"code": "not a code!"}) is None


def test_a_variable_used_twice_is_planned_per_value(operations: Operations) -> None:
    prepared = operations.prepare(TWICE)
    operation = _operation(prepared)
    first = operations.split(prepared, operation, {"id": encode_id("Task", 1)})
    second = operations.split(prepared, operation, {"id": encode_id("Task", 2)})
    assert first is not None
    assert second is not None
    assert second.plan.params == (2, 2)
    assert second == _reference(operations, prepared, {"id": encode_id("Task", 2)})
