"""Issue 15.6 and 15.8: the state directory is checked like the secrets file, an unusable
state is exit 3 with one line, an internal error exit 4 naming its log, never a traceback."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import inventory_copy

from netrawat.cli.main import run as cli
from netrawat.exitcodes import ExitCode
from netrawat.fleet import SCRATCH_PREFIX, remove_stale_scratch
from netrawat.state import StateDir, write_owner_only
from netrawat_lab.handle import Lab

OTHER_UID = 65534  # nobody
AS_ROOT = os.geteuid() == 0


@pytest.fixture
def inventory(lab: Lab, tmp_path: Path) -> Path:
    return inventory_copy(lab, tmp_path / "inventory", 2)


def _backup(
    capsys: pytest.CaptureFixture[str], inventory: Path, state: Path, *extra: str
) -> tuple[int, str]:
    capsys.readouterr()
    code = cli(
        [
            "backup",
            "--inventory",
            str(inventory),
            "--state",
            str(state),
            "--host",
            "RTR-DINKES",
            "--trust-new-hosts",
            *extra,
        ]
    )
    return code, capsys.readouterr().err


def _one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith("pinned ")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.lab
def test_a_state_dir_others_may_write_is_refused(
    inventory: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    state.chmod(0o777)
    code, err = _backup(capsys, inventory, state)
    assert code == ExitCode.CANNOT_RUN
    assert "writable by group or others" in _one_error_line(err)
    assert not (state / "configs").exists()


@pytest.mark.lab
@pytest.mark.skipif(not AS_ROOT, reason="giving a file to another user needs root")
@pytest.mark.parametrize("planted", ["", "known_hosts"])
def test_a_state_dir_or_known_hosts_of_another_user_is_refused(
    inventory: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], planted: str
) -> None:
    state = StateDir.resolve(tmp_path / "state")
    target = state.root / planted if planted else state.root
    if planted:
        target.write_text("")
        target.chmod(0o600)
    os.chown(target, OTHER_UID, OTHER_UID)
    code, err = _backup(capsys, inventory, state.root)
    assert code == ExitCode.CANNOT_RUN
    assert "belongs to another user" in _one_error_line(err)


@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_state_option_is_refused(
    value: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    capsys.readouterr()
    code = cli(["backup", "--inventory", str(tmp_path), "--state", value])
    assert code == ExitCode.BAD_INPUT
    assert "state directory is empty" in capsys.readouterr().err


def test_stale_scratch_directories_of_dead_runs_are_removed(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    stale = tmp_path / f"{SCRATCH_PREFIX}{dead.stdout.strip()}-abc"
    old_style = tmp_path / f"{SCRATCH_PREFIX}x1y2z3"
    alive = tmp_path / f"{SCRATCH_PREFIX}{os.getpid()}-def"
    for path in (stale, old_style, alive):
        path.mkdir()
        (path / "host-0").write_text("")
    assert sorted(remove_stale_scratch(tmp_path)) == sorted([stale, old_style])
    assert alive.is_dir()


def test_owner_only_writes_never_follow_a_planted_link(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep")
    target = tmp_path / "report.json"
    target.symlink_to(victim)
    write_owner_only(target, "{}")
    assert victim.read_text() == "keep"
    assert not target.is_symlink() and target.stat().st_mode & 0o777 == 0o600


@pytest.mark.lab
def test_a_damaged_recap_database_is_exit_3_with_a_hint(
    inventory: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = StateDir.resolve(tmp_path / "state")
    state.recap_db.write_bytes(b"this is no sqlite database, only damage " * 100)
    code, err = _backup(capsys, inventory, state.root)
    assert code == ExitCode.CANNOT_RUN
    line = _one_error_line(err)
    assert "recap database" in line and "move it aside" in line
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(state.recap_db).execute("select 1 from sqlite_master").fetchall()


@pytest.mark.lab
def test_an_internal_error_is_one_line_naming_its_log_and_exit_4(
    inventory: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import netrawat.playbooks.backup as playbook

    def broken(*_args: object, **_kwargs: object) -> object:
        raise RuntimeError("a bug for the test")

    monkeypatch.setattr(playbook, "run_backup", broken)
    code, err = _backup(capsys, inventory, tmp_path / "state")
    assert code == ExitCode.INTERNAL_ERROR == 4
    line = _one_error_line(err)
    assert "internal error: RuntimeError: a bug for the test" in line
    log = Path(line.split("the traceback is in ")[1].split(";")[0])
    assert "Traceback" in log.read_text() and log.stat().st_mode & 0o777 == 0o600


@pytest.mark.lab
def test_a_locked_recap_never_blocks_the_backup_itself(
    inventory: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 15.9: the backup commits; the recap waits briefly, then the run says it could
    not record (exit 1), one note, no traceback."""
    from netrawat.configs.repo import ConfigRepo
    from netrawat.recap import open_store

    state = StateDir.resolve(tmp_path / "state")
    open_store(state).close()  # the schema exists; another writer now holds the lock
    holder = sqlite3.connect(state.recap_db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        code, err = _backup(capsys, inventory, state.root)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == ExitCode.HOSTS_FAILED and "Traceback" not in err
    assert "the backup is stored, but the recap could not record the run" in " ".join(err.split())
    assert ConfigRepo(state.configs).read_all()  # the backup is there


@pytest.mark.lab
def test_a_device_that_never_answers_fails_alone_in_one_line(
    clean_lab: Lab, tmp_path: Path
) -> None:
    """Issue 15.6: a device accepting TCP and never sending its SSH banner is a per-host
    failure (exit 1), one line in the report; paramiko's traceback goes to the run log."""
    import yaml

    inventory = inventory_copy(clean_lab, tmp_path / "inventory", 6)
    defaults = yaml.safe_load((inventory / "defaults.yaml").read_text())
    defaults["data"]["timeouts"]["banner"] = 1
    (inventory / "defaults.yaml").write_text(yaml.safe_dump(defaults))
    state = tmp_path / "state"
    args = ["--inventory", str(inventory), "--state", str(state), "--host", "AP-DINKES-1"]
    with clean_lab.faulted("AP-DINKES-1", "unreachable", "drop"):
        done = subprocess.run(
            [sys.executable, "-m", "netrawat", "backup", *args],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "COLUMNS": "200"},
        )
    assert done.returncode == ExitCode.HOSTS_FAILED, done.stderr
    assert "Traceback" not in done.stderr and "Exception (client)" not in done.stderr
    mentions = [line for line in done.stderr.splitlines() if "protocol banner" in line]
    assert len(mentions) == 1 and mentions[0].startswith("AP-DINKES-1"), done.stderr
    logs = "".join(p.read_text() for p in (state / "logs").glob("*.log"))
    assert "Error reading SSH protocol banner" in logs
