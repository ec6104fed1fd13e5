"""The lab server over real SSH (paramiko, netmiko): terminal bytes, history, faults, host keys.

Devices here are `lab_stub.StubDevice` (a prompt, echo, a long ``export``): what is tested is
the server, not a personality.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import asyncssh
import paramiko
import pytest
from lab_clients import STUB_ENV, connect, host_key, read_for, read_until, tcp_state
from netmiko import ConnectHandler

from netrawat_lab.errors import LabInputError as InputError
from netrawat_lab.handle import Lab
from netrawat_lab.testing import private_slot, rehearsal_fleet, start_test_lab

pytestmark = pytest.mark.lab

PrivateLab = Callable[..., Lab]


@pytest.fixture(scope="module")
def module_stub_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    slot = private_slot()
    lab_dir = tmp_path_factory.mktemp("stublab")
    handle = start_test_lab(lab_dir, rehearsal_fleet(slot), slot, env=STUB_ENV)
    yield handle
    handle.down()


@pytest.fixture
def stub_lab(module_stub_lab: Lab) -> Lab:
    """The module's stub lab with every fault cleared and every history emptied (reset)."""
    module_stub_lab.reset_all()
    return module_stub_lab


def _shell(lab: Lab, host: str) -> tuple[paramiko.SSHClient, paramiko.Channel, bytes]:
    client = connect(lab.spec(host))
    channel = client.invoke_shell()
    prompt = read_until(channel, b"] > ")
    return client, channel, prompt


def test_line_terminators_cr_lf_crlf_give_one_command_each(stub_lab: Lab) -> None:
    client, channel, prompt = _shell(stub_lab, "RTR-DINKES")
    assert prompt.endswith(b"@RTR-DINKES] > ")
    channel.send(b"one\r\ntwo\rthree\n")
    out = read_until(channel, b"ok: three")
    client.close()
    assert out.count(b"ok: ") == 3
    assert stub_lab.history("RTR-DINKES") == ["one", "two", "three"]


def test_echo_is_exact_and_backspace_edits(stub_lab: Lab) -> None:
    client, channel, _ = _shell(stub_lab, "CR-DINKES")
    channel.send(b"abx\x7fc\r\n")
    out = read_until(channel, b"ok: abc")
    client.close()
    assert out.startswith(b"abx\b \bc\r\nok: abc\r\n")
    assert stub_lab.history("CR-DINKES") == ["abc"]


def test_exec_request_reaches_the_personality_and_history(stub_lab: Lab) -> None:
    client = connect(stub_lab.spec("RTR-DISDIKBUD"))
    _, stdout, _ = client.exec_command("/system identity print")
    assert stdout.read() == b"exec: /system identity print\n"
    assert stdout.channel.recv_exit_status() == 0
    client.close()
    assert stub_lab.history("RTR-DISDIKBUD") == ["/system identity print"]


def test_netmiko_routeros_session_with_pty_and_login_suffix(stub_lab: Lab) -> None:
    spec = stub_lab.spec("RTR-DINKES")
    conn = ConnectHandler(
        device_type="mikrotik_routeros",
        host=spec.address,
        port=spec.port,
        username=spec.username,
        password=spec.password,
        use_keys=False,
        allow_agent=False,
    )
    try:
        assert conn.send_command("hello world") == "ok: hello world"
    finally:
        conn.disconnect()
    assert "hello world" in stub_lab.history("RTR-DINKES")


def test_wrong_password_and_auth_failure_fault(stub_lab: Lab) -> None:
    spec = stub_lab.spec("AP-DINKES-1")
    with pytest.raises(paramiko.AuthenticationException):
        connect(spec, password="not-the-password")
    with (
        stub_lab.faulted("AP-DINKES-1", "auth-failure"),
        pytest.raises(paramiko.AuthenticationException),
    ):
        connect(spec)
    connect(spec).close()


def test_unreachable_refused_and_drop_then_clear(stub_lab: Lab) -> None:
    spec = stub_lab.spec("CR-DISDIKBUD")
    assert tcp_state(spec.address, spec.port) == "talks"
    stub_lab.fault("CR-DISDIKBUD", "unreachable")
    assert tcp_state(spec.address, spec.port) == "refused"
    stub_lab.fault("CR-DISDIKBUD", "unreachable", "drop")
    assert tcp_state(spec.address, spec.port) == "silent"
    with pytest.raises(paramiko.SSHException):
        connect(spec, banner_timeout=1.0)
    stub_lab.clear("CR-DISDIKBUD")
    assert tcp_state(spec.address, spec.port) == "talks"
    connect(spec).close()


