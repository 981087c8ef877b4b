"""Filters checked against the data: a slug or code that names no record is BAD_USER_INPUT."""

from __future__ import annotations

from typing import Any

from strawberry.types import Info

from schema.errors import BadUserInput
from schema.inputs import filter_argument
from schema.loader_factories import context
from service.core.dataset_filter import DatasetFilter, DatasetFilterError
from service.core.known_keys import check_known


async def known(info: Info[Any, Any], selection: DatasetFilter) -> DatasetFilter:
    """``selection``, once every slug and code in it names a record."""
    try:
        await check_known(context(info).reader.rows, selection)
    except DatasetFilterError as exc:
        raise BadUserInput(filter_argument(exc.parameter), exc.problem) from None
    return selection
