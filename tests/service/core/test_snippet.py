"""The search snippet: the same excerpt from Python and from SQL on both engines."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from service.core.snippet import ELLIPSIS, snippet, snippet_sql
from service.core.text_fold import fold

LONG = (
    "To this end, five strategies and 19 specific tasks will be carried out, "
    "from artificial intelligence to data, networks and the digital platform government."
)


def test_a_long_text_is_cut_around_the_first_matched_word() -> None:
    cut = snippet(LONG, fold(LONG), "Carried")
    assert (
        cut == f"{ELLIPSIS}five strategies and 19 specific tasks will be carried out, from "
        f"artificial intelligence to data, networks and{ELLIPSIS}"
    )


def test_a_short_text_is_kept_whole() -> None:
    assert snippet("Data Industry Act", fold("Data Industry Act"), "data") == "Data Industry Act"


def test_the_match_is_found_in_the_folded_text() -> None:
    """ß folds to ss: the word matched in the folded text picks the word of the text."""
    words = [f"w{i}" for i in range(30)]
    words[20] = "Straße"
    source = " ".join(words)
    cut = snippet(source, fold(source), "STRASSE")
    assert cut == ELLIPSIS + " ".join(words[12:29]) + ELLIPSIS


def _texts() -> list[str]:
    found: list[str] = []
    word = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=8)

    @settings(
        max_examples=120,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.lists(word, min_size=0, max_size=40).map(" ".join))
    def collect(value: str) -> None:
        found.append(value)

    collect()
    return found


CASES = [
    (LONG, "networks"),
    (LONG, "to"),
    (LONG, "government"),
    (LONG, "nothing here"),
    ("Ａ " * 30 + "İstanbul ǅemal ﬁnal " * 5, "istanbul final"),
    ("데이터 " * 12 + "인공지능 국가 전략 " * 6, "국가"),
    ("e\u0301te\u0301 " * 20, "été"),
]


@pytest.mark.parametrize(("source", "query"), CASES)
async def test_sql_cuts_as_python_does(db: AsyncConnection, source: str, query: str) -> None:
    expression = snippet_sql(db.dialect, ":text", ":folded", query)
    row = await db.execute(text(f"SELECT {expression}"), {"text": source, "folded": fold(source)})
    assert row.scalar_one() == snippet(source, fold(source), query)


async def test_sql_cuts_generated_texts_as_python_does(db: AsyncConnection) -> None:
    """Unicode beyond ASCII: the word class, the folding and the offsets agree."""
    for source in _texts():
        words = source.split()
        query = words[len(words) // 2] if words and fold(words[len(words) // 2]).strip() else "x"
        if not any(ch.isalnum() for ch in query):
            query = "x"
        expression = snippet_sql(db.dialect, ":text", ":folded", query)
        result = await db.execute(
            text(f"SELECT {expression}"), {"text": source, "folded": fold(source)}
        )
        assert result.scalar_one() == snippet(source, fold(source), query), source
