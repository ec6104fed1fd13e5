"""RouterOS lab fidelity over real SSH (paramiko shells, exact bytes): the login screens a
reset, unlicensed 7.16 box shows (single keys, no Enter), the echo wrapping at the console
width, and ``/ping`` without ``count=`` running until Ctrl-C."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import librouteros
import librouteros.api
import librouteros.exceptions
import paramiko
import pytest
from lab_clients import connect, read_for, read_until, tcp_state

from netrawat.cli.main import run
from netrawat.exitcodes import ExitCode
from netrawat_lab.control import running_pid
from netrawat_lab.fleetfile import save_fleet
from netrawat_lab.handle import Lab
from netrawat_lab.testing import private_slot, rehearsal_fleet

pytestmark = pytest.mark.lab
HOST = "RTR-DISDIKBUD"
LOGO_LINE = b"MikroTik RouterOS 7.16.1"


@contextmanager
def shell(lab: Lab, options: str = "", width: int = 80) -> Iterator[paramiko.Channel]:
    """An interactive shell with a pty ``width`` columns wide, user ``admin`` + ``options``."""
    spec = lab.spec(HOST)
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(
        spec.address,
        spec.port,
        spec.username + options,
        spec.password,
        look_for_keys=False,
        allow_agent=False,
        timeout=10,
    )
    try:
        yield client.invoke_shell(width=width)
    finally:
        client.close()


@pytest.fixture
def prompt(lab: Lab) -> bytes:
    return f"[{lab.spec(HOST).username}@{HOST}] > ".encode()


def test_startup_screens_take_single_keys_in_the_real_order(lab: Lab, prompt: bytes) -> None:
    with lab.faulted(HOST, "startup-screens"), shell(lab, "+ct511w4098h") as channel:
        first = read_until(channel, b"[Y/n]: ")
        assert first.endswith(b"Do you want to see the software license? [Y/n]: ")
        assert LOGO_LINE not in first  # the question comes before the logo
        channel.send(b"n")  # one key, no Enter: netmiko's answer
        assert read_until(channel, b"new password> ").endswith(b"new password> ")
        channel.send(b"\x03")  # Ctrl-C skips the password change
        notice = read_until(channel, b'"Enter" to continue!')
        assert LOGO_LINE in notice and b"ROUTER HAS NO SOFTWARE KEY" in notice
        channel.send(b"\r\n")  # Enter as netmiko sends it: one key
        defconf = read_until(channel, b"any other key to continue.\r\n")
        assert b'to remove this default configuration type "r"' in defconf
        assert prompt not in defconf  # still waiting for a key
        channel.send(b"\r\n")
        after = read_until(channel, prompt)
        assert after.endswith(prompt)
        channel.send(b"/system identity print\r\n")
        reply = read_until(channel, b"name: RTR-DISDIKBUD\r\n" + prompt)
        assert reply.count(prompt) == 1  # the "\n" of "\r\n" was not a second Enter


def test_a_typed_new_password_must_be_repeated(lab: Lab) -> None:
    with lab.faulted(HOST, "startup-screens"), shell(lab) as channel:
        read_until(channel, b"[Y/n]: ")
        channel.send(b"n")
        read_until(channel, b"new password> ")
        channel.send(b"uji-baru\r")
        assert read_until(channel, b"repeat new password> ").endswith(b"repeat new password> ")
        channel.send(b"lain\r")
        assert b"Passwords do not match" in read_until(channel, b"new password> ")
        channel.send(b"\x03")
        assert b"ROUTER HAS NO SOFTWARE KEY" in read_until(channel, b"continue!")


def test_netmiko_login_width_511_keeps_long_echoes_on_one_row(lab: Lab, prompt: bytes) -> None:
    command = "/ip route print terse without-paging where dst-address=0.0.0.0/0 gateway=100.64.0.1"
    with shell(lab, "+ct511w4098h") as channel:
        read_until(channel, prompt)
        channel.send(command.encode() + b"\r\n")
        echo = read_until(channel, prompt)
    assert echo.startswith(command.encode() + b"\r\n")


def test_a_plain_80_column_shell_wraps_the_echo_at_the_terminal_edge(
    lab: Lab, prompt: bytes
) -> None:
    command = "/ip route print terse without-paging where dst-address=0.0.0.0/0 gateway=100.64.0.1"
    room = 80 - len(prompt)
    with shell(lab) as channel:
        read_until(channel, prompt)
        channel.send(command.encode() + b"\r\n")
        echo = read_until(channel, prompt)
    wrapped = command[:room] + "\r\n" + command[room:] + "\r\n"
    assert echo.startswith(wrapped.encode())


def test_ping_without_count_runs_until_ctrl_c(lab: Lab, prompt: bytes) -> None:
    with shell(lab, "+ct511w4098h") as channel:
        read_until(channel, prompt)
        channel.send(b"/ping 100.64.0.1\r\n")
        rows = read_until(channel, b"\r\n    1 100.64.0.1")  # a second row: paced, not ended
        assert b"sent=" not in rows and prompt not in rows
        channel.send(b"\x03")
        rest = read_until(channel, prompt)
    assert b"    sent=" in rest and b"packet-loss=" in rest
    assert rest.endswith(prompt)


def test_ping_with_count_ends_by_itself(lab: Lab, prompt: bytes) -> None:
    client = connect(lab.spec(HOST))
    try:
        channel = client.invoke_shell()
        read_until(channel, prompt)
        channel.send(b"/ping 100.64.0.1 count=3\r\n")
        output = read_until(channel, prompt)
    finally:
        client.close()
    assert b"sent=3 received=3 packet-loss=0%" in output


@pytest.mark.parametrize(
    ("host", "fault", "listed"),
    [
        ("RTR-DISDIKBUD", "interface-down=ether99", "ether1, ether2"),
        ("RTR-DISDIKBUD", "flapping=wlan9", "ether1, ether2"),
        ("CR-DINKES", "interface-down=Gi9/9", "its interfaces: GigabitEthernet"),
        ("CR-DINKES", "uplink-down=Serial0/0", "its interfaces: GigabitEthernet"),
    ],
)
def test_link_faults_on_a_missing_interface_are_refused(
    lab: Lab, capsys: pytest.CaptureFixture[str], host: str, fault: str, listed: str
) -> None:
    capsys.readouterr()
    code = run(["lab", "fault", "--dir", str(lab.dir), host, fault])
    err = capsys.readouterr().err
    assert code == ExitCode.BAD_INPUT
    assert f"{host} has no interface" in err and listed in err
    assert lab.client.snapshot(host)["faults"] == {}  # nothing half-applied


def test_link_faults_take_ios_abbreviations(lab: Lab) -> None:
    with lab.faulted("CR-DINKES", "interface-down", "gi1"):
        assert lab.client.snapshot("CR-DINKES")["faults"] == {"interface-down": "gi1"}


def test_a_vanished_box_leaves_open_sessions_hanging_silent(lab: Lab, prompt: bytes) -> None:
    spec = lab.spec(HOST)
    with shell(lab, "+ct511w4098h") as channel:
        read_until(channel, prompt)
        with lab.faulted(HOST, "unreachable", "drop"):
            channel.send(b"/system identity print\r\n")
            heard, closed = read_for(channel, 1.5)
            assert (heard, closed) == (b"", False)  # no echo, no reply, no hang-up
            assert tcp_state(spec.address, spec.port) == "silent"
        # the box is back: the waiting command is answered on the same session
        reply = read_until(channel, b"name: " + HOST.encode())
    assert b"name: RTR-DISDIKBUD" in reply


def test_unreachable_refused_still_cuts_open_sessions(lab: Lab, prompt: bytes) -> None:
    with shell(lab) as channel:
        read_until(channel, prompt)
        with lab.faulted(HOST, "unreachable"):
            _, closed = read_for(channel, 3.0)
    assert closed


def _api(lab: Lab, host: str, timeout: float = 5.0) -> librouteros.api.Api:
    spec = lab.spec(host)
    assert spec.api_port is not None
    return librouteros.connect(
        spec.address, spec.username, spec.password, port=spec.api_port, timeout=timeout
    )


@pytest.mark.parametrize("fault", ["hang", "truncate"])
def test_api_reads_of_an_export_file_are_cut_by_hang_and_truncate(lab: Lab, fault: str) -> None:
    api = _api(lab, "RTR-DINKES", timeout=2.0)
    try:
        tuple(api("/export", file="uji-potong", terse=""))
        with lab.faulted("RTR-DINKES", fault):
            assert tuple(api.path("ip", "address"))  # small prints are not bulk output
            with pytest.raises((TimeoutError, librouteros.exceptions.ConnectionClosed)):
                tuple(api.path("file"))
    finally:
        api.close()
    again = _api(lab, "RTR-DINKES")  # a new session reads the file whole once cleared
    try:
        files = [row for row in api_rows(again, "file") if row.get("name") == "uji-potong.rsc"]
        assert files and "/ip address" in str(files[0].get("contents"))
    finally:
        again.close()


def api_rows(api: librouteros.api.Api, *path: str) -> list[dict[str, object]]:
    return [dict(row) for row in api.path(*path)]


def _host_key(lab: Lab, host: str) -> paramiko.PKey:
    spec = lab.spec(host)
    transport = paramiko.Transport((spec.address, spec.port))
    try:
        transport.start_client(timeout=10)
        return transport.get_remote_server_key()
    finally:
        transport.close()


def test_ios_routers_have_rsa_host_keys_and_routeros_ed25519(lab: Lab) -> None:
    ios = _host_key(lab, "CR-DINKES")
    assert ios.get_name() == "ssh-rsa" and ios.get_bits() == 2048
    assert _host_key(lab, "RTR-DINKES").get_name() == "ssh-ed25519"
    with lab.faulted("CR-DINKES", "host-key-changed"):
        changed = _host_key(lab, "CR-DINKES")
    assert changed.get_name() == "ssh-rsa" and changed.get_base64() != ios.get_base64()


def test_a_fleet_file_fault_on_a_missing_interface_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    specs = rehearsal_fleet(private_slot())
    bad = replace(specs[0], faults={"interface-down": "ether99"})
    fleet = tmp_path / "fleet.yaml"
    save_fleet(fleet, [bad])
    capsys.readouterr()
    code = run(["lab", "up", "--dir", str(tmp_path / "lab"), "--fleet", str(fleet)])
    err = capsys.readouterr().err
    assert code == ExitCode.BAD_INPUT
    assert f"{bad.hostname} has no interface 'ether99'" in err
    assert running_pid(tmp_path / "lab") is None


def test_echo_wrap_fault_splits_long_echoes_even_for_width_511(lab: Lab, prompt: bytes) -> None:
    command = "/ip route print terse without-paging where dst-address=0.0.0.0/0 gateway=100.64.0.1"
    room = 80 - len(prompt)
    with lab.faulted(HOST, "echo-wrap"), shell(lab, "+ct511w4098h") as channel:
        read_until(channel, prompt)
        channel.send(command.encode() + b"\r\n")
        echo = read_until(channel, prompt)
    assert echo.startswith((command[:room] + "\r\n" + command[room:] + "\r\n").encode())
