"""One module per ``stratagraph`` subcommand; each exposes ``register(subparsers)``."""

from __future__ import annotations

from types import ModuleType

from service.commands import export, exporters, import_dataset, migrate, seed, serve

ALL_COMMANDS: tuple[ModuleType, ...] = (serve, migrate, seed, export, exporters, import_dataset)
