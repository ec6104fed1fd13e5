"""RecapProcessor: a real threaded Nornir run records each host's outcome without playbook code.

The tasks here touch no device (the processor only reads Results); the playbooks' own tests
exercise it against the lab over SSH.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from nornir.core import Nornir
from nornir.core.task import Result, Task
from nornir.plugins.inventory import SimpleInventory
from nornir.plugins.runners import ThreadedRunner
from recap_fixtures import state_fixture, store_fixture  # noqa: F401

from netrawat.errors import DeviceCommandError
from netrawat.processors.recap import RecapProcessor, result_with
from netrawat.recap import RecapStore, start_run
from netrawat.recap.query import load_runs
from netrawat.state import StateDir


def _nornir(tmp_path: Path) -> Nornir:
    hosts = {
        f"RTR-{opd.upper()}": {"hostname": "127.0.0.1", "groups": [f"opd_{opd}"]}
        for opd in ("dinkes", "bappeda", "disdik", "dukcapil")
    }
    groups = {
        f"opd_{opd}": {"data": {"opd": opd}} for opd in ("dinkes", "bappeda", "disdik", "dukcapil")
    }
    for name, data in (("hosts", hosts), ("groups", groups), ("defaults", {})):
        (tmp_path / f"{name}.yaml").write_text(yaml.safe_dump(data))
    # not InitNornir: its plugin auto-registration refuses netrawat's own "netmiko" plugin
    # (netrawat.sshsession) that a fleet opened earlier in this process registered
    inventory = SimpleInventory(
        host_file=str(tmp_path / "hosts.yaml"),
        group_file=str(tmp_path / "groups.yaml"),
        defaults_file=str(tmp_path / "defaults.yaml"),
    ).load()
    return Nornir(inventory=inventory, runner=ThreadedRunner(num_workers=4))


def _check(task: Task) -> Result:
    task.run(task=_sub)
    opd = task.host.get("opd")
    if opd == "dinkes":
        raise DeviceCommandError("bad command name foo", "check the template")
    if opd == "bappeda":
        return result_with(task.host, "ok", grade="sedang", actions=["set ntp"], commit="c0ffee")
    if opd == "disdik":
        return Result(host=task.host, changed=True, details={"cpu": 12})
    return Result(host=task.host, outcome="unchanged")


def _sub(task: Task) -> Result:
    return Result(host=task.host, grade="ringan")


def test_processor_records_every_host(tmp_path: Path, state: StateDir, store: RecapStore) -> None:
    nornir = _nornir(tmp_path)
    with start_run(state, playbook="health", opds=["dinkes", "bappeda"]) as run:
        nornir.with_processors([RecapProcessor(run)]).run(task=_check)
    assert sorted(run.failed_hosts) == ["RTR-DINKES"]
    with store.begin() as conn:
        (entry,) = load_runs(conn)
    assert entry.status == "failed"
    hosts = {h.host: h for h in entry.hosts}
    assert hosts["RTR-DINKES"].outcome == "failed" and hosts["RTR-DINKES"].opd == "dinkes"
    assert hosts["RTR-DINKES"].error == "bad command name foo (hint: check the template)"
    assert hosts["RTR-BAPPEDA"].grade == "sedang" and hosts["RTR-BAPPEDA"].actions == ("set ntp",)
    assert hosts["RTR-BAPPEDA"].commit == "c0ffee" and entry.item("commit") == ("c0ffee",)
    assert hosts["RTR-DISDIK"].outcome == "changed" and hosts["RTR-DISDIK"].details == {"cpu": 12}
    assert hosts["RTR-DISDIK"].grade == "ringan"  # from the subtask
    assert hosts["RTR-DUKCAPIL"].outcome == "unchanged"


def test_playbook_record_after_processor_wins(
    tmp_path: Path, state: StateDir, store: RecapStore
) -> None:
    nornir = _nornir(tmp_path).filter(opd="dukcapil")
    with start_run(state, playbook="repair") as run:
        nornir.with_processors([RecapProcessor(run, task_name="_check")]).run(task=_check)
        run.host("RTR-DUKCAPIL", opd="dukcapil", outcome="skipped", details={"why": "dry run"})
    with store.begin() as conn:
        (entry,) = load_runs(conn)
    assert [(h.host, h.outcome) for h in entry.hosts] == [("RTR-DUKCAPIL", "skipped")]
    assert entry.status == "ok"
