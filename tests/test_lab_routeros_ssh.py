"""The RouterOS personality over real SSH: netmiko's own mikrotik_routeros driver, SSH exec,
and the RouterOS API seeing changes made over SSH (one model behind both)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import librouteros
import pytest
from lab_clients import connect
from netmiko import ConnectHandler
from netmiko.base_connection import BaseConnection

from netrawat.platforms import ROUTEROS
from netrawat_lab.handle import Lab

pytestmark = pytest.mark.lab


@contextmanager
def netmiko_to(lab: Lab, host: str) -> Iterator[BaseConnection]:
    spec = lab.spec(host)
    conn = ConnectHandler(
        device_type="mikrotik_routeros",
        host=spec.address,
        port=spec.port,
        username=spec.username,
        password=spec.password,
    )
    try:
        yield conn
    finally:
        conn.disconnect()


READ_COMMANDS = [
    "/system identity print",
    "/system resource print",
    "/system routerboard print",
    "/system clock print",
    "/system health print",
    "/interface print",
    "/interface print detail",
    "/interface ethernet print",
    "/ip address print",
    "/ip route print",
    "/ip dns print",
    "/ip arp print",
    "/ip dhcp-server print",
    "/ip dhcp-server lease print",
    "/ip pool print",
    "/system ntp client print",
    "/snmp community print",
    "/user print",
    "/log print",
    "/ping 100.64.0.1 count=2",
]


def test_netmiko_reads_every_health_command_without_errors(lab: Lab) -> None:
    with netmiko_to(lab, "RTR-DINKES") as conn:
        assert conn.base_prompt == f"[{lab.spec('RTR-DINKES').username}@RTR-DINKES]"
        for command in READ_COMMANDS:
            output = str(conn.send_command(command))
            assert isinstance(output, str)
            assert ROUTEROS.find_error(output) is None, (command, output)
            assert conn.base_prompt not in output
        identity = conn.send_command("/system identity print")
    assert identity == "name: RTR-DINKES"


def test_netmiko_sees_routeros_errors_as_text(lab: Lab) -> None:
    with netmiko_to(lab, "RTR-DINKES") as conn:
        output = conn.send_command("/ip adress print")
        save = conn.send_command("copy running-config startup-config")
    assert output == "bad command name adress (line 1 column 5)"
    assert ROUTEROS.find_error(str(save)) == "bad command name copy (line 1 column 1)"


def test_send_config_set_changes_the_device_and_export_shows_it(lab: Lab) -> None:
    host = "RTR-DISDIKBUD"
    with netmiko_to(lab, host) as conn:
        before = conn.send_command("/snmp print")
        try:
            changes = ["/snmp set location=RUANG-SERVER", "/ip dns set cache-size=4096KiB"]
            output = conn.send_config_set(changes)
            assert ROUTEROS.find_error(str(output)) is None
            assert "location: RUANG-SERVER" in conn.send_command("/snmp print")
            assert "location=RUANG-SERVER" in conn.send_command("/export terse")
        finally:
            conn.send_config_set(["/snmp set location=DISDIKBUD", "/ip dns set cache-size=2048KiB"])
        assert conn.send_command("/snmp print") == before


def test_export_over_netmiko_equals_the_device_snapshot(lab: Lab) -> None:
    with netmiko_to(lab, "RTR-DINKES") as conn:
        text = conn.send_command("/export terse", read_timeout=30)
    snapshot = lab.snapshot("RTR-DINKES")["config"]
    assert str(text).splitlines()[5:] == snapshot.splitlines()[5:]
    assert str(text).startswith("# ") and "by RouterOS 7.16.1" in str(text).splitlines()[0]


def test_ssh_exec_export_like_napalm_ros_below_7_13(lab: Lab) -> None:
    client = connect(lab.spec("RTR-DINKES"))
    try:
        _, stdout, _ = client.exec_command("/export terse show-sensitive")
        output = stdout.read().decode()
        status = stdout.channel.recv_exit_status()
    finally:
        client.close()
    assert status == 0
    assert "/system identity set name=RTR-DINKES\r\n" in output


def test_a_change_over_ssh_shows_over_the_api(lab: Lab) -> None:
    spec = lab.spec("RTR-DINKES")
    assert spec.api_port
    with netmiko_to(lab, "RTR-DINKES") as conn:
        conn.send_command("/ip address add address=10.77.0.1/24 interface=ether6 comment=uji-api")
        api = librouteros.connect(spec.address, spec.username, spec.password, port=spec.api_port)
        try:
            rows = [r for r in api.path("ip", "address") if r.get("comment") == "uji-api"]
            assert rows and rows[0]["address"] == "10.77.0.1/24"
            assert rows[0]["interface"] == "ether6"
            api.path("ip", "address").remove(rows[0][".id"])
        finally:
            api.close()
        assert "uji-api" not in conn.send_command("/ip address print")


def test_netmiko_answers_the_startup_screens(lab: Lab) -> None:
    with lab.faulted("AP-DINKES-1", "startup-screens"), netmiko_to(lab, "AP-DINKES-1") as conn:
        output = conn.send_command("/interface wifi registration-table print")
    assert "OPD-DINKES" in str(output)


def test_device_faults_reach_the_shell(lab: Lab) -> None:
    with lab.faulted("RTR-DISDIKBUD", "high-cpu", "99"), netmiko_to(lab, "RTR-DISDIKBUD") as conn:
        assert "cpu-load: 99%" in str(conn.send_command("/system resource print"))
    with netmiko_to(lab, "RTR-DISDIKBUD") as conn:
        assert "cpu-load: 99%" not in str(conn.send_command("/system resource print"))