def test_unreachable_closes_the_api_port_too(stub_lab: Lab) -> None:
    spec = stub_lab.spec("RTR-DINKES")
    assert spec.api_port
    assert tcp_state(spec.address, spec.api_port) != "refused"
    with stub_lab.faulted("RTR-DINKES", "unreachable"):
        assert tcp_state(spec.address, spec.api_port) == "refused"
    assert tcp_state(spec.address, spec.api_port) != "refused"


def test_host_key_changed_until_cleared(stub_lab: Lab) -> None:
    spec = stub_lab.spec("RTR-DINKES")
    original = host_key(spec)
    stub_lab.fault("RTR-DINKES", "host-key-changed")
    rotated = host_key(spec)
    assert rotated != original
    assert host_key(spec) == rotated  # kept until cleared
    stub_lab.clear("RTR-DINKES")
    assert host_key(spec) == original


def test_strict_host_key_checking_works_against_the_lab(stub_lab: Lab, tmp_path: object) -> None:
    spec = stub_lab.spec("CR-DINKES")
    client = paramiko.SSHClient()
    client.get_host_keys().add(
        f"[{spec.address}]:{spec.port}",
        "ssh-rsa",  # an IOS router's host key is RSA, as on the real box
        paramiko.RSAKey(data=__import__("base64").b64decode(host_key(spec))),
    )
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    kwargs = {"look_for_keys": False, "allow_agent": False, "timeout": 10}
    client.connect(spec.address, spec.port, spec.username, spec.password, **kwargs)
    client.close()
    with stub_lab.faulted("CR-DINKES", "host-key-changed"), pytest.raises(paramiko.SSHException):
        client.connect(spec.address, spec.port, spec.username, spec.password, **kwargs)


def test_host_keys_are_stable_across_restart(private_lab: PrivateLab) -> None:
    lab = private_lab(rehearsal_fleet(private_slot()), env=STUB_ENV)
    before = {h: host_key(lab.spec(h)) for h in lab.hosts()}
    assert len(set(before.values())) == len(before)  # one key per device
    lab.down()
    again = Lab.up(lab.dir, specs=lab.specs, env=STUB_ENV)
    try:
        assert {h: host_key(again.spec(h)) for h in again.hosts()} == before
    finally:
        again.down()


def test_slow_adds_latency_to_every_reply(stub_lab: Lab) -> None:
    client, channel, _ = _shell(stub_lab, "RTR-DISDIKBUD")
    with stub_lab.faulted("RTR-DISDIKBUD", "slow", "400"):
        started = time.monotonic()
        channel.send(b"ping\r")
        out = read_until(channel, b"] > ")
        elapsed = time.monotonic() - started
    client.close()
    assert b"ok: ping" in out
    assert elapsed >= 0.4  # a lower bound set by the fault itself, not a speed target


def test_hang_sends_part_then_nothing_and_keeps_the_session(stub_lab: Lab) -> None:
    client, channel, _ = _shell(stub_lab, "CR-DINKES")
    with stub_lab.faulted("CR-DINKES", "hang"):
        channel.send(b"export\r\n")
        out, closed = read_for(channel, 1.5)
        assert not closed
        assert b"item 0\r\n" in out
        assert b"end\r\n" not in out
        assert not channel.closed
        assert client.get_transport() is not None
        assert client.get_transport().is_active()
    client.close()


def test_truncate_sends_part_then_drops_the_connection(stub_lab: Lab) -> None:
    client, channel, _ = _shell(stub_lab, "AP-DINKES-1")
    with stub_lab.faulted("AP-DINKES-1", "truncate"):
        channel.send(b"export\r\n")
        out, closed = read_for(channel, 5.0)
    client.close()
    assert closed
    assert b"item 0\r\n" in out
    assert b"end\r\n" not in out


def test_bulk_output_is_whole_without_faults(stub_lab: Lab) -> None:
    client, channel, _ = _shell(stub_lab, "AP-DINKES-1")
    channel.send(b"export\r\n")
    out = read_until(channel, b"end\r\n")
    client.close()
    assert out.count(b"item ") == 400


def test_device_faults_go_to_the_personality_and_clear(stub_lab: Lab) -> None:
    stub_lab.fault("RTR-DINKES", "high-cpu", "93")
    stub_lab.fault("RTR-DINKES", "wrong-dns")
    assert stub_lab.snapshot("RTR-DINKES")["faults"] == {"high-cpu": "93", "wrong-dns": None}
    status = {d["hostname"]: d for d in stub_lab.client.status()}
    assert status["RTR-DINKES"]["faults"] == {"high-cpu": "93", "wrong-dns": None}
    stub_lab.clear("RTR-DINKES")
    assert stub_lab.snapshot("RTR-DINKES")["faults"] == {}


