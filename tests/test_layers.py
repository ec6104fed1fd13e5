"""The layers are contracts: import-linter checks them on the sources laid out as installed."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

spec = importlib.util.spec_from_file_location("layout_tree", ROOT / "tools" / "layout_tree.py")
assert spec is not None and spec.loader is not None
layout_tree = importlib.util.module_from_spec(spec)
spec.loader.exec_module(layout_tree)


def test_every_import_contract_is_kept(tmp_path: Path) -> None:
    linter = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if linter is None:
        pytest.skip("import-linter is not installed (make venv installs it)")
    tree = layout_tree.build(tmp_path / "layout")
    done = subprocess.run(
        [linter, "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": str(Path(sys.executable).parent)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert "0 broken" in done.stdout


def test_the_lab_imports_nothing_from_the_product() -> None:
    for path in (ROOT / "netrawat_lab").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "from netrawat." not in text and "import netrawat\n" not in text, path
