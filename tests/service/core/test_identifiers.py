"""One slug pattern and one code pattern (and the curated files' narrower code scheme),
matched against the whole string everywhere."""

from __future__ import annotations

import pytest

from service.core.dataset_filter import DatasetFilter, DatasetFilterError, filter_from_params
from service.core.identifiers import is_code, is_curated_code, is_slug


@pytest.mark.parametrize("value", ["ai", "digital-strategy-of-korea", "6g", "un-escap"])
def test_slugs(value: str) -> None:
    assert is_slug(value)


@pytest.mark.parametrize(
    "value", ["", "AI", "ai-", "-ai", "a--i", "ai_x", "ai\n", "ai\r\n", "\nai", "ai ", "한국"]
)
def test_not_slugs(value: str) -> None:
    assert not is_slug(value)


@pytest.mark.parametrize("value", ["DSK-I", "MSIT23-1-3-2", "DSK-I-1-a", "T1.2_b"])
def test_codes(value: str) -> None:
    assert is_code(value)


@pytest.mark.parametrize("value", ["", "-DSK", ".x", "DSK-I\n", "DSK I", "DSK/I"])
def test_not_codes(value: str) -> None:
    assert not is_code(value)


def test_curated_codes_are_upper_case_hyphenated_parts() -> None:
    assert is_curated_code("MSIT23-1-3-2")
    for value in ("DSK-I-1-a", "T1.2", "DSK--I", "DSK-I\n"):
        assert not is_curated_code(value)


@pytest.mark.parametrize(
    ("field", "parameter", "value"),
    [
        ("plans", "plan", "plan-a\n"),
        ("technologies", "technology", "ai\n"),
        ("strategies", "strategy", "DSK-I\n"),
    ],
)
def test_filters_reject_a_key_ending_in_a_newline(field: str, parameter: str, value: str) -> None:
    with pytest.raises(DatasetFilterError) as caught:
        DatasetFilter(**{field: (value,)})  # type: ignore[arg-type]
    assert caught.value.parameter == parameter


def test_filters_accept_keys() -> None:
    assert filter_from_params([("plan", "plan-a"), ("strategy", "DSK-I")]) == DatasetFilter(
        plans=("plan-a",), strategies=("DSK-I",)
    )
