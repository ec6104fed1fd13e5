"""``Lab.reset``: a device changed over SSH goes back exactly as seeded at lab start, its
listeners, host key and open sessions untouched (what ``clean_lab`` does after every test)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import librouteros
import paramiko
import pytest
from helpers import run_json, send_config
from lab_clients import host_key, read_until
from netmiko import ConnectHandler

from netrawat.exitcodes import ExitCode
from netrawat_lab.handle import Lab
from netrawat_lab.spec import DeviceSpec
from netrawat_lab.testing import private_slot, rehearsal_fleet

pytestmark = pytest.mark.lab

ROS = "RTR-DINKES"
IOS = "CR-DINKES"
API_MENUS = ("/ip/dns", "/ip/pool", "/interface", "/file", "/system/identity", "/user")
MOVING = frozenset({"rx-byte", "tx-byte", "rx-packet", "tx-packet", "last-logged-in"})
CLOCK_PERIOD = re.compile(r"^ntp clock-period \d+$", re.MULTILINE)
Rows = dict[str, list[dict[str, Any]]]
EXPORT_TIME = re.compile(r"^# \d{4}-\d\d-\d\d \d\d:\d\d:\d\d by RouterOS .*$", re.MULTILINE)


def _export_of(snapshot: Mapping[str, Any]) -> str:
    """A RouterOS snapshot's ``/export terse`` without its time stamp line."""
    return EXPORT_TIME.sub("# (time)", str(snapshot["config"]))


def _export(lab: Lab) -> str:
    return _export_of(lab.snapshot(ROS))


def _steady(running: object) -> str:
    """IOS ``show running-config`` without ``ntp clock-period`` (it moves on every read,
    as NTP disciplines the clock; its ``Current configuration`` byte count stays)."""
    return CLOCK_PERIOD.sub("ntp clock-period (moving)", str(running))


def _netmiko(spec: DeviceSpec) -> Any:
    return ConnectHandler(
        device_type=spec.platform,
        host=spec.address,
        port=spec.port,
        username=spec.username,
        password=spec.password,
        secret=spec.enable_secret,
        allow_agent=False,
        use_keys=False,
        ssh_strict=False,
        system_host_keys=False,
        alt_host_keys=False,
    )


def _api(spec: DeviceSpec) -> Any:
    assert spec.api_port is not None
    return librouteros.connect(
        host=spec.address,
        port=spec.api_port,
        username=spec.username,
        password=spec.password,
        timeout=10,
    )


def _api_rows(api: Any) -> Rows:
    return {menu: list(api.path(menu)) for menu in API_MENUS}


def _settled(rows: Rows) -> Rows:
    """The API rows without the traffic counters (they go on) and ``last-logged-in`` (the
    reset forgets logins: the device knew none at lab start)."""
    return {
        menu: [{k: v for k, v in row.items() if k not in MOVING} for row in items]
        for menu, items in rows.items()
    }


@pytest.fixture
def ros_shell(lab: Lab) -> Iterator[paramiko.Channel]:
    """An interactive RouterOS shell of the session lab (closed after the test)."""
    spec = lab.spec(ROS)
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(
        spec.address,
        spec.port,
        spec.username + "+ct",
        spec.password,
        allow_agent=False,
        look_for_keys=False,
    )
    shell = client.invoke_shell()
    read_until(shell, b"] > ")
    yield shell
    client.close()


def test_routeros_reset_undoes_config_files_and_safe_mode_keeping_key_and_sessions(
    clean_lab: Lab, ros_shell: paramiko.Channel
) -> None:
    lab, spec = clean_lab, clean_lab.spec(ROS)
    export, key = _export(lab), host_key(spec)
    before_api = _api(spec)
    api_rows = _settled(_api_rows(before_api))
    engineer = _netmiko(spec)
    try:
        ros_shell.send(b"\x18")
        read_until(ros_shell, b"[Safe Mode taken]")
        for line in (
            "/ip dns set servers=10.9.9.53",
            '/ip pool set [find] comment="leaked by a test"',
            "/interface disable ether2",
            '/file add name=leak.txt contents="x"',
        ):
            ros_shell.send(line.encode() + b"\r")
        read_until(ros_shell, b"leak.txt")
        read_until(ros_shell, b"] > ")
        changed = _export(lab)
        assert "10.9.9.53" in changed and "leaked by a test" in changed
        assert "leak.txt" in str(engineer.send_command("/file print"))

        lab.reset(ROS)  # the Safe Mode holder is still connected

        assert lab.history(ROS) == []
        assert _export(lab) == export
        assert host_key(spec) == key
        assert _settled(_api_rows(before_api)) == api_rows  # a session from before
        fresh_api = _api(spec)
        assert _settled(_api_rows(fresh_api)) == api_rows
        fresh_api.close()
        assert "10.9.9.53" not in str(engineer.send_command("/ip dns print"))
        assert lab.snapshot(ROS)["faults"] == {}
    finally:
        before_api.close()
        engineer.disconnect()
    # Safe Mode is free again: a second session takes it at once.
    with _netmiko(spec) as other:
        other.write_channel("\x18")
        assert "[Safe Mode taken]" in other.read_until_pattern(
            r"\[Safe Mode [^]]*\]", read_timeout=10
        )
        other.write_channel("\x18")
        other.read_until_pattern(r"Safe Mode released", read_timeout=10)
    # Its old holder ending now undoes nothing (no stale rollback after the reset).
    ros_shell.close()
    assert _export(lab) == export


