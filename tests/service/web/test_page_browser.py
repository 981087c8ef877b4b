"""The page in Debian's headless Chromium, as a person reads it: content, the timeline and a
click on it, a task and a law page, axe-core on each (no serious or critical violation), a
phone-sized screen, and every request to another host blocked."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

import seed
from migrations import runner as migrate
from service.core.database import engine_for_url
from tests.support.browser import chromium_or_skip
from tests.support.live import live_server
from tests.support.node import JS_DIR, run_node

SERIOUS = {"serious", "critical"}


@pytest.fixture
async def curated_url(tmp_path: Path) -> str:
    url = make_url(f"sqlite+aiosqlite:///{tmp_path / 'curated.db'}")
    engine = engine_for_url(url)
    try:
        await migrate.upgrade(engine)
        await seed.load_curated(engine)
    finally:
        await engine.dispose()
    return url.render_as_string(hide_password=False)


def test_the_page_reads_well_in_chromium(curated_url: str, tmp_path: Path) -> None:
    chromium_or_skip()
    shots = Path(os.environ.get("STRATAGRAPH_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    with live_server(make_url(curated_url)) as base:
        result = run_node(JS_DIR / "drive_page.mjs", base, str(shots), timeout=240)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["blocked"] == []
    assert seen["errors"] == []
    assert seen["violations"] == []  # nothing breaks the Content-Security-Policy

    home = seen["home"]
    assert home["status"] == 200
    assert len(home["strategies"]) == 8
    assert home["taskLinks"] >= 100
    assert home["quotes"] >= 100
    assert home["lawLinks"] > 0
    assert home["firstSubmit"] == {"text": "Show", "formaction": None}
    assert "Google ignores webcal:" in home["subscribeHelp"]
    timeline = home["timeline"]
    assert timeline["bars"] == 79
    assert timeline["lanes"] >= 7
    assert timeline["openStart"] > 0
    assert timeline["openEnd"] > 0
    assert "2023" in timeline["years"]

    after_enter = seen["afterEnter"]
    assert after_enter["url"].startswith(base_of(after_enter["url"]) + "/?plan=")
    assert after_enter["plans"] == 1

    task = seen["task"]
    assert task["url"].endswith(task["barHref"])
    assert task["target"]  # the bar's anchor is on the task page
    law = seen["law"]
    assert "/laws/" in law["url"]
    assert law["tasks"] >= 1

    phone = seen["phone"]
    assert phone["scrollWidth"] <= phone["innerWidth"]  # no sideways scrolling of the page
    assert phone["timelineScrolls"]  # the picture scrolls inside its own box
    assert phone["fontSize"] >= 16
    for view in (home, task, law, phone):
        serious = [v for v in view["axe"] if v["impact"] in SERIOUS]
        assert serious == [], serious
    assert (shots / "page.png").stat().st_size > 0


def base_of(url: str) -> str:
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{rest.split('/', 1)[0]}"
