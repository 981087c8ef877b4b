"""Find exporters through the ``stratagraph.exporters`` entry points (built-ins included).

A plugin that cannot be used (its module fails to import, the named attribute is missing,
the object is not an exporter, the name is taken) is logged, listed under ``broken`` with
the reason, and skipped: the other formats keep working.
"""

from __future__ import annotations

import inspect
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points

from exporters.protocol import ENTRY_POINT_GROUP, Exporter

logger = logging.getLogger(__name__)

NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
TEXT_ATTRIBUTES = ("name", "media_type", "file_extension", "title", "description")


class PluginError(Exception):
    """Why an entry point does not give a usable exporter."""


@dataclass(frozen=True)
class Registry:
    """Usable exporters by name (in name order) and broken plugins with the reason."""

    exporters: Mapping[str, Exporter] = field(default_factory=dict)
    broken: Mapping[str, str] = field(default_factory=dict)

    def get(self, name: str) -> Exporter | None:
        return self.exporters.get(name)

    @property
    def names(self) -> list[str]:
        return list(self.exporters)

    def __iter__(self) -> Iterator[Exporter]:
        return iter(self.exporters.values())


def load_registry(points: Iterable[EntryPoint] | None = None) -> Registry:
    """Load every entry point of the group (or the given ones). Never raises for a plugin."""
    if points is None:
        points = entry_points(group=ENTRY_POINT_GROUP)
    found: dict[str, Exporter] = {}
    broken: dict[str, str] = {}
    for point in sorted(points, key=lambda p: (p.name, p.value)):
        try:
            exporter = _load(point)
            if point.name in found:
                raise PluginError(f"the name {point.name!r} is already taken by another plugin")
        except PluginError as exc:
            reason = str(exc)
        except Exception as exc:  # a plugin's import may raise anything; never let it through
            reason = f"failed to load {point.value!r}: {type(exc).__name__}: {exc}"
        else:
            found[point.name] = exporter
            continue
        logger.error("exporter plugin %r is broken and was skipped: %s", point.name, reason)
        broken[point.name] = reason
    return Registry(dict(sorted(found.items())), broken)


def _load(point: EntryPoint) -> Exporter:
    try:
        loaded = point.load()
    except (ImportError, AttributeError) as exc:
        raise PluginError(f"cannot import {point.value!r}: {exc}") from exc
    candidate = loaded() if inspect.isclass(loaded) else loaded
    return check_exporter(point.name, candidate)


def check_exporter(name: str, candidate: object) -> Exporter:
    """Return ``candidate`` if it satisfies the ``Exporter`` protocol, else raise PluginError."""
    missing = [attr for attr in (*TEXT_ATTRIBUTES, "export") if not hasattr(candidate, attr)]
    if missing:
        raise PluginError(
            f"{type(candidate).__name__} is not an exporter: missing {', '.join(missing)}"
        )
    for attr in TEXT_ATTRIBUTES:
        value = getattr(candidate, attr)
        if not isinstance(value, str) or not value.strip():
            raise PluginError(f"{attr} must be a non-empty string, not {value!r}")
    if not inspect.iscoroutinefunction(candidate.export):  # type: ignore[attr-defined]
        raise PluginError("export must be a coroutine function (async def export(...))")
    exporter_name = candidate.name  # type: ignore[attr-defined]
    if exporter_name != name:
        raise PluginError(f"entry point {name!r} names an exporter called {exporter_name!r}")
    if not NAME.fullmatch(name):
        raise PluginError(f"{name!r} is not a valid name (lower-case letters, digits, - or _)")
    if not isinstance(candidate, Exporter):
        raise PluginError(f"{type(candidate).__name__} does not implement the Exporter protocol")
    return candidate
