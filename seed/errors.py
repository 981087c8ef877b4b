"""The one error the seed package raises for bad curated files."""

from __future__ import annotations

from service.core.errors import StratagraphError


class SeedError(StratagraphError):
    """A curated file is invalid. ``problems`` lists each one as "file:line: record: field: why"."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(problems[0] + more if problems else "invalid seed data")

    def details(self) -> str:
        return "\n".join(self.problems)
