"""GraphQL errors a client can act on, each with ``extensions.code``."""

from __future__ import annotations

from graphql import GraphQLError


class BadUserInput(GraphQLError):
    """An argument is malformed or out of range; the message says what to change."""

    def __init__(self, argument: str, problem: str) -> None:
        super().__init__(
            f"{argument}: {problem}",
            extensions={"code": "BAD_USER_INPUT", "argument": argument},
        )
