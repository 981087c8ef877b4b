"""Errors a user can act on: each names what was wrong and where."""

from __future__ import annotations


class StratagraphError(Exception):
    """Base of errors reported to the user as one clear line, never a traceback."""


class SettingsError(StratagraphError):
    """A ``STRATAGRAPH_*`` setting is missing, malformed or unusable."""

    def __init__(self, setting: str, problem: str) -> None:
        self.setting = setting
        self.problem = problem
        super().__init__(f"{setting}: {problem}")


class DatabaseUnavailableError(StratagraphError):
    """The configured database cannot be reached or opened."""
