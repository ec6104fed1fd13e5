"""The fault suite (issue 15): kill -9 at random points of backup, ``repair --apply`` and
preventive, and (marker ``chaos``, ``make chaos``) a full disk, a read-only state, a damaged
recap database and config repository, and every lab device fault. Each asserts nothing good
was lost (`faultsuite.Invariants`), ``git fsck`` clean, the recap readable, the documented
exit code and one line (no traceback).

``make test`` runs `KILLS` kills (three lanes in parallel, each on its own state directory);
``make chaos`` runs `CHAOS_KILLS` and the rest. The README states the figures.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from faultsuite import Invariants, git, kill_at_random, netrawat, one_line
from helpers import inventory_copy

from netrawat.exitcodes import ExitCode
from netrawat_lab.contract import DEVICE_FAULTS, SESSION_FAULTS, TRANSPORT_FAULTS
from netrawat_lab.handle import Lab

pytestmark = pytest.mark.lab

KILLS = int(os.environ.get("FS_KILLS", "30"))
"""kill -9 in ``make test`` (10 per lane)."""
CHAOS_KILLS = 90
NUMBER = "777/FAULT/XII/2026"
ROUTER = "RTR-DINKES"
HOSTS = ["--host", ROUTER, "--host", "CR-DINKES"]
"""A RouterOS and an IOS router: every kill lands in a short run (sized for ``make test``)."""


def _lanes(inventory: Path, root: Path) -> dict[str, tuple[Path, list[str], set[int]]]:
    """Lane name -> (state dir, command line, exit codes a finished run may give)."""
    common = ["--inventory", str(inventory), *HOSTS]
    lanes = {
        "backup": (["backup", "--keep-private"], {0, 1}),
        "repair": (
            ["repair", "restore_dns", "--apply", "--request", NUMBER, "--open"],
            {0, 1},
        ),
        "preventive": (["preventive", "--no-notify"], {0, 1}),
    }
    out = {}
    for name, (args, codes) in lanes.items():
        state = root / name
        out[name] = (state, [*args, *common, "--state", str(state)], codes)
    return out


def _prepare(lab: Lab, inventory: Path, state: Path) -> None:
    """A first good backup, so a fault has something to lose."""
    done = netrawat("backup", "--inventory", str(inventory), "--state", str(state),
                    "--trust-new-hosts", "--keep-private", *HOSTS)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert one_line(done.stderr)


def _lane(
    lab: Lab, name: str, state: Path, args: list[str], codes: set[int], kills: int, seed: int
) -> int:
    """Kill ``args`` ``kills`` times at random moments, checking the invariants after each;
    then one run to the end. Returns the kills made."""
    rng = random.Random(seed)
    invariants = Invariants(state)
    invariants.snapshot()
    started = time.monotonic()
    full = netrawat(*args)  # how long a whole run takes: kills land anywhere in it
    assert full.returncode in codes, (name, full.returncode, full.stderr)
    longest = max(0.5, (time.monotonic() - started) * 0.9)
    invariants.check()
    made = attempts = 0
    while made < kills and attempts < kills * 4:
        attempts += 1
        if name == "repair":
            lab.fault(ROUTER, "wrong-dns")  # something to repair (and to back up) each time
        made += kill_at_random(args, longest, rng)
        invariants.check()
    final = netrawat(*args)
    assert final.returncode in codes, (name, final.returncode, final.stderr)
    assert one_line(final.stderr), final.stderr
    invariants.check()
    assert not list(state.glob(".known_hosts-*")), "stale scratch directories left"
    return made


def _kill_suite(private_lab: Callable[..., Lab], tmp_path: Path, kills: int) -> None:
    lab = private_lab()
    inventory = inventory_copy(lab, tmp_path / "inventory", 4)
    lanes = _lanes(inventory, tmp_path)
    for state, _, _ in lanes.values():
        _prepare(lab, inventory, state)
    per_lane = -(-kills // len(lanes))
    with ThreadPoolExecutor(len(lanes)) as pool:
        futures = [
            pool.submit(_lane, lab, name, state, args, codes, per_lane, seed)
            for seed, (name, (state, args, codes)) in enumerate(lanes.items())
        ]
        made = sum(f.result() for f in futures)
    assert made >= kills


def test_kill_9_at_random_points_loses_nothing(
    private_lab: Callable[..., Lab], tmp_path: Path
) -> None:
    _kill_suite(private_lab, tmp_path, KILLS)


@pytest.mark.chaos
def test_chaos_many_kills(private_lab: Callable[..., Lab], tmp_path: Path) -> None:
    _kill_suite(private_lab, tmp_path, CHAOS_KILLS)


# -- the longer faults (make chaos) -----------------------------------------------------------


def _mount_namespace_ok() -> str:
    """Why a private mount namespace cannot be used here ("" when it can)."""
    if not shutil.which("unshare"):
        return "unshare is not installed"
    probe = subprocess.run(
        ["unshare", "--mount", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
        capture_output=True,
        text=True,
        check=False,
    )
    return "" if probe.returncode == 0 else f"no private mounts ({probe.stderr.strip()[:80]})"


WHY_NO_MOUNTS = _mount_namespace_ok() if sys.platform == "linux" else "Linux only"

IN_NAMESPACE = r"""
set -e
state="$1"; mode="$2"; shift 2
copy=$(mktemp -d)
cp -a "$state/." "$copy/"
mount -t tmpfs -o size=4m,mode=0700 tmpfs "$state"
cp -a "$copy/." "$state/"
if [ "$mode" = full ]; then dd if=/dev/zero of="$state/.filler" bs=4k 2>/dev/null || true; fi
if [ "$mode" = readonly ]; then mount -o remount,ro "$state"; fi
set +e
"$@"
echo "exit=$?" >&2
rm -f "$state/.filler" 2>/dev/null
git -C "$state/configs" fsck --full --strict >/dev/null 2>&1 && echo "fsck=ok" >&2
"""


@pytest.mark.chaos
@pytest.mark.skipif(bool(WHY_NO_MOUNTS), reason=WHY_NO_MOUNTS or "mounts available")
@pytest.mark.parametrize("mode", ["full", "readonly"])
@pytest.mark.parametrize("command", ["backup", "health", "preventive"])
def test_full_disk_and_read_only_state_are_exit_3_in_one_line(
    private_lab: Callable[..., Lab], tmp_path: Path, mode: str, command: str
) -> None:
    lab = private_lab()
    inventory = inventory_copy(lab, tmp_path / "inventory", 4)
    state = tmp_path / "state"
    _prepare(lab, inventory, state)
    before = Invariants(state)
    before.snapshot()
    args = [sys.executable, "-m", "netrawat", command, "--inventory", str(inventory),
            "--state", str(state), *HOSTS]  # fmt: skip
    if command == "preventive":
        args.append("--no-notify")
    done = subprocess.run(
        ["unshare", "--mount", "sh", "-c", IN_NAMESPACE, "sh", str(state), mode, *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
    )
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert "exit=3" in lines and "fsck=ok" in lines, done.stderr
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 1 and one_line(done.stderr), done.stderr
    before.check()  # the real state directory under the tmpfs is untouched


@pytest.mark.chaos
def test_a_damaged_config_repository_loses_nothing(
    private_lab: Callable[..., Lab], tmp_path: Path
) -> None:
    lab = private_lab()
    inventory = inventory_copy(lab, tmp_path / "inventory", 4)
    state = tmp_path / "state"
    _prepare(lab, inventory, state)
    repo = state / "configs"
    kept = {p: (repo / p).read_text() for p in git(repo, "ls-files").stdout.split()}
    # one lost blob whose working copy is intact: healed, the run goes on
    path = sorted(kept)[0]
    blob = git(repo, "rev-parse", f"main:{path}").stdout.strip()
    (repo / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    done = netrawat("backup", "--inventory", str(inventory), "--state", str(state), *HOSTS)
    assert done.returncode == ExitCode.OK and one_line(done.stderr), done.stderr
    assert git(repo, "fsck", "--full", "--strict").returncode == 0
    # lost again and its working copy edited: exit 3, one line, nothing removed
    (repo / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    (repo / path).write_text("edited by hand\n")
    done = netrawat("backup", "--inventory", str(inventory), "--state", str(state), *HOSTS)
    assert done.returncode == ExitCode.CANNOT_RUN, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and one_line(done.stderr)
    assert {p: (repo / p).read_text() for p in kept} == {**kept, path: "edited by hand\n"}


@pytest.mark.chaos
def test_a_damaged_recap_database_is_exit_3_and_loses_no_backup(
    private_lab: Callable[..., Lab], tmp_path: Path
) -> None:
    lab = private_lab()
    inventory = inventory_copy(lab, tmp_path / "inventory", 4)
    state = tmp_path / "state"
    _prepare(lab, inventory, state)
    invariants = Invariants(state)
    invariants.snapshot()
    db = state / "recap.sqlite"
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    with db.open("r+b") as damaged:
        damaged.seek(0)
        damaged.write(b"\0" * 4096)
    for command in ("backup", "health", "preventive"):
        extra = ["--no-notify"] if command == "preventive" else []
        done = netrawat(
            command, "--inventory", str(inventory), "--state", str(state), *HOSTS, *extra
        )
        assert done.returncode == ExitCode.CANNOT_RUN, (command, done.stderr)
        lines = [line for line in done.stderr.splitlines() if line.startswith("error:")]
        assert len(lines) == 1 and "recap database" in lines[0] and one_line(done.stderr)
    os.replace(db, f"{db}.damaged")  # what the hint says
    invariants.files.pop("configs")  # checked below instead: the backups are all still there
    done = netrawat("backup", "--inventory", str(inventory), "--state", str(state), *HOSTS)
    assert done.returncode == ExitCode.OK, done.stderr


ALL_FAULTS = sorted(DEVICE_FAULTS | SESSION_FAULTS | TRANSPORT_FAULTS)


@pytest.mark.chaos
def test_every_lab_device_fault_fails_alone_in_one_line(
    private_lab: Callable[..., Lab], tmp_path: Path
) -> None:
    """Every fault the lab knows, on a router and an IOS router: the backup exits 0 or 1,
    each failure is one line of the report, nothing good is lost."""
    lab = private_lab()
    inventory = inventory_copy(lab, tmp_path / "inventory", 3)
    state = tmp_path / "state"
    _prepare(lab, inventory, state)
    invariants = Invariants(state)
    invariants.snapshot()
    for fault in ALL_FAULTS:
        for host in ("RTR-DINKES", "CR-DINKES"):
            value = {"slow": "200", "unreachable": "drop", "upgrade": "7.17"}.get(fault)
            try:
                lab.fault(host, fault, value)
            except Exception:
                continue
            done = netrawat("backup", "--inventory", str(inventory), "--state", str(state), *HOSTS)
            lab.clear(host)
            assert done.returncode in (0, 1), (fault, host, done.stderr)
            assert one_line(done.stderr), (fault, host, done.stderr)
            invariants.check()
