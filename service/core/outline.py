"""What a task is in the text's outline, read from its label and place (one rule for every
writer: the curated seed, the synthetic generator).

The two texts mark their items so: a strategy's headline task statements carry no label; the
work plan's core tasks are numbered ①–⑧; a parenthesised tag "(AI)" opens an initiative; the
lower-case Roman numerals (i)–(iv) enumerate a list; "*", "**", "※" and the circled numbers
under a statement are its footnote items; the flattened tables have unlabelled column headings
whose bullets "•" are the table's items.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from service.core.models import TaskKind

_CIRCLED = {chr(0x2460 + n): n + 1 for n in range(20)}  # ① .. ⑳
_ROMAN = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
    "vi": 6,
    "vii": 7,
    "viii": 8,
    "ix": 9,
    "x": 10,
}
_UPPER_ROMAN = {chr(0x2160 + n): n + 1 for n in range(12)}  # Ⅰ .. Ⅻ
_LIST_ITEM = re.compile(r"\(([ivx]+)\)")
_FOOTNOTE = re.compile(r"\*+|※")
_TRAILING_NUMBER = re.compile(r"(\d+)$")


def task_kind(label: str | None, depth: int) -> TaskKind:
    """The kind of a task with ``label`` at ``depth`` (1 = directly under its strategy)."""
    if depth == 1:
        return TaskKind.CORE_TASK if label and label in _CIRCLED else TaskKind.TASK_STATEMENT
    if label is None:
        return TaskKind.TABLE_COLUMN
    if label == "•":
        return TaskKind.TABLE_ITEM
    if _LIST_ITEM.fullmatch(label):
        return TaskKind.LIST_ITEM
    if _FOOTNOTE.fullmatch(label) or label in _CIRCLED:
        return TaskKind.FOOTNOTE
    return TaskKind.INITIATIVE


def label_number(label: str | None) -> int | None:
    """The ordinal a label writes, normalised: ① → 1, (iii) → 3, ** → 2 (the second footnote
    mark), 【StrategyⅡ】 → 2, "Task 3" → 3; None for tags ("(AI)") and bullets."""
    if not label:
        return None
    if label in _CIRCLED:
        return _CIRCLED[label]
    if found := _LIST_ITEM.fullmatch(label):
        return _ROMAN.get(found.group(1))
    if set(label) == {"*"}:
        return len(label)
    for character in label:
        if character in _UPPER_ROMAN:
            return _UPPER_ROMAN[character]
    if found := _TRAILING_NUMBER.search(label):
        return int(found.group(1))
    return None


def outline_positions(
    tasks: Sequence[tuple[int, int, int | None, int]],
) -> dict[int, tuple[int, int]]:
    """(depth, outline position) of each task id, from (id, strategy id, parent id, position)
    rows: the strategy's outline read top to bottom, each task before its sub-items."""
    children: dict[tuple[int, int | None], list[tuple[int, int]]] = {}
    for task_id, strategy_id, parent_id, position in tasks:
        children.setdefault((strategy_id, parent_id), []).append((position, task_id))
    placed: dict[int, tuple[int, int]] = {}
    for strategy_id in sorted({row[1] for row in tasks}):
        counter = 0
        stack = [(task_id, 1) for _, task_id in sorted(children.get((strategy_id, None), []))]
        stack.reverse()
        while stack:
            task_id, depth = stack.pop()
            counter += 1
            placed[task_id] = (depth, counter)
            below = sorted(children.get((strategy_id, task_id), []), reverse=True)
            stack.extend((child, depth + 1) for _, child in below)
    return placed
