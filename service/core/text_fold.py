"""Unicode-correct text matching: one normal form for stored text and for queries."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """NFC, full case folding (ß→ss, final ς→σ, İ→i̇), NFC again: composed and decomposed
    accents, upper and lower case compare equal."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())


def words(text: str) -> list[str]:
    """The folded words of ``text`` (letters, digits, underscore), in order."""
    return _WORD.findall(fold(text))