def test_reset_puts_the_fleet_file_faults_back_and_the_original_host_key(
    private_lab: Callable[..., Lab],
) -> None:
    specs = [s for s in rehearsal_fleet(private_slot()) if s.hostname in {ROS, IOS}]
    for spec in specs:
        spec.faults = {"wrong-dns": None}
    lab = private_lab(specs)
    seeded = {host: lab.snapshot(host) for host in (ROS, IOS)}
    keys = {host: host_key(lab.spec(host)) for host in (ROS, IOS)}
    for host in (ROS, IOS):
        lab.clear(host)
        lab.fault(host, "slow", "50")
        lab.fault(host, "host-key-changed")
        assert host_key(lab.spec(host)) != keys[host]

    assert sorted(lab.reset_all()) == [IOS, ROS]

    status = {d["hostname"]: d for d in lab.client.status()}
    for host in (ROS, IOS):
        assert status[host]["faults"] == {"wrong-dns": None}
        assert lab.snapshot(host)["faults"] == {"wrong-dns": None}
        assert host_key(lab.spec(host)) == keys[host]
    assert _export_of(lab.snapshot(ROS)) == _export_of(seeded[ROS])
    # wrong-dns changed the configuration again, now: only its change stamp differs
    stamp = re.compile(r"^! Last configuration change at .*$", re.MULTILINE)
    after = stamp.sub("", _steady(lab.snapshot(IOS)["config"]))
    assert after == stamp.sub("", _steady(seeded[IOS]["config"]))


def test_ios_reset_restores_running_startup_interfaces_and_revert_timer(clean_lab: Lab) -> None:
    lab, spec = clean_lab, clean_lab.spec(IOS)
    seeded = lab.snapshot(IOS)
    key = host_key(spec)
    engineer = _netmiko(spec)
    engineer.enable()
    try:
        send_config(
            spec,
            [
                "ip name-server 10.9.9.53",
                "interface GigabitEthernet0",
                "shutdown",
                "exit",
                "archive",
                "path flash:archive-",
                "end",
            ],
        )
        engineer.send_command("write memory", read_timeout=20)
        armed = str(
            engineer.send_command(
                "configure terminal revert timer 5", expect_string=r"\(config\)#", read_timeout=20
            )
        )
        engineer.send_command("end", expect_string=r"#")
        assert "revert" in armed.lower() or "rollback" in armed.lower() or armed == ""
        changed = lab.snapshot(IOS)
        assert "10.9.9.53" in changed["config"] and "10.9.9.53" in changed["startup_config"]
        assert "administratively down" in changed["interfaces"]["GigabitEthernet0"]
        pending = str(engineer.send_command("show archive config rollback timer"))
        assert "No Rollback Confirmed Change pending" not in pending

        lab.reset(IOS)

        after = lab.snapshot(IOS)
        for part in ("startup_config", "unsaved_changes", "interfaces", "faults"):
            assert after[part] == seeded[part], part
        assert _steady(after["config"]) == _steady(seeded["config"])
        assert host_key(spec) == key
        timer = str(engineer.send_command("show archive config rollback timer"))
        assert "No Rollback Confirmed Change pending" in timer
        running = str(engineer.send_command("show running-config"))
        assert "10.9.9.53" not in running and "archive" not in running
    finally:
        engineer.disconnect()


def test_cli_lab_reset_one_device_all_devices_and_an_unknown_one(
    clean_lab: Lab, capsys: pytest.CaptureFixture[str]
) -> None:
    send_config(clean_lab.spec(IOS), ["ip name-server 10.9.9.53"])
    code, _, err = run_json(capsys, "lab", "reset", "--dir", str(clean_lab.dir), IOS)
    assert code == ExitCode.OK and f"{IOS}: back as seeded" in err
    assert "10.9.9.53" not in str(clean_lab.snapshot(IOS)["config"])
    code, _, err = run_json(capsys, "lab", "reset", "--dir", str(clean_lab.dir))
    assert code == ExitCode.OK and f"{len(clean_lab.specs)} devices back as seeded" in err
    code, _, err = run_json(capsys, "lab", "reset", "--dir", str(clean_lab.dir), "NOPE")
    assert code == ExitCode.BAD_INPUT and "no device 'NOPE'" in err
