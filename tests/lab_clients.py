"""Small real-SSH client helpers (paramiko) for the lab's own tests."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import paramiko

from netrawat_lab.spec import DeviceSpec
from netrawat_lab.testing import stub_env

STUB_ENV = stub_env(Path(__file__).resolve().parent)


def host_key(spec: DeviceSpec) -> str:
    """The base64 host key the device presents."""
    transport = paramiko.Transport((spec.address, spec.port))
    try:
        transport.start_client(timeout=10)
        return transport.get_remote_server_key().get_base64()
    finally:
        transport.close()


def connect(spec: DeviceSpec, password: str | None = None, **kwargs: object) -> paramiko.SSHClient:
    """A logged-in paramiko client (any host key accepted)."""
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(
        spec.address,
        spec.port,
        spec.username,
        spec.password if password is None else password,
        look_for_keys=False,
        allow_agent=False,
        timeout=10,
        **kwargs,
    )
    return client


def read_until(channel: paramiko.Channel, marker: bytes, timeout: float = 10.0) -> bytes:
    """Read from a shell channel until ``marker`` shows, the channel closes, or timeout."""
    data = b""
    deadline = time.monotonic() + timeout
    channel.settimeout(0.2)
    while marker not in data and time.monotonic() < deadline:
        try:
            chunk = channel.recv(65536)
        except TimeoutError:
            continue
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    return data


def read_for(channel: paramiko.Channel, seconds: float) -> tuple[bytes, bool]:
    """Everything received within ``seconds``, and whether the channel closed meanwhile."""
    data = b""
    deadline = time.monotonic() + seconds
    channel.settimeout(0.1)
    while time.monotonic() < deadline:
        try:
            chunk = channel.recv(65536)
        except TimeoutError:
            continue
        except OSError:
            return data, True
        if not chunk:
            return data, True
        data += chunk
    return data, False


def tcp_state(address: str, port: int) -> str:
    """``refused``, ``silent`` (accepts, sends nothing within 1 s), ``closed`` (accepts, then
    hangs up) or ``talks``."""
    with socket.socket() as sock:
        sock.settimeout(1.0)
        try:
            sock.connect((address, port))
        except ConnectionRefusedError:
            return "refused"
        try:
            return "talks" if sock.recv(64) else "closed"
        except TimeoutError:
            return "silent"
