"""Issue 15.1 on the lab over real SSH: a factory reset never replaces a good backup nor its
private copy; the quarantine is sanitized; ``--accept-reset`` records a known reset."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import fleet_args, inventory_copy, run_json

from netrawat.configs.repo import ConfigRepo
from netrawat.exitcodes import ExitCode
from netrawat.state import StateDir
from netrawat_lab.handle import Lab

pytestmark = pytest.mark.lab

HOSTS = ("CR-DINKES", "AP-DINKES-1")


def _backup(
    capsys: pytest.CaptureFixture[str], inventory: Path, state: StateDir, *extra: str
) -> tuple[int, dict[str, dict[str, object]]]:
    selection = [word for host in HOSTS for word in ("--host", host)]
    code, report, _ = run_json(
        capsys, "backup", *fleet_args(inventory, state.root), *selection, *extra
    )
    return code, {h["host"]: h for h in report["hosts"]}


def test_a_reset_keeps_the_good_backup_and_private_copy_until_accepted(
    clean_lab: Lab, tmp_path: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    inventory = inventory_copy(clean_lab, tmp_path / "inventory", 4)
    code, _ = _backup(capsys, inventory, state, "--keep-private")
    assert code == ExitCode.OK
    repo, private = ConfigRepo(state.configs), ConfigRepo(state.private)
    good, good_private = repo.read_all(), private.read_all()
    secrets = {s.password for s in clean_lab.specs} | {s.enable_secret for s in clean_lab.specs}
    secrets.discard("")
    with (
        clean_lab.faulted("CR-DINKES", "config-reset"),
        clean_lab.faulted("AP-DINKES-1", "config-reset"),
    ):
        for ratio in ("0.6", "0"):  # at the default ratio, and with the size checks off
            code, hosts = _backup(
                capsys, inventory, state, "--keep-private", "--min-size-ratio", ratio
            )
            assert code == ExitCode.HOSTS_FAILED
            for name in HOSTS:
                assert hosts[name]["status"] == "failed"
                assert hosts[name]["check"] in {"size", "shrink", "identity", "factory"}
                quarantined = Path(str(hosts[name]["quarantine"]))
                assert not any(s in quarantined.read_text() for s in secrets)
            assert repo.read_all() == good and private.read_all() == good_private
        code, hosts = _backup(
            capsys, inventory, state, "--keep-private", *(f"--accept-reset={h}" for h in HOSTS)
        )
    assert code == ExitCode.OK
    assert {h["status"] for h in hosts.values()} == {"changed"}
    assert all(h["accepted_reset"] for h in hosts.values())
    assert "Accepted reset: AP-DINKES-1, CR-DINKES" in repo.git("log", "-1", "--format=%B")
    # the good private copies stay in the private repository's history, owner-only
    assert private.read_all() != good_private
    assert len(private.git("log", "--format=%H").split()) == 2
    for path, text in good_private.items():
        assert private.git("show", f"HEAD~1:{path}") == text
    assert state.private.stat().st_mode & 0o777 == 0o700
    objects = [p for p in (state.private / ".git" / "objects").rglob("*") if p.is_file()]
    assert objects and all(p.stat().st_mode & 0o077 == 0 for p in objects)
