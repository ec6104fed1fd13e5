"""Lay out the sources as the wheel installs them, for tools that read files, not imports.

``tasks/`` and ``playbooks/`` are installed as ``netrawat.tasks`` and ``netrawat.playbooks``
(setup.py's package-dir mapping). mypy and import-linter find modules by walking directories,
so they are run on this tree: hard links (or copies across file systems) of the checkout's
files, rebuilt on every call.

    python tools/layout_tree.py build/layout     # prints the tree's path
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLACES = {
    "netrawat": "netrawat",
    "netrawat_lab": "netrawat_lab",
    "tasks": "netrawat/tasks",
    "playbooks": "netrawat/playbooks",
}


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def build(target: Path) -> Path:
    """Rebuild ``target`` as the installed layout of the Python sources; its path."""
    shutil.rmtree(target, ignore_errors=True)
    for source, place in PLACES.items():
        shutil.copytree(
            ROOT / source,
            target / place,
            copy_function=_link_or_copy,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        )
    return target


if __name__ == "__main__":
    print(build(Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "build" / "layout").resolve()))
