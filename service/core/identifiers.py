"""Natural keys: slugs (plans, vocabularies, laws, documents) and codes (strategies, tasks).

The patterns end with ``(?!\\n)$`` because a bare ``$`` also matches before a final newline
in Python (and so in jsonschema's ``pattern``), which let ``"ai\\n"`` pass as a slug; the
lookahead changes nothing for ECMA-262 readers of the published JSON Schema.
"""

from __future__ import annotations

import re

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*(?!\n)$"
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*(?!\n)$"
SLUG = re.compile(SLUG_PATTERN)
CODE = re.compile(CODE_PATTERN)


# Curated files keep to a narrower scheme than the stored rule (seed/README.md, "Codes and
# slugs"): upper-case letters and digits in hyphen-separated parts, e.g. DSK-I-2-1.
CURATED_CODE = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*")


def is_slug(value: str) -> bool:
    return SLUG.fullmatch(value) is not None


def is_code(value: str) -> bool:
    return CODE.fullmatch(value) is not None


def is_curated_code(value: str) -> bool:
    return CURATED_CODE.fullmatch(value) is not None
