"""Citations checked against the source texts: every quote must occur in its document verbatim.

The texts are not shipped (they stay in ``../shared/seeds`` next to the checkout); when they
are there, or ``STRATAGRAPH_SEED_TEXTS`` names their folder, every load checks every quote.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from seed.records import Cite, DocumentRecord

TEXTS_SETTING = "STRATAGRAPH_SEED_TEXTS"
_CHECKOUT = Path(__file__).resolve().parents[1]


def seed_texts_dir() -> Path | None:
    """``$STRATAGRAPH_SEED_TEXTS``, else the first ``shared/seeds`` above the checkout."""
    configured = os.environ.get(TEXTS_SETTING, "").strip()
    if configured:
        return Path(configured)
    for folder in _CHECKOUT.parents:
        candidate = folder / "shared" / "seeds"
        if candidate.is_dir():
            return candidate
    return None


def quote_problems(
    documents: Sequence[DocumentRecord], cites: Iterable[Cite], texts_dir: Path | None = None
) -> list[str]:
    """One problem per quote not found in its document's text (documents whose text is
    not available are not checked)."""
    folder = texts_dir if texts_dir is not None else seed_texts_dir()
    if folder is None:
        return []
    texts: dict[str, str] = {}
    for document in documents:
        if document.source_file is None:
            continue
        path = folder / document.source_file
        if path.is_file():
            texts[document.slug] = path.read_text(encoding="utf-8")
    problems = []
    for cite in cites:
        text = texts.get(cite.document)
        if text is not None and cite.quote not in text:
            problems.append(
                f"{cite.where}: field 'cite': the quote {_shown(cite.quote)} is not in the "
                f"text of document {cite.document} ({folder / _source(documents, cite)})"
            )
    return problems


def _source(documents: Sequence[DocumentRecord], cite: Cite) -> str:
    return next(d.source_file or "" for d in documents if d.slug == cite.document)


def _shown(quote: str) -> str:
    return repr(quote if len(quote) <= 80 else quote[:77] + "...")
