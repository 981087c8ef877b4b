"""Reading curated YAML: mappings remember their line, and duplicate keys are errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from seed.errors import SeedError


class LineDict(dict[str, Any]):
    """A YAML mapping that knows the (1-based) line it starts on."""

    line: int = 0


class _Loader(yaml.SafeLoader):
    pass


# Dates stay text here so the parser can reject a bad one (2023-02-30) with file, record and
# field, instead of PyYAML failing mid-construction with a bare ValueError.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            # PyYAML would silently keep the last value; a curator almost never means that.
            raise SeedError(
                [f"{loader.name}:{key_node.start_mark.line + 1}: duplicate key {key!r} in mapping"]
            )
        result[key] = loader.construct_object(value_node, deep=True)
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path) -> Any:
    """Parse one YAML file safely; syntax errors become a SeedError naming file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SeedError([f"{path}: cannot read: {exc}"]) from exc
    loader = _Loader(text)
    loader.name = str(path)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        raise SeedError([f"{path}{line}: YAML syntax error: {exc.problem}"]) from exc
    except RecursionError:
        # PyYAML composes recursively: a few thousand nested levels exhaust the stack.
        raise SeedError(
            [f"{path}: nested too deeply to read (curated files nest a few levels)"]
        ) from None
    finally:
        loader.dispose()
