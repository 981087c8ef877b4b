"""Persisted (trusted) documents: front-end teams ship document ids, not query text.

The manifest is a folder of ``*.graphql`` files committed with the app; each file's id is
``sha256:<hex>`` of its exact UTF-8 text, computed at start-up, so every worker agrees
without shared state. A request names a document either way clients do it:

- ``documentId: "sha256:<hex>"`` (GraphQL-over-HTTP persisted documents), or
- ``extensions.persistedQuery = {version: 1, sha256Hash: "<hex>"}`` (Apollo APQ). With APQ the
  client may also send the text; it runs when its hash matches, unless only persisted
  documents are allowed (then the text must be in the manifest).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphql import GraphQLError

DEFAULT_DIRECTORY = Path(__file__).resolve().parent / "persisted"

NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
REQUIRED = "PERSISTED_QUERY_REQUIRED"
MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"
UNSUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"

_HEX = re.compile(r"[0-9a-f]{64}")


def document_id(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PersistedDocuments:
    """The trusted documents by id, and whether only they may run."""

    documents: Mapping[str, str]
    only: bool = False

    @classmethod
    def load(cls, directory: Path | None = None, *, only: bool = False) -> PersistedDocuments:
        folder = directory or DEFAULT_DIRECTORY
        documents: dict[str, str] = {}
        if folder.is_dir():
            for path in sorted(folder.glob("*.graphql")):
                text = path.read_text(encoding="utf-8")
                documents[document_id(text)] = text
        return cls(documents, only)

    def resolve(
        self, query: str | None, doc_id: str | None, extensions: Mapping[str, Any] | None
    ) -> str | GraphQLError | None:
        """The source text to run; an error the client can act on; None when none was sent."""
        apq = (extensions or {}).get("persistedQuery")
        if doc_id is None and apq is not None:
            if not isinstance(apq, Mapping) or apq.get("version") != 1:
                return _error(
                    "extensions.persistedQuery must be {version: 1, sha256Hash: ...}", UNSUPPORTED
                )
            digest = apq.get("sha256Hash")
            if not isinstance(digest, str) or not _HEX.fullmatch(digest):
                return _error(
                    "extensions.persistedQuery.sha256Hash must be 64 lowercase hex digits",
                    NOT_FOUND,
                )
            doc_id = "sha256:" + digest
        if doc_id is None:
            if query is not None and self.only and document_id(query) not in self.documents:
                return _error(
                    "This server runs persisted documents only; send documentId "
                    "(sha256:<hex> of a document in the manifest) instead of query",
                    REQUIRED,
                )
            return query
        known = self.documents.get(doc_id)
        if known is not None:
            return known
        if query is not None and not self.only:
            if document_id(query) != doc_id:
                return _error(f"The query text does not hash to {doc_id}", MISMATCH)
            return query
        return _error(f"No persisted document has the id {doc_id!r}", NOT_FOUND)


def _error(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})
