"""The page at ``/`` in headless Chromium against a live uvicorn server."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from tests.support.browser import chromium_or_skip, database_url, live_server
from tests.support.feed_data import PLAN_TITLE
from tests.support.node import JS_DIR, run_node

__all__ = ["database_url", "live_server"]  # fixtures


def test_page_in_chromium_downloads_a_workbook(live_server: str, tmp_path: Path) -> None:
    chromium_or_skip()
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    result = run_node(JS_DIR / "drive_home.mjs", live_server, "xlsx", str(downloads), timeout=120)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["status"] == 200
    assert seen["errors"] == []
    assert seen["violations"] == []  # the stylesheet and icon are the page's own
    assert seen["heading"] == "stratagraph"
    assert PLAN_TITLE in seen["plans"]
    assert {b["action"] for b in seen["buttons"]} >= {
        "/exports/xlsx",
        "/exports/json",
        "/exports/ics",
    }
    assert (
        f"webcal://127.0.0.1:{live_server.rsplit(':', 1)[1]}/calendars/milestones.ics"
        in (seen["webcal"])
    )
    assert seen["graphiql"] == "/graphql"

    download = seen["download"]
    assert download["failure"] is None
    assert f"plan={seen['chosenPlan']}" in download["url"]
    assert download["filename"].endswith(".xlsx")
    workbook = openpyxl.load_workbook(download["path"], read_only=True)
    try:
        assert workbook.sheetnames  # a valid OOXML workbook with sheets
    finally:
        workbook.close()