def test_faults_from_the_fleet_file_are_on_at_start(private_lab: PrivateLab) -> None:
    specs = rehearsal_fleet(private_slot())
    specs[0].faults = {"auth-failure": None, "low-memory": None}
    lab = private_lab(specs, env=STUB_ENV)
    with pytest.raises(paramiko.AuthenticationException):
        connect(lab.spec(specs[0].hostname))
    assert lab.snapshot(specs[0].hostname)["faults"] == {"low-memory": None}


def test_exec_output_honours_truncate(stub_lab: Lab) -> None:
    client = connect(stub_lab.spec("CR-DISDIKBUD"))
    with stub_lab.faulted("CR-DISDIKBUD", "truncate"):
        _, stdout, _ = client.exec_command("x" * 200)
        out = stdout.read()
    client.close()
    assert 0 < len(out) < len("exec: " + "x" * 200)


def test_shell_without_pty(stub_lab: Lab) -> None:
    spec = stub_lab.spec("RTR-DISDIKBUD")

    async def session() -> str:
        async with asyncssh.connect(
            spec.address,
            spec.port,
            username=spec.username,
            password=spec.password,
            known_hosts=None,
        ) as conn:
            process = await conn.create_process(term_type=None)  # no PTY request
            process.stdin.write("hi\r\nquit\r\n")
            output = await asyncio.wait_for(process.stdout.read(), 10)
            return str(output)

    output = asyncio.run(session())
    assert "ok: hi\r\n" in output
    assert stub_lab.history("RTR-DISDIKBUD") == ["hi", "quit"]


def test_a_non_loopback_spec_is_refused_before_starting(tmp_path: Path) -> None:
    spec = replace(rehearsal_fleet(private_slot())[0], address="10.0.0.1")
    with pytest.raises(InputError, match="not a loopback"):
        Lab.up(tmp_path / "lab", specs=[spec], env=STUB_ENV)
    assert not (tmp_path / "lab" / "lab.pid").exists()


def test_a_pasted_block_of_lines_is_read_line_by_line(stub_lab: Lab) -> None:
    client, channel, _ = _shell(stub_lab, "RTR-DINKES")
    lines = [f"/ip dns set servers=10.0.0.{n}" for n in range(300)]
    channel.sendall("".join(f"{line}\r\n" for line in lines).encode())
    out = read_until(channel, b"ok: " + lines[-1].encode() + b"\r\n")
    client.close()
    assert out.count(b"ok: ") == 300
    assert stub_lab.history("RTR-DINKES") == lines


def test_ssh_banner_names_the_platform(stub_lab: Lab) -> None:
    banners = {}
    for host in ("RTR-DINKES", "CR-DINKES"):
        spec = stub_lab.spec(host)
        with socket.create_connection((spec.address, spec.port), timeout=5) as sock:
            banners[host] = sock.recv(256).split(b"\r\n")[0]
    assert banners == {"RTR-DINKES": b"SSH-2.0-ROSSSH", "CR-DINKES": b"SSH-2.0-Cisco-1.25"}


def test_ios_router_offers_only_what_classic_ios_15_has(stub_lab: Lab) -> None:
    """SHA-1 key exchange and `ssh-rsa` host-key signatures only, as a real IOS 15 box: a client
    stack without them (paramiko 5) fails here exactly as it would in the field."""
    spec = stub_lab.spec("CR-DINKES")
    with socket.create_connection((spec.address, spec.port), timeout=10) as sock:
        transport = paramiko.Transport(sock)
        try:
            transport.start_client(timeout=10)
            assert transport.host_key_type == "ssh-rsa"
            assert transport.remote_cipher.startswith(("aes", "3des"))
            assert transport.remote_mac.startswith("hmac-sha1")
        finally:
            transport.close()
    with socket.create_connection((spec.address, spec.port), timeout=10) as sock:
        modern_only = paramiko.Transport(
            sock,
            disabled_algorithms={
                "kex": [
                    "diffie-hellman-group-exchange-sha1",
                    "diffie-hellman-group14-sha1",
                    "diffie-hellman-group1-sha1",
                ],
            },
        )
        try:
            with pytest.raises(paramiko.SSHException, match=r"Incompatible|no acceptable"):
                modern_only.start_client(timeout=10)
        finally:
            modern_only.close()


def test_reset_of_a_personality_without_reset_is_refused_in_one_line(
    private_lab: PrivateLab,
) -> None:
    env = dict(STUB_ENV)
    env["NETRAWAT_LAB_PERSONALITIES"] = "cisco_ios=lab_stub:NoResetDevice"
    specs = [s for s in rehearsal_fleet(private_slot()) if s.hostname == "CR-DINKES"]
    lab = private_lab(specs, env=env)
    with pytest.raises(InputError, match="cannot reset") as raised:
        lab.reset("CR-DINKES")
    assert "netrawat lab down" in raised.value.hint
