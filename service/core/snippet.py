"""A short excerpt of a text around the first word a search matched."""

from __future__ import annotations

import re

from service.core.text_fold import fold, words

_WORD = re.compile(r"\w+")
CONTEXT_WORDS = 8  # words kept before and after the first match
ELLIPSIS = "…"


def snippet(text: str, query: str, context: int = CONTEXT_WORDS) -> str:
    """``text`` cut to ``context`` words either side of its first word that is a word of
    ``query`` (compared folded), with an ellipsis where it was cut; the whole text is kept
    when it is short."""
    wanted = set(words(query))
    found = list(_WORD.finditer(text))
    first = next((i for i, m in enumerate(found) if fold(m.group()) in wanted), 0)
    if len(found) <= 2 * context + 1:
        return text
    low = max(first - context, 0)
    high = min(first + context, len(found) - 1)
    start = found[low].start() if low > 0 else 0
    end = found[high].end() if high < len(found) - 1 else len(text)
    return (ELLIPSIS if start > 0 else "") + text[start:end] + (ELLIPSIS if end < len(text) else "")
