"""Host-key policy, for real: a throwaway asyncssh server on 127.0.0.1 and real SSH clients.

Strict by default (an unknown key is refused), ``--trust-new-hosts`` pins a new key, and a
changed key is refused loudly even with ``--trust-new-hosts``: through paramiko, netmiko,
NAPALM ios and a whole `open_fleet` run.
"""

from __future__ import annotations

import asyncio
import base64
import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import asyncssh
import paramiko
import pytest
from helpers import fleet_spec
from inventory_factory import PASSWORD, write_inventory
from napalm import get_network_driver
from netmiko import ConnectHandler
from nornir.core.task import Result, Task

from netrawat.cli.main import run
from netrawat.errors import CannotRunError, HostKeyError
from netrawat.fleet import open_fleet
from netrawat.fleetspec import FleetSpec
from netrawat.hostkeys import (
    Endpoint,
    _changed_hint,
    explain,
    get_connection,
    is_pinned,
    known_hosts_name,
    pin_key,
    pin_new_hosts,
    strict_ssh_args,
)

PROMPT = "RTR-TEST#"


class _AnyPassword(asyncssh.SSHServer):
    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        return password == PASSWORD


async def _shell(process: asyncssh.SSHServerProcess[str]) -> None:
    """Just enough of an IOS exec shell for netmiko: echo, prompt, `exit`."""
    process.stdout.write(PROMPT)
    while True:
        line = await process.stdin.readline()
        command = line.strip()
        if not line or command == "exit":
            break
        reply = "12:00:00.000 WIB Mon Nov 23 2026\r\n" if command == "show clock" else ""
        process.stdout.write(f"{command}\r\n{reply}{PROMPT}")
    process.exit(0)


