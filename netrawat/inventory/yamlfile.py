"""Reading inventory YAML files: strict (duplicate keys refused); errors name file and line.

PyYAML with libyaml (fast on fleets of thousands of hosts), plus the duplicate-key check
PyYAML lacks: two hosts with one name would otherwise be merged silently.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode

from netrawat.errors import InventoryError

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """Safe loader that refuses a key repeated in one mapping."""

    def construct_mapping(self, node: Node, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, MappingNode):
            seen: dict[str, int] = {}
            for key_node, _ in node.value:
                if not isinstance(key_node, ScalarNode):
                    continue
                key, line = key_node.value, key_node.start_mark.line + 1
                if key in seen:
                    raise ConstructorError(
                        None,
                        None,
                        f"found duplicate key {key!r} (first at line {seen[key]})",
                        key_node.start_mark,
                    )
                seen[key] = line
        return super().construct_mapping(node, deep=deep)


def load_mapping(path: Path, *, required: bool) -> dict[str, Any]:
    """The top-level mapping of a YAML file; ``{}`` for an absent optional or empty file."""
    if not path.is_file():
        if required:
            raise InventoryError(
                f"{path}: file not found",
                "pass --inventory DIR (or set NETRAWAT_INVENTORY) to a directory with hosts.yaml",
            )
        return {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InventoryError(f"{path}: cannot read: {exc}", "check the file") from exc
    try:
        data = yaml.load(text, Loader=StrictLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        raise InventoryError(_describe(path, exc), "fix the YAML at that line") from exc
    except yaml.YAMLError as exc:
        raise InventoryError(f"{path}: malformed YAML: {exc}", "fix the YAML syntax") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InventoryError(
            f"{path}: top level is a {type(data).__name__}, expected a mapping of names",
            "see the Inventory model section of the README",
        )
    return data


def _describe(path: Path, exc: yaml.MarkedYAMLError) -> str:
    mark = exc.problem_mark or exc.context_mark
    where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
    problem = exc.problem or exc.context or "malformed YAML"
    if "duplicate key" in problem:
        return f"{where}: duplicate name: {problem}"
    return f"{where}: malformed YAML: {problem}"
