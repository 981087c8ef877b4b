"""Missing outside tools skip a test on a developer machine and fail it in CI."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def running_in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def unavailable(reason: str) -> NoReturn:
    """Skip with ``reason``; under ``CI=true`` the same reason is a failure."""
    if running_in_ci():
        pytest.fail(f"CI=true requires this: {reason}")
    pytest.skip(reason)
