"""Names instead of slugs in the workbook: a person reads "Artificial intelligence", not
``ai``. The slugs stay where a sheet lists the vocabulary or laws themselves (their Slug
column), so a name can always be traced back to its filter value."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from service.core.dataset_filter import DatasetFilter
from service.core.dataset_reader import DatasetReader, Record

# entity -> {field holding slugs of another entity: that entity}
NAMED_FIELDS: Mapping[str, Mapping[str, str]] = {
    "tasks": {
        "technologies": "technologies",
        "regions": "regions",
        "organisations": "organisations",
        "laws": "laws",
    },
    "law_groups": {"members": "laws"},
    "strategies": {"plan": "plans"},
    "plans": {"document": "documents"},
}
_NAME_FIELD = {"laws": "title", "plans": "title", "documents": "title"}


@dataclass
class Names:
    """slug -> name, per entity."""

    by_entity: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    async def read(cls, dataset: DatasetReader, dataset_filter: DatasetFilter) -> Names:
        names = cls()
        wanted = {entity for fields in NAMED_FIELDS.values() for entity in fields.values()}
        for entity in sorted(wanted):
            label = _NAME_FIELD.get(entity, "name")
            names.by_entity[entity] = {
                record["slug"]: record[label]
                async for record in dataset.records(entity, dataset_filter)
            }
        return names

    def named(self, entity: str, record: Record) -> Record:
        """``record`` with the slugs of its named fields replaced by names."""
        fields = NAMED_FIELDS.get(entity)
        if not fields:
            return record
        copy = dict(record)
        for name, other in fields.items():
            value = copy.get(name)
            lookup = self.by_entity.get(other, {})
            if isinstance(value, list):
                copy[name] = [lookup.get(slug, slug) for slug in value]
            elif isinstance(value, str):
                copy[name] = lookup.get(value, value)
        return copy
