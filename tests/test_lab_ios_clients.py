"""Real clients against the IOS lab over real SSH: netmiko ``cisco_ios`` and NAPALM ``ios``
run unmodified (enable, send_command, send_config_set, save_config; the getters)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lab_clients import connect, read_for, read_until
from napalm import get_network_driver
from netmiko import ConnectHandler
from netmiko.exceptions import ConfigInvalidException

from netrawat.platforms import CISCO_IOS
from netrawat_lab.handle import Lab
from netrawat_lab.ios.hardware import hardware_for
from netrawat_lab.spec import DeviceSpec
from netrawat_lab.testing import private_slot, rehearsal_fleet, start_test_lab

HOST = "CR-DINKES"


@pytest.fixture(scope="module")
def ios_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """A lab of the rehearsal fleet's two IOS routers (this module's own, so faults and
    configuration changes here disturb no other test)."""
    slot = private_slot()
    specs = [s for s in rehearsal_fleet(slot) if s.platform == "cisco_ios"]
    lab = start_test_lab(tmp_path_factory.mktemp("ioslab"), specs, slot)
    yield lab
    lab.down()


def _netmiko(spec: DeviceSpec) -> Any:
    return ConnectHandler(
        device_type="cisco_ios",
        host=spec.address,
        port=spec.port,
        username=spec.username,
        password=spec.password,
        secret=spec.enable_secret,
        allow_agent=False,
        use_keys=False,
        ssh_strict=False,
    )


def _napalm(spec: DeviceSpec) -> Any:
    driver = get_network_driver("ios")(
        spec.address,
        spec.username,
        spec.password,
        optional_args={"port": spec.port, "secret": spec.enable_secret, "ssh_strict": False},
    )
    driver.open()
    return driver


def test_netmiko_enable_show_config_and_save(ios_lab: Lab) -> None:
    spec = ios_lab.spec(HOST)
    conn = _netmiko(spec)
    try:
        assert conn.find_prompt() == f"{HOST}>"
        conn.enable()
        assert conn.find_prompt() == f"{HOST}#"
        hardware = hardware_for(spec.model)
        rows = conn.send_command("show ip interface brief", use_textfsm=True)
        assert {r["interface"] for r in rows} == {*hardware.physical, hardware.lan}
        spare = hardware.physical[2]
        output = conn.send_config_set(
            [
                f"interface {spare}",
                "description cadangan",
                "ip address 10.9.9.1 255.255.255.0",
            ]
        )
        assert CISCO_IOS.find_error(output) is None
        assert f"{HOST}(config-if)#" in output
        assert "description cadangan" not in conn.send_command("show startup-config")
        assert "[OK]" in conn.save_config()
        startup = conn.send_command("show startup-config")
        assert f"interface {spare}\n description cadangan" in startup
    finally:
        conn.disconnect()


def test_netmiko_sees_ios_errors(ios_lab: Lab) -> None:
    conn = _netmiko(ios_lab.spec(HOST))
    try:
        conn.enable()
        output = conn.send_command("show ip bogus")
        assert "% Invalid input detected at '^' marker." in output
        assert CISCO_IOS.find_error(output) is not None
        with pytest.raises(ConfigInvalidException):
            conn.send_config_set(
                ["interface g0/1", "ip address 10.1.1.999 255.255.255.0"],
                error_pattern=r"% Invalid",
            )
    finally:
        conn.disconnect()


def test_napalm_getters_run_unmodified(ios_lab: Lab) -> None:
    spec = ios_lab.spec("CR-DISDIKBUD")
    driver = _napalm(spec)
    try:
        assert driver.is_alive()["is_alive"]
        facts = driver.get_facts()
        assert facts["hostname"] == "CR-DISDIKBUD"
        assert facts["serial_number"] == spec.serial
        assert facts["os_version"].endswith("Version 15.7(3)M8, RELEASE SOFTWARE (fc2)")
        assert facts["uptime"] > 0
        hardware = hardware_for(spec.model)
        interfaces = driver.get_interfaces()
        assert interfaces[hardware.wan]["is_up"] is True
        assert interfaces[hardware.lan]["is_up"] is True
        counters = driver.get_interfaces_counters()
        assert counters[hardware.wan]["rx_octets"] > 0
        assert counters[hardware.wan]["rx_discards"] == 0
        environment = driver.get_environment()
        assert 0 <= environment["cpu"][0]["%usage"] < 20
        assert environment["memory"]["available_ram"] > environment["memory"]["used_ram"] > 0
        config = driver.get_config()
        assert config["running"].startswith("!") and config["running"].endswith("end")
        assert "hostname CR-DISDIKBUD" in config["startup"]
        ping = driver.ping(spec.seed["wan_gateway"], count=5)
        assert ping["success"]["packet_loss"] == 0
        assert ping["success"]["probes_sent"] == 5
    finally:
        driver.close()


def test_faults_reach_napalm_and_clear(ios_lab: Lab) -> None:
    spec = ios_lab.spec("CR-DISDIKBUD")
    with (
        ios_lab.faulted("CR-DISDIKBUD", "interface-down"),
        ios_lab.faulted("CR-DISDIKBUD", "high-cpu", "96"),
    ):
        driver = _napalm(spec)
        try:
            assert driver.get_interfaces()[hardware_for(spec.model).lan]["is_up"] is False
            assert driver.get_environment()["cpu"][0]["%usage"] == 96.0
        finally:
            driver.close()
    assert ios_lab.snapshot("CR-DISDIKBUD")["faults"] == {}
    driver = _napalm(spec)
    try:
        assert driver.get_interfaces()[hardware_for(spec.model).lan]["is_up"] is True
    finally:
        driver.close()


def test_truncate_cuts_show_running_config(ios_lab: Lab, tmp_path: Path) -> None:
    spec = ios_lab.spec("CR-DISDIKBUD")
    with ios_lab.faulted("CR-DISDIKBUD", "truncate"):
        client = connect(spec)
        try:
            channel = client.invoke_shell()
            read_until(channel, b">")
            channel.send(f"enable\n{spec.enable_secret}\nterminal length 0\n".encode())
            read_until(channel, b"#")
            channel.send(b"show running-config\n")
            data, closed = read_for(channel, 3.0)
        finally:
            client.close()
    assert b"Building configuration..." in data
    assert closed
    assert not data.rstrip().endswith(b"end")


def test_ssh_exec_request_runs_one_command(ios_lab: Lab) -> None:
    client = connect(ios_lab.spec(HOST))
    try:
        _, stdout, _ = client.exec_command("show version", timeout=10)
        output = stdout.read().decode()
        status = stdout.channel.recv_exit_status()
    finally:
        client.close()
    assert status == 0
    assert "Version 15.7(3)M8" in output
    assert f"{HOST} uptime is " in output
