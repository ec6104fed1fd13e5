"""A state directory netrawat 0.1 left behind keeps working after an upgrade.

``tests/data/state-0.1.tar.gz`` was written by netrawat 0.1 itself (commit 3529bdd) against the
rehearsal lab: a request, ``backup --keep-private`` (plain private copies, one commit in the
config repository), a health run and a drift diff. Its private copies carry throwaway values
in place of the lab's generated secrets; its ``known_hosts`` and logs were left out (the lab's
keys differ per session). The upgrade must lose nothing: the config history goes on from the
old commit, the old plain private copies become their own first commit before anything newer,
the recap keeps the old runs.
"""

from __future__ import annotations

import subprocess
import tarfile
from pathlib import Path

import pytest
from helpers import fleet_args, inventory_copy, run_json

from netrawat.configs.repo import ConfigRepo
from netrawat.exitcodes import ExitCode
from netrawat.recap import open_store
from netrawat.recap.migrate import HEAD, current_revision
from netrawat.recap.query import load_runs
from netrawat.state import StateDir
from netrawat_lab.handle import Lab

pytestmark = pytest.mark.lab

OLD_STATE = Path(__file__).parent / "data" / "state-0.1.tar.gz"
OLD_HEAD = "fcd2ccdb3645ab7fffa2608b7d96134fa6ec2854"
PRIVATE = "dinkes/RTR-DINKES.rsc"


def _old_state(root: Path) -> StateDir:
    root.mkdir(mode=0o700)
    with tarfile.open(OLD_STATE) as archive:
        archive.extractall(root, filter="tar")
    root.chmod(0o700)
    return StateDir(root)


def test_a_netrawat_0_1_state_upgrades_and_loses_nothing(
    clean_lab: Lab, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = _old_state(tmp_path / "state")
    old_private = (state.private / PRIVATE).read_text(encoding="utf-8")
    repo = ConfigRepo(state.configs)
    assert repo.head() == OLD_HEAD
    inventory = inventory_copy(clean_lab, tmp_path / "inventory", 20)
    args = fleet_args(inventory, state.root)

    # the fleet that wrote the fixture may have been seeded with more lines than today's
    # rehearsal lab: the shrink check is not what this test is about
    code, report, err = run_json(capsys, "backup", "--keep-private", "--min-size-ratio", "0", *args)
    assert code == ExitCode.OK, (err, report)
    assert repo.head() != OLD_HEAD or report["commit"] is None
    subprocess.run(
        ["git", "-C", str(state.configs), "merge-base", "--is-ancestor", OLD_HEAD, "HEAD"],
        check=True,
    )
    subprocess.run(["git", "-C", str(state.configs), "fsck", "--strict"], check=True)

    private = ConfigRepo(state.private)
    log = private.git("log", "--reverse", "--format=%H %s").splitlines()
    first = log[0].split()[0]
    assert "plain files by netrawat 0.1" in log[0]
    assert private.git("show", f"{first}:{PRIVATE}") == old_private.rstrip("\n") or (
        private.git("show", f"{first}:{PRIVATE}").rstrip("\n") == old_private.rstrip("\n")
    )

    code, health, err = run_json(capsys, "health", *args)
    assert code in (ExitCode.OK, ExitCode.HOSTS_FAILED), err
    assert health["devices"]
    code, diff, err = run_json(capsys, "diff", *args)
    assert code == ExitCode.OK, (err, diff)

    store = open_store(state)
    try:
        with store.begin() as conn:
            assert current_revision(conn) == HEAD
            playbooks = [r.playbook for r in load_runs(conn)]
    finally:
        store.close()
    assert playbooks.count("backup") == 2 and playbooks.count("health") == 2
    assert playbooks.count("diff") == 2
