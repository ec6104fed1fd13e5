"""Reading inventory YAML files: strict (duplicate keys refused); errors name file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ruamel.yaml
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from netrawat.errors import InventoryError


def load_mapping(path: Path, *, required: bool) -> dict[str, Any]:
    """The top-level mapping of a YAML file; ``{}`` for an absent optional or empty file.

    Duplicate keys (two hosts with one name) are refused, not silently merged as PyYAML does.
    """
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
        data = ruamel.yaml.YAML(typ="safe").load(text)
    except MarkedYAMLError as exc:
        raise InventoryError(_describe(path, exc), "fix the YAML syntax at that line") from exc
    except YAMLError as exc:
        raise InventoryError(f"{path}: malformed YAML: {exc}", "fix the YAML syntax") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InventoryError(
            f"{path}: top level is a {type(data).__name__}, expected a mapping of names",
            "see the Inventory model section of the README",
        )
    return data


def _describe(path: Path, exc: MarkedYAMLError) -> str:
    mark = exc.problem_mark or exc.context_mark
    where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
    problem = exc.problem or exc.context or "malformed YAML"
    if "duplicate key" in problem:
        return f"{where}: duplicate name: {problem}"
    return f"{where}: malformed YAML: {problem}"
