"""Runs split over worker processes (`netrawat.shards`): one result, the parent's processors
see every host, exceptions cross back with their chain; on the lab, a sharded backup makes ONE
commit and ONE recap run, pins keys first and refuses a changed key with the usual message."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import fleet_args, fleet_spec, inventory_copy, run_json
from inventory_factory import base_hosts, write_inventory
from nornir.core import Nornir
from nornir.core.task import Result, Task
from rich.console import Console

from netrawat.configs.repo import ConfigRepo
from netrawat.configs.versions import VersionStore
from netrawat.errors import DeviceError
from netrawat.exitcodes import ExitCode
from netrawat.fleet import load_selection
from netrawat.processors.progress import ProgressProcessor
from netrawat.processors.recap import RecapProcessor
from netrawat.recap import open_store, start_run
from netrawat.recap.query import get_run
from netrawat.shards import (
    ShardContext,
    ShardedRunner,
    ShardError,
    pack_exception,
    unpack_exception,
)
from netrawat.state import StateDir
from netrawat_lab.handle import Lab


class Refused(DeviceError):
    """An exception whose ``__init__`` does not take its ``args`` back."""

    def __init__(self, check: str, reason: str) -> None:
        super().__init__(f"{check} check failed: {reason}", "look at the device")
        self.check = check


class Unpicklable(Exception):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.lock = __import__("threading").Lock()


def where(task: Task) -> Result:
    """Module level, so worker processes find it: the pid that ran the host; some fail."""
    name = task.host.name
    if name.endswith("03"):
        try:
            raise OSError(111, "Connection refused")
        except OSError as exc:
            raise Refused("connect", "refused") from exc
    if name.endswith("04"):
        raise Unpicklable("no pickle for me")
    return Result(host=task.host, result=os.getpid(), grade="ringan")


def _fleet(tmp_path: Path, count: int) -> Nornir:
    template = base_hosts()["AP-DINKES-01"]
    hosts = {
        f"AP-DINKES-{i:02d}": {**template, "port": 20000 + i, "data": {"role": "ap"}}
        for i in range(count)
    }
    inventory = write_inventory(tmp_path / "inv", hosts=hosts)
    nornir, _ = load_selection(fleet_spec(inventory=inventory), tmp_path / "known_hosts")
    return nornir


def test_sharded_run_one_result_parent_processors_and_exceptions(
    tmp_path: Path, state: StateDir
) -> None:
    out = io.StringIO()
    bar = ProgressProcessor(Console(file=out, force_terminal=True, width=100))
    runner = ShardedRunner(2, 4, ShardContext(("netmiko",)))
    with start_run(state, playbook="health") as run:
        nornir = _fleet(tmp_path, 8).with_runner(runner).with_processors([bar, RecapProcessor(run)])
        result = nornir.run(task=where, name="health")
        run_id = run.run_id
    assert set(result) == set(nornir.inventory.hosts)
    assert result.failed_hosts.keys() == {"AP-DINKES-03", "AP-DINKES-04"}
    pids = {multi[0].result for name, multi in result.items() if not multi.failed}
    assert len(pids) == 2 and os.getpid() not in pids  # two worker processes did the work
    for name, multi in result.items():
        assert multi[0].host is nornir.inventory.hosts[name]  # the parent's hosts
    refused = result["AP-DINKES-03"][0].exception
    assert isinstance(refused, Refused) and refused.check == "connect"
    assert refused.one_line() == "connect check failed: refused (hint: look at the device)"
    assert isinstance(refused.__cause__, ConnectionRefusedError)  # OSError(111) comes back typed
    lost = result["AP-DINKES-04"][0].exception
    assert isinstance(lost, ShardError) and type(lost).__name__ == "Unpicklable"
    assert str(lost) == "no pickle for me"
    text = out.getvalue()
    assert "8/8" in text and "2 failed" in text  # the parent's progress bar saw every host
    store = open_store(state)
    try:
        with store.begin() as conn:
            entry = get_run(conn, run_id)
    finally:
        store.close()
    assert entry is not None and len(entry.hosts) == 8  # the parent's recording saw them too


def test_exception_chain_round_trip() -> None:
    try:
        try:
            raise KeyError("inner")
        except KeyError:
            raise ValueError("outer")  # noqa: B904 (a __context__ link, not __cause__)
    except ValueError as exc:
        back = unpack_exception(pack_exception(exc))
    assert isinstance(back, ValueError) and isinstance(back.__context__, KeyError)
    assert back.__cause__ is None


@pytest.mark.lab
def test_sharded_backup_one_commit_one_recap_run_strict_keys(
    private_lab: Callable[..., Lab],
    tmp_path: Path,
    state: StateDir,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lab = private_lab()  # the rehearsal fleet, untouched by other tests
    inventory = inventory_copy(lab, tmp_path / "inventory", 4)
    args = ("backup", *fleet_args(inventory, state.root), "--processes", "2", "--workers", "4")
    code, first, _ = run_json(capsys, *args)  # pins every key first, then two processes
    assert code == ExitCode.OK, [(h["host"], h["reason"]) for h in first["hosts"] if h["reason"]]
    assert {h["status"] for h in first["hosts"]} == {"changed"}
    assert len(first["hosts"]) == len(lab.specs)
    repo = ConfigRepo(state.configs)
    assert repo.git("rev-list", "--count", "HEAD").strip() == "1"  # ONE commit
    store = open_store(state)
    try:
        with store.begin() as conn:
            entry = get_run(conn, first["run_id"])
    finally:
        store.close()
    assert entry is not None and entry.commits == (first["commit"],)
    assert len(VersionStore.load(state.versions).known) == len(lab.specs)

    # A changed key (another device's key under this host's name) is refused in a worker
    # process with the usual message, naming the real known_hosts file.
    lines = state.known_hosts.read_text().splitlines()
    victim, other = lines[0].split(), lines[1].split()
    lines[0] = " ".join([victim[0], *other[1:]])
    state.known_hosts.write_text("\n".join(lines) + "\n")
    code, second, _ = run_json(capsys, *args)
    assert code == ExitCode.HOSTS_FAILED
    failed = [h for h in second["hosts"] if h["status"] == "failed"]
    assert len(failed) == 1 and failed[0]["check"] == "host-key", failed
    assert "SSH HOST KEY CHANGED" in failed[0]["reason"]
    assert {h["status"] for h in second["hosts"] if h["status"] != "failed"} == {"unchanged"}
