"""Invalid curated files are rejected with file, record and field, and change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

import seed
from tests.seed.support import dump, edit

MSIT = "msit-work-plan-2023.yaml"
VOCABULARY = "vocabulary.yaml"

CASES = {
    "bad date": (
        MSIT,
        "end: 2023-06-30",
        "end: 2023-06-31",
        ["milestone MSIT23-1-3-2#1", "field 'end'", "2023-06-31"],
    ),
    "dates inconsistent with EDTF": (
        MSIT,
        "end: 2023-06-30",
        "end: 2023-06-29",
        ["milestone MSIT23-1-3-2#1", "field 'end'", "2023-06-30"],
    ),
    "bad EDTF": (
        MSIT,
        "edtf: 2023-40",
        "edtf: first half 2023",
        ["milestone MSIT23-1-3-2#1", "field 'edtf'"],
    ),
    "unknown reference": (
        MSIT,
        "laws: [network-act]",
        "laws: [network-law]",
        ["task MSIT23-2-3-1", "field 'laws'", "unknown law 'network-law'"],
    ),
    "missing field": (
        MSIT,
        "          title: Develop Korea’s space economy\n",
        "",
        ["task MSIT23-1-1", "field 'title'", "missing"],
    ),
    "duplicate key": (
        MSIT,
        "code: MSIT23-3-2",
        "code: MSIT23-3-1",
        ["task MSIT23-3-1", "field 'code'", "duplicate key"],
    ),
    "duplicate YAML mapping key": (
        MSIT,
        "          title: Develop Korea’s space economy\n",
        "          title: Develop Korea’s space economy\n          title: again\n",
        ["duplicate key 'title'"],
    ),
    "bad enum": (
        MSIT,
        "precision: half\n                  kind: event\n                  cite: (first half",
        "precision: semester\n                  kind: event\n                  cite: (first half",
        ["milestone MSIT23-1-3-2#1", "field 'precision'", "'semester' is not one of"],
    ),
    "negative amount": (
        "digital-strategy-of-korea.yaml",
        "amount: 301800000000",
        "amount: -301800000000",
        ["budget DSK-I-2-1-1#1", "field 'amount'"],
    ),
    "unknown document in a citation": (
        VOCABULARY,
        '{document: digital-strategy-of-korea, quote: "Cyber Security Framework Act"}',
        '{document: nowhere, quote: "Cyber Security Framework Act"}',
        ["law cyber-security-framework-act", "field 'cite'", "unknown document 'nowhere'"],
    ),
    "unknown field": (
        VOCABULARY,
        "    title: Data Framework Act\n",
        "    title: Data Framework Act\n    enacted: yes\n",
        ["law data-framework-act", "field 'enacted'", "unknown field"],
    ),
    "javascript: URL": (
        MSIT,
        "  source_file: msit-work-plan-2023.txt\n",
        "  source_file: msit-work-plan-2023.txt\n  url: 'javascript:alert(1)'\n",
        ["document msit-work-plan-2023", "field 'url'", "not an http:// or https:// URL"],
    ),
    "slug ending in a newline": (
        VOCABULARY,
        "  - slug: ai\n",
        '  - slug: "ai\\n"\n',
        ["field 'slug'", "'ai\\n' is not a valid slug"],
    ),
    "code ending in a newline": (
        MSIT,
        "code: MSIT23-3-2",
        'code: "MSIT23-3-2\\n"',
        ["field 'code'", "'MSIT23-3-2\\n' is not a valid code"],
    ),
    "NUL in a title": (
        MSIT,
        "title: Develop Korea’s space economy",
        'title: "Develop Korea’s\\0 space economy"',
        ["task MSIT23-1-1", "field 'title'", "contains a NUL character (U+0000)"],
    ),
    "lone surrogate in a title": (
        MSIT,
        "title: Develop Korea’s space economy",
        'title: "Develop Korea’s space economy \\ud800"',
        ["task MSIT23-1-1", "field 'title'", "contains a lone surrogate (U+D800)"],
    ),
    "year beyond 32 bits": (
        "digital-strategy-of-korea.yaml",
        "end_year: 2026\n" + " " * 22 + "purpose: Fundamental technology for next-generation AI",
        "end_year: 2147483648\n"
        + " " * 22
        + "purpose: Fundamental technology for next-generation AI",
        ["budget DSK-I-2-1-1#1", "field 'end_year'", "2147483648 is out of range"],
    ),
    "amount beyond 64 bits": (
        "digital-strategy-of-korea.yaml",
        "amount: 301800000000",
        "amount: 9223372036854775808",
        ["budget DSK-I-2-1-1#1", "field 'amount'", "is out of range"],
    ),
    "quote not in the source text": (
        VOCABULARY,
        'quote: "(Promotion of the daily use of AI)"',
        'quote: "(Promotion of the daily use of AI everywhere)"',
        [
            "technology ai: field 'cite': the quote '(Promotion of the daily use of AI "
            "everywhere)' is not in the text of document msit-work-plan-2023",
        ],
    ),
    "YAML nested 5,000 deep": (
        VOCABULARY,
        "technologies:\n",
        "deep: " + "[" * 5000 + "]" * 5000 + "\ntechnologies:\n",
        ["nested too deeply to read"],
    ),
    "YAML syntax error": (
        MSIT,
        "strategies:\n",
        "strategies: [\n",
        ["YAML syntax error"],
    ),
}


@pytest.mark.parametrize("case", CASES)
async def test_invalid_file_is_rejected_and_changes_nothing(
    case: str, seeded_engine: AsyncEngine, data_copy: Path
) -> None:
    file_name, old, new, expected = CASES[case]
    edit(data_copy / file_name, old, new)
    before = await dump(seeded_engine)

    with pytest.raises(seed.SeedError) as caught:
        await seed.load_curated(seeded_engine, data_copy)

    message = str(caught.value)
    assert file_name in message
    assert f"{file_name}:" in message.split(" ")[0], "message starts with file:line"
    for fragment in expected:
        assert fragment in message
    assert await dump(seeded_engine) == before


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


_MILESTONE = "- title: Frequency supply and management system for autonomous driving and UAM"
# (file, text, its replacement, the line the record starts on, the one problem it causes)
INJECTED = (
    (
        MSIT,
        "end: 2023-06-30",
        "end: 2023-06-31",
        _MILESTONE,
        "milestone MSIT23-1-3-2#1: field 'end': '2023-06-31' is not a date (YYYY-MM-DD)",
    ),
    (
        MSIT,
        "precision: half\n                  kind: event\n                  cite: (first half",
        "precision: semester\n                  kind: event\n                  cite: (first half",
        _MILESTONE,
        "milestone MSIT23-1-3-2#1: field 'precision': 'semester' is not one of",
    ),
    (
        MSIT,
        "laws: [network-act]",
        "laws: [network-law]",
        "- code: MSIT23-2-3-1",
        "task MSIT23-2-3-1: field 'laws': unknown law 'network-law'",
    ),
    (
        "digital-strategy-of-korea.yaml",
        "amount: 301800000000",
        "amount: -301800000000",
        "- amount: -301800000000",
        "budget DSK-I-2-1-1#1: field 'amount': -301800000000 is below 0",
    ),
    (
        VOCABULARY,
        '{document: digital-strategy-of-korea, quote: "Cyber Security Framework Act"}',
        '{document: nowhere, quote: "Cyber Security Framework Act"}',
        "- slug: cyber-security-framework-act",
        "law cyber-security-framework-act: field 'cite': unknown document 'nowhere'",
    ),
    (
        VOCABULARY,
        "    title: Data Framework Act\n",
        "    title: Data Framework Act\n    enacted: yes\n",
        "- slug: data-framework-act",
        "law data-framework-act: field 'enacted': unknown field",
    ),
)


async def test_every_problem_is_reported(seeded_engine: AsyncEngine, data_copy: Path) -> None:
    """Field errors do not hide reference errors, and each problem is reported once, where
    it is: a malformed date or precision is not reported again as a mismatch with the EDTF."""
    for file_name, old, new, _record, _message in INJECTED:
        edit(data_copy / file_name, old, new)
    expected = [
        f"{data_copy / file_name}:{line_of(data_copy / file_name, record)}: {message}"
        for file_name, _old, _new, record, message in INJECTED
    ]
    with pytest.raises(seed.SeedError) as caught:
        await seed.load_curated(seeded_engine, data_copy)
    problems = caught.value.problems
    for wanted in expected:
        assert sum(problem.startswith(wanted) for problem in problems) == 1, (wanted, problems)
    assert len(problems) == len(expected), "\n".join(problems)


async def test_empty_folder_is_rejected(seeded_engine: AsyncEngine, tmp_path: Path) -> None:
    with pytest.raises(seed.SeedError, match="no curated"):
        await seed.load_curated(seeded_engine, tmp_path)
