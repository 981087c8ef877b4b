"""A short excerpt of a text around the first word a search matched, in Python and in SQL.

The matched word is found among the words of the folded text (``search_text.folded``, the
text as the index compares it), and the excerpt is cut from the text at the same word: so the
database can cut it too, with no Unicode case folding of its own. ``snippet_sql`` is the same
rule as an SQL expression: PostgreSQL with its regular expressions over Python's own word
class (spelt out, so no locale decides what a letter is), SQLite through ``sg_snippet``, a
function every connection registers (``service.core.database``).
"""

from __future__ import annotations

import re
import sys
from functools import cache

from sqlalchemy import String, literal
from sqlalchemy.engine import Dialect

from service.core.text_fold import words

_WORD = re.compile(r"\w+")
CONTEXT_WORDS = 8  # words kept before and after the first match
ELLIPSIS = "…"


def snippet(text: str, folded: str, query: str, context: int = CONTEXT_WORDS) -> str:
    """``text`` cut to ``context`` words either side of the word that is, in ``folded``
    (the folded ``text``), the first word of ``query``, with an ellipsis where it was cut;
    the whole text when it is short."""
    found = list(_WORD.finditer(text))
    if len(found) <= 2 * context + 1:
        return text
    wanted = set(words(query))
    first = next((i for i, word in enumerate(_WORD.findall(folded)) if word in wanted), 0)
    first = min(first, len(found) - 1)
    low = max(first - context, 0)
    high = min(first + context, len(found) - 1)
    start = found[low].start() if low > 0 else 0
    end = found[high].end() if high < len(found) - 1 else len(text)
    return (ELLIPSIS if start > 0 else "") + text[start:end] + (ELLIPSIS if end < len(text) else "")


@cache
def word_pattern() -> str:
    """Python's ``\\w+`` as a PostgreSQL regular expression: every run of code points that
    ``\\w`` matches, as a bracket range (none of them needs escaping inside brackets)."""
    every = "".join(chr(c) for c in range(1, sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    runs = (m.group() for m in _WORD.finditer(every))
    ranges = "".join(run[0] if len(run) == 1 else f"{run[0]}-{run[-1]}" for run in runs)
    return f"[{ranges}]+"


def snippet_sql(dialect: Dialect, text: str, folded: str, query: str) -> str:
    """``snippet`` as an SQL expression over the SQL expressions ``text`` and ``folded``."""

    def quoted(value: str) -> str:
        return str(
            literal(value, String()).compile(
                dialect=dialect, compile_kwargs={"literal_binds": True}
            )
        )

    if dialect.name != "postgresql":
        return f"sg_snippet({text}, {folded}, {quoted(query)})"
    pattern = quoted(word_pattern())
    wanted = ", ".join(quoted(word) for word in dict.fromkeys(words(query)))
    context = CONTEXT_WORDS
    first = (
        f"least(coalesce((SELECT min(sg_m.n) FROM regexp_matches({folded}, {pattern}, 'g') "
        f"WITH ORDINALITY AS sg_m(w, n) WHERE sg_m.w[1] IN ({wanted}))::int, 1), sg_c.n)"
    )
    bounds = (
        f"SELECT greatest(sg_f.f - {context}, 1) AS lo, least(sg_f.f + {context}, sg_f.n) AS hi, "
        f"sg_f.n FROM (SELECT {first} AS f, sg_c.n) AS sg_f"
    )
    cut = (
        f"SELECT CASE WHEN sg_b.lo > 1 THEN regexp_instr({text}, {pattern}, 1, sg_b.lo) - 1 "
        f"ELSE 0 END AS s, CASE WHEN sg_b.hi < sg_b.n "
        f"THEN regexp_instr({text}, {pattern}, 1, sg_b.hi, 1) - 1 "
        f"ELSE length({text}) END AS e FROM ({bounds}) AS sg_b"
    )
    excerpt = (
        f"SELECT CASE WHEN sg_x.s > 0 THEN '{ELLIPSIS}' ELSE '' END "
        f"|| substr({text}, sg_x.s + 1, sg_x.e - sg_x.s) "
        f"|| CASE WHEN sg_x.e < length({text}) THEN '{ELLIPSIS}' ELSE '' END FROM ({cut}) AS sg_x"
    )
    return (
        f"(SELECT CASE WHEN sg_c.n <= {2 * context + 1} THEN {text} ELSE ({excerpt}) END "
        f"FROM (SELECT regexp_count({text}, {pattern}) AS n) AS sg_c)"
    )
