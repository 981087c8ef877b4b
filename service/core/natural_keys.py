"""The two forms of natural key: slugs (plans, laws, vocabularies) and codes (strategies, tasks).

One definition for every place that accepts a key — curated files, JSON imports, filters and
GraphQL arguments. Check with ``is_slug``/``is_code`` (a whole-string match: ``re.match`` with
``$`` would accept a key that ends in a newline).
"""

from __future__ import annotations

import re

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
SLUG_MAX_LENGTH = 100
CODE_MAX_LENGTH = 64

SLUG_RULE = "lower-case letters and digits in hyphen-separated words"
CODE_RULE = "a letter or digit, then letters, digits, '.', '_' or '-'"


def is_slug(value: str) -> bool:
    return SLUG.fullmatch(value) is not None


def is_code(value: str) -> bool:
    return CODE.fullmatch(value) is not None
