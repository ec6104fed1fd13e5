"""The session lab with the real personalities, as netrawat uses it: ``--inventory DIR`` through
`open_fleet`, strict host keys pinned by ``--trust-new-hosts``, netmiko on both platforms, the
RouterOS API, and faults seen end to end."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import fleet_spec
from nornir.core.task import Result, Task

from netrawat.fleet import open_fleet
from netrawat.fleetspec import FleetSpec
from netrawat.hostkeys import get_connection
from netrawat_lab.handle import Lab

pytestmark = pytest.mark.lab

COMMANDS = {"mikrotik_routeros": "/system identity print", "cisco_ios": "show version"}


def _identity(task: Task) -> Result:
    conn = get_connection(task, "netmiko")
    output = conn.send_command(COMMANDS[task.host.platform or ""])
    return Result(host=task.host, result=output)


def _options(lab: Lab, state: Path, *hosts: str) -> FleetSpec:
    return fleet_spec(
        inventory=lab.inventory, state=state, trust_new_hosts=True, hosts=hosts, workers=5
    )


def test_the_lab_inventory_runs_netmiko_on_every_device(lab: Lab, tmp_path: Path) -> None:
    with open_fleet(_options(lab, tmp_path)) as fleet:
        assert len(fleet.pins.pinned) == len(lab.specs)  # first run: every key pinned
        results = fleet.nornir.run(task=_identity)
    assert not results.failed, {h: r.exception for h, r in results.items() if r.failed}
    assert "RTR-DINKES" in results["RTR-DINKES"].result
    assert "Cisco IOS Software" in results["CR-DINKES"].result
    assert "show version" in lab.history("CR-DISDIKBUD")
    assert "/system identity print" in lab.history("AP-DINKES-1")


def test_a_changed_host_key_is_refused_by_the_next_run(lab: Lab, tmp_path: Path) -> None:
    with open_fleet(_options(lab, tmp_path, "RTR-DISDIKBUD")) as fleet:
        assert not fleet.nornir.run(task=_identity).failed
    with lab.faulted("RTR-DISDIKBUD", "host-key-changed"):
        with open_fleet(_options(lab, tmp_path, "RTR-DISDIKBUD")) as fleet:
            results = fleet.nornir.run(task=_identity)
        assert results.failed
        assert "host key" in str(results["RTR-DISDIKBUD"].exception).lower()


def test_routeros_api_login_on_the_api_device(lab: Lab) -> None:
    librouteros = pytest.importorskip("librouteros")
    (host,) = lab.hosts(platform="mikrotik_routeros", role="router", api=True)
    spec = lab.spec(host)
    api = librouteros.connect(
        host=spec.address,
        port=spec.api_port,
        username=spec.username,
        password=spec.password,
        timeout=10,
    )
    try:
        identity = list(api.path("system", "identity"))
    finally:
        api.close()
    assert identity[0]["name"] == host
    with pytest.raises(librouteros.exceptions.TrapError):
        librouteros.connect(
            host=spec.address,
            port=spec.api_port,
            username=spec.username,
            password="wrong",
            timeout=10,
        )