class StubSSHServer:
    """An SSH server in a background event loop whose host key can be swapped."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.server: asyncssh.SSHAcceptor | None = None
        self.port = 0
        self.key = asyncssh.generate_private_key("ssh-ed25519")
        self.start(self.key)

    def _call(self, awaitable: Any) -> Any:
        async def wait() -> Any:
            return await awaitable

        return asyncio.run_coroutine_threadsafe(wait(), self.loop).result(timeout=10)

    def start(self, key: asyncssh.SSHKey) -> None:
        """(Re)start listening on the same port with ``key`` as host key."""
        self._close()
        self.key = key
        self.server = self._call(
            asyncssh.create_server(
                _AnyPassword,
                "127.0.0.1",
                self.port,
                server_host_keys=[key],
                process_factory=_shell,
                line_editor=False,
                encoding="utf-8",
            )
        )
        self.port = self.server.sockets[0].getsockname()[1]

    def swap_key(self) -> None:
        """The device now presents another key (replaced box or man in the middle)."""
        self.start(asyncssh.generate_private_key("ssh-ed25519"))

    def _close(self) -> None:
        """Close the listener inside its own loop (asyncio objects are not thread-safe)."""
        server, self.server = self.server, None
        if server is None:
            return

        async def close() -> None:
            server.close()
            await server.wait_closed()

        asyncio.run_coroutine_threadsafe(close(), self.loop).result(timeout=10)

    def stop(self) -> None:
        self._close()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


@pytest.fixture
def server() -> Iterator[StubSSHServer]:
    stub = StubSSHServer()
    yield stub
    stub.stop()


@pytest.fixture
def known_hosts(tmp_path: Path) -> Path:
    return tmp_path / "state" / "known_hosts"


def _pin(server: StubSSHServer, known_hosts: Path) -> None:
    report = pin_new_hosts(
        [Endpoint("RTR-TEST", "127.0.0.1", server.port)], known_hosts, workers=2, timeout=5
    )
    assert report.pinned == ["RTR-TEST"] and not report.unreachable


def _netmiko(server: StubSSHServer, known_hosts: Path) -> Any:
    return ConnectHandler(
        device_type="cisco_ios",
        host="127.0.0.1",
        port=server.port,
        username="netops",
        password=PASSWORD,
        conn_timeout=5,
        allow_agent=False,
        use_keys=False,
        **strict_ssh_args(known_hosts),
    )


def test_known_hosts_name_uses_brackets_for_non_22_ports() -> None:
    assert known_hosts_name("10.250.4.1", 22) == "10.250.4.1"
    assert known_hosts_name("127.0.0.1", 2222) == "[127.0.0.1]:2222"


def test_netmiko_refuses_an_unknown_key_in_strict_mode(
    server: StubSSHServer, known_hosts: Path
) -> None:
    with pytest.raises(Exception) as caught:
        _netmiko(server, known_hosts)
    error = explain(caught.value, known_hosts)
    assert error is not None and "unknown SSH host key" in error.message
    assert f"[127.0.0.1]:{server.port}" in error.message
    assert "--trust-new-hosts" in error.hint


def test_tofu_pins_in_openssh_format_then_netmiko_connects(
    server: StubSSHServer, known_hosts: Path
) -> None:
    _pin(server, known_hosts)
    line = known_hosts.read_text(encoding="utf-8").strip()
    public = server.key.export_public_key("openssh").decode().split()[1]
    assert line == f"[127.0.0.1]:{server.port} ssh-ed25519 {public}"
    connection = _netmiko(server, known_hosts)
    try:
        assert "2026" in connection.send_command("show clock")
    finally:
        connection.disconnect()


def test_pinning_twice_keeps_the_first_key(server: StubSSHServer, known_hosts: Path) -> None:
    _pin(server, known_hosts)
    before = known_hosts.read_text(encoding="utf-8")
    server.swap_key()
    report = pin_new_hosts(
        [Endpoint("RTR-TEST", "127.0.0.1", server.port)], known_hosts, workers=2, timeout=5
    )
    assert report.pinned == []
    assert known_hosts.read_text(encoding="utf-8") == before


def test_changed_key_is_refused_loudly_by_paramiko_and_netmiko(
    server: StubSSHServer, known_hosts: Path
) -> None:
    _pin(server, known_hosts)
    server.swap_key()
    client = paramiko.SSHClient()
    client.load_host_keys(str(known_hosts))
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    with pytest.raises(paramiko.BadHostKeyException) as raw:
        client.connect(
            "127.0.0.1", server.port, "netops", PASSWORD, allow_agent=False, look_for_keys=False
        )
    client.close()
    with pytest.raises(Exception) as caught:
        _netmiko(server, known_hosts)
    for exc in (raw.value, caught.value):
        error = explain(exc, known_hosts)
        assert error is not None and "SSH HOST KEY CHANGED for 127.0.0.1: pinned SHA256:" in (
            error.message
        )
        assert "ssh-keygen -R" in error.hint
    # the hint names the server as known_hosts does: [ADDR]:PORT off port 22 (issue 15.9)
    named = explain(raw.value, known_hosts, known_hosts_name("127.0.0.1", server.port))
    assert named is not None and f"-R '[127.0.0.1]:{server.port}'" in named.hint
    assert "-R '127.0.0.1' " in _changed_hint("kh", known_hosts_name("127.0.0.1", 22))


def test_napalm_ios_is_strict_against_the_same_file(
    server: StubSSHServer, known_hosts: Path
) -> None:
    driver = get_network_driver("ios")
    optional_args = {"port": server.port, "conn_timeout": 5, **strict_ssh_args(known_hosts)}
    device = driver("127.0.0.1", "netops", PASSWORD, timeout=5, optional_args=optional_args)
    with pytest.raises(Exception) as caught:
        device.open()
    error = explain(caught.value, known_hosts)
    assert error is not None and "unknown SSH host key" in error.message


def test_explain_leaves_other_errors_alone() -> None:
    assert explain(TimeoutError("timed out")) is None
    assert explain(HostKeyError("x", "y")) is not None


# --- a whole fleet run ----------------------------------------------------------------


def _clock(task: Task) -> Result:
    connection = get_connection(task, "netmiko")
    return Result(host=task.host, result=connection.send_command("show clock"))


def _fleet_options(tmp_path: Path, server: StubSSHServer, trust: bool) -> FleetSpec:
    hosts = {
        "RTR-TEST": {
            "hostname": "127.0.0.1",
            "port": server.port,
            "platform": "cisco_ios",
            "groups": ["opd_test"],
            "data": {"role": "router"},
        }
    }
    groups = {"opd_test": {"data": {"opd": "test", "opd_name": "Test", "kind": "dinas"}}}
    inventory = write_inventory(tmp_path / "inv", hosts=hosts, groups=groups)
    return fleet_spec(
        inventory=inventory, state=tmp_path / "state", trust_new_hosts=trust, workers=2
    )


def _run(options: FleetSpec) -> tuple[bool, BaseException | None]:
    with open_fleet(options) as fleet:
        result = fleet.nornir.run(task=_clock)["RTR-TEST"]
        return result.failed, result[0].exception


def test_fleet_strict_then_tofu_then_changed_key(
    server: StubSSHServer,
    tmp_path: Path,
    known_hosts: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    failed, exc = _run(_fleet_options(tmp_path, server, trust=False))
    assert isinstance(exc, HostKeyError) and "unknown SSH host key" in exc.message
    assert str(known_hosts) in exc.message
    assert not is_pinned(known_hosts, "127.0.0.1", server.port)

    failed, exc = _run(_fleet_options(tmp_path, server, trust=True))
    assert not failed, exc
    assert is_pinned(known_hosts, "127.0.0.1", server.port)
    assert f"pinned 1 new SSH host key(s) into {known_hosts}: RTR-TEST" in capsys.readouterr().err
    pinned = known_hosts.read_text(encoding="utf-8")
    listing = [
        "inventory",
        "--inventory",
        str(tmp_path / "inv"),
        "--state",
        str(tmp_path / "state"),
    ]
    assert run([*listing, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["hosts"][0]["host_key"] == "pinned"

    server.swap_key()
    failed, exc = _run(_fleet_options(tmp_path, server, trust=True))
    assert isinstance(exc, HostKeyError) and "SSH HOST KEY CHANGED for" in exc.message
    assert known_hosts.read_text(encoding="utf-8") == pinned


def test_concurrent_pinning_writes_one_line_per_host(tmp_path: Path) -> None:
    known = tmp_path / "known_hosts"
    public = asyncssh.generate_private_key("ssh-ed25519").export_public_key("openssh").decode()
    key = paramiko.Ed25519Key(data=base64.b64decode(public.split()[1]))
    with ThreadPoolExecutor(max_workers=8) as pool:
        written = list(pool.map(lambda _: pin_key(known, "127.0.0.9", 2222, key), range(32)))
    assert written.count(True) == 1
    assert known.read_text(encoding="utf-8").count("[127.0.0.9]:2222 ") == 1


def test_corrupt_known_hosts_stops_the_run_with_exit_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inventory = write_inventory(tmp_path / "inv")
    known = tmp_path / "state" / "known_hosts"
    known.parent.mkdir()
    known.write_text("[127.0.0.1]:22 ssh-ed25519 AAAA!!!notbase64\n", encoding="utf-8")
    with pytest.raises(CannotRunError, match="unreadable pinned host key"):
        open_fleet(fleet_spec(inventory=inventory, state=tmp_path / "state"))
