"""`netrawat demo` (what `make demo` runs) end to end on its own lab: every step behaves as
expected, the notification reaches the stand-in channel, and nothing is left running."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from netrawat.cli.main import COMMAND_MODULES
from netrawat.demo.script import MARKER, prepare_dir, run_demo
from netrawat.errors import InputError
from netrawat.exitcodes import ExitCode
from netrawat_lab.control import running_pid

pytestmark = pytest.mark.lab


def test_demo_runs_every_step(tmp_path: Path) -> None:
    out = io.StringIO()
    root = tmp_path / "demo"
    code = run_demo(root, Console(file=out, width=120))
    text = out.getvalue()
    assert code == ExitCode.OK, text
    assert "every step as expected" in text and "UNEXPECTED" not in text
    assert "$ netrawat preventive --trust-new-hosts" in text
    assert "[netrawat] Pemeliharaan preventif PM-" in text  # the channel's copy
    assert "2 perangkat perlu lapor Kabid" in text
    assert "# Buku Laporan Pemeliharaan Komponen Jaringan" in text or "recap" in text
    if "repair" in COMMAND_MODULES:
        assert "$ netrawat repair restore_dns" in text and "--apply" in text
    else:
        assert "not yet in this checkout" in text
    assert "$ netrawat audit --opd dinkes" in text  # the generated fleet's baseline gaps
    assert "$ netrawat repair audit_service_off --host RTR-DINKES --var service=telnet" in text
    assert running_pid(root / "lab") is None
    assert (root / MARKER).is_file()


def test_demo_refuses_a_directory_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="not a netrawat demo directory"):
        prepare_dir(tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"
