"""JSON dataset: every entity the dataset filter selects, in a stable order, exact and lossless.

The layout is fixed by ``dataset.schema.json`` (JSON Schema 2020-12, served at
``/exports/json/schema``). One record per line, keys in a fixed order, rows in id order:
two exports of the same data are byte-identical. Money is a string of digits (exact in any
JSON parser), decimals are canonical strings, timestamps are UTC with microseconds.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from exporters.protocol import ByteSink
from service.core.dataset_filter import DatasetFilter, filter_to_params
from service.core.dataset_reader import ENTITIES, DatasetReader, Record
from service.core.decimals import decimal_text

FORMAT = "stratagraph.dataset"
VERSION = 1
MONEY_FIELDS = frozenset({"amount"})


def encode_value(key: str, value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, int) and not isinstance(value, bool) and key in MONEY_FIELDS:
        return str(value)
    if isinstance(value, list):
        return [encode_record(v) if isinstance(v, dict) else v for v in value]
    return value


def encode_record(record: Record) -> dict[str, Any]:
    return {key: encode_value(key, value) for key, value in record.items()}


def dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def filter_document(dataset_filter: DatasetFilter) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for parameter, value in filter_to_params(dataset_filter):
        grouped.setdefault(parameter, []).append(value)
    return grouped


class JsonExporter:
    name = "json"
    media_type = "application/json"
    file_extension = "json"
    title = "JSON dataset"
    description = (
        "Every record of the selection with citations, aliases and links, "
        "described by a published JSON Schema; re-importable with stratagraph import."
    )

    async def export(
        self, dataset: DatasetReader, dataset_filter: DatasetFilter, out: ByteSink
    ) -> None:
        out.write(b'{"format":' + dumps(FORMAT) + b',"version":' + dumps(VERSION))
        out.write(b',"selection":' + dumps(filter_document(dataset_filter)))
        for spec in ENTITIES:
            out.write(b",\n" + dumps(spec.name) + b":[")
            separator = b"\n"
            async for batch in dataset.batches(spec.name, dataset_filter):
                out.write(separator + b",\n".join(dumps(encode_record(record)) for record in batch))
                separator = b",\n"
            out.write(b"]" if separator == b"\n" else b"\n]")
        out.write(b"}\n")
        out.flush()
