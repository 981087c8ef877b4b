"""Every string a request passes in, checked before execution (the same on both engines).

A string argument or variable must hold no NUL character and no lone surrogate (PostgreSQL
refuses the first, the drivers cannot encode the second, SQLite would store or compare both
wrongly) and be at most ``max_string_length`` characters (SQLite refuses LIKE patterns over
50,000 bytes). Literals are checked by a validation rule, so the verdict is cached with the
document; variables per request. Both answer ``BAD_USER_INPUT`` naming the place.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    ArgumentNode,
    ASTValidationRule,
    GraphQLError,
    ObjectFieldNode,
    StringValueNode,
    ValidationContext,
    ValidationRule,
)

from service.core.text_rules import text_problem

BAD_USER_INPUT = "BAD_USER_INPUT"


def string_problem(value: str, max_length: int) -> str | None:
    if len(value) > max_length:
        return f"is {len(value)} characters long; the limit is {max_length}"
    return text_problem(value)


def string_literal_rule(max_length: int) -> type[ASTValidationRule]:
    class StringLiterals(ValidationRule):
        """Rejects string literals in arguments that no database may be asked about."""

        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.path: list[str] = []  # argument, then input object fields

        def enter_argument(self, node: ArgumentNode, *_args: Any) -> None:
            self.path = [node.name.value]

        def enter_object_field(self, node: ObjectFieldNode, *_args: Any) -> None:
            self.path.append(node.name.value)

        def leave_object_field(self, node: ObjectFieldNode, *_args: Any) -> None:
            self.path.pop()

        def enter_string_value(self, node: StringValueNode, *_args: Any) -> None:
            problem = string_problem(node.value, max_length)
            if problem is not None:
                where = ".".join(self.path)
                self.report_error(
                    GraphQLError(
                        f"Argument {where}: the string {problem}",
                        nodes=[node],
                        extensions={"code": BAD_USER_INPUT, "argument": where},
                    )
                )

    return StringLiterals


def variables_error(variables: Mapping[str, Any] | None, max_length: int) -> GraphQLError | None:
    """The first string in ``variables`` (at any depth) that is refused, as a coded error."""
    stack: list[tuple[Any, str, str]] = [
        (value, name, f"${name}") for name, value in (variables or {}).items()
    ]
    stack.reverse()  # a stack: the first variable is looked at first
    while stack:
        value, variable, path = stack.pop()
        if isinstance(value, str):
            problem = string_problem(value, max_length)
            if problem is not None:
                return GraphQLError(
                    f"Variable {path}: the string {problem}",
                    extensions={"code": BAD_USER_INPUT, "variable": variable},
                )
        elif isinstance(value, Mapping):
            entries = [(item, variable, f"{path}.{key}") for key, item in value.items()]
            stack.extend(reversed(entries))
        elif isinstance(value, list):
            items = [(item, variable, f"{path}[{i}]") for i, item in enumerate(value)]
            stack.extend(reversed(items))
    return None
