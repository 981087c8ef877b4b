"""Where the service's pages show a record: the page paths that the pages themselves and the
exporters' links back (a calendar event's URL) both use, so the two never disagree."""

from __future__ import annotations

from urllib.parse import quote


def task_path(code: str) -> str:
    return f"/tasks/{quote(code, safe='')}"


def law_path(slug: str) -> str:
    return f"/laws/{quote(slug, safe='')}"


def milestone_anchor(task_code: str, position: int) -> str:
    """The id of a milestone's element on its task's page."""
    return f"milestone-{task_code}-{position}"


def milestone_path(task_code: str, position: int) -> str:
    anchor = quote(milestone_anchor(task_code, position), safe="")
    return f"{task_path(task_code)}#{anchor}"
