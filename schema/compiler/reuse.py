"""Reusing a plan for other lookup keys: ``node(id: $id)`` asked for id after id.

Planning depends on every variable, so a plan is normally kept per variable set. A root
lookup whose key is a variable used nowhere else in the document is different: its value only
becomes a statement parameter (and, for a global ID, picks the type, which shapes the plan).
Such a variable is a key slot. A plan made for one key value serves every other value of the
same type, with the other variables equal: the key is checked as planning checks it
(``node_of``, ``check_key``), and only the parameter changes. A value planning would refuse
(a malformed ID, a slug of the wrong form, anything but a string) is never reused: it is
planned from scratch, which leaves it to the resolvers to report as they always have.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    SKIP,
    DocumentNode,
    FieldNode,
    GraphQLError,
    OperationDefinitionNode,
    VariableDefinitionNode,
    VariableNode,
    Visitor,
    visit,
)

from schema.compiler.executor import Split
from schema.compiler.fields import NodeLookup, RootLookup, Spec
from schema.compiler.plan import LookupRoot, Plan
from schema.query import check_key, node_of


@dataclass(frozen=True)
class KeySlot:
    """A root lookup keyed by a variable used nowhere else."""

    variable: str
    root_key: str  # the root field's response key
    column: str | None  # the natural key column (slug, code); None for a global ID


@dataclass(frozen=True)
class Template:
    """A plan made for one set of key values, and where each slot's key sits in its
    parameters."""

    split: Split
    positions: tuple[int, ...]  # per slot, its index in ``split.plan.params``

    def with_keys(self, keys: list[Any]) -> Split:
        params = list(self.split.plan.params)
        for position, key in zip(self.positions, keys, strict=True):
            params[position] = key
        plan = Plan(self.split.plan.roots, tuple(params))
        return Split(plan, self.split.keys, self.split.rest)


class _VariableUses(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.count: Counter[str] = Counter()

    def enter_variable_definition(self, node: VariableDefinitionNode, *_args: Any) -> Any:
        return SKIP  # the definition itself is no use

    def enter_variable(self, node: VariableNode, *_args: Any) -> None:
        self.count[node.name.value] += 1


def key_slots(
    specs: Mapping[tuple[str, str], Spec],
    document: DocumentNode,
    operation: OperationDefinitionNode,
) -> tuple[KeySlot, ...]:
    """The operation's key slots: root lookups (no directives) whose key argument is a
    variable that the document uses nowhere else."""
    uses = _VariableUses()
    visit(document, uses)
    slots = []
    for selection in operation.selection_set.selections:
        if not isinstance(selection, FieldNode) or selection.directives:
            continue
        spec = specs.get(("Query", selection.name.value))
        if isinstance(spec, NodeLookup) and not spec.many:
            argument, column = "id", None
        elif isinstance(spec, RootLookup):
            argument, column = spec.column, spec.column
        else:
            continue
        arguments = selection.arguments or ()
        value = next((a.value for a in arguments if a.name.value == argument), None)
        if isinstance(value, VariableNode) and uses.count[value.name.value] == 1:
            key = selection.alias.value if selection.alias else selection.name.value
            slots.append(KeySlot(value.name.value, key, column))
    return tuple(slots)


def keyed(
    slots: tuple[KeySlot, ...], variables: Mapping[str, Any] | None
) -> tuple[str, list[Any]] | None:
    """What a template for these variables is kept under (the other variables, and each
    global ID's type) and the slots' statement parameters; None when planning must decide."""
    if not slots or variables is None:
        return None
    shape = dict(variables)
    keys: list[Any] = []
    for slot in slots:
        value = variables.get(slot.variable)
        if not isinstance(value, str):
            return None
        try:
            if slot.column is None:
                kind, pk = node_of(value, "id")
                shape[slot.variable] = kind.__name__
                keys.append(pk)
            else:
                check_key(slot.column, value)
                shape[slot.variable] = ""
                keys.append(value)
        except GraphQLError:
            return None
    try:
        return json.dumps(shape, sort_keys=True), keys
    except (TypeError, ValueError):
        return None


def template(split: Split | None, slots: tuple[KeySlot, ...]) -> Template | None:
    """``split`` as a template, when every slot's root is a compiled lookup in it."""
    if split is None:
        return None
    roots = {root.key: root for root in split.plan.roots}
    positions = []
    for slot in slots:
        root = roots.get(slot.root_key)
        if not isinstance(root, LookupRoot):
            return None
        positions.append(root.param)
    return Template(split, tuple(positions))
