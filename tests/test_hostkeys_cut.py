"""Per-host known_hosts files: each connection parses its own host's keys only (a run over
N hosts no longer parses N² lines), with strictness and messages unchanged."""

from __future__ import annotations

import base64
import contextlib
import os
import signal
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import asyncssh
import paramiko
import pytest

from netrawat.hostkeys import Endpoint, cut_known_hosts, is_pinned, pin_key, pin_new_hosts


def _key() -> paramiko.PKey:
    public = asyncssh.generate_private_key("ssh-ed25519").export_public_key("openssh").decode()
    return paramiko.Ed25519Key(data=base64.b64decode(public.split()[1]))


def test_each_host_gets_only_its_own_keys(tmp_path: Path) -> None:
    known = tmp_path / "known_hosts"
    keys = [_key() for _ in range(3)]
    for n, key in enumerate(keys[:2]):
        assert pin_key(known, f"127.0.0.{n + 1}", 2222, key)
    endpoints = [Endpoint(f"R{n}", f"127.0.0.{n + 1}", 2222) for n in range(3)]
    files = cut_known_hosts(known, endpoints, tmp_path / "cut")
    for n in range(2):
        text = files[f"R{n}"].read_text(encoding="utf-8")
        assert text == f"[127.0.0.{n + 1}]:2222 ssh-ed25519 {keys[n].get_base64()}\n"
        assert is_pinned(files[f"R{n}"], f"127.0.0.{n + 1}", 2222)
    assert files["R2"].read_text(encoding="utf-8") == ""


def test_pinning_a_fleet_checks_each_host_once_and_keeps_hashed_entries(tmp_path: Path) -> None:
    known = tmp_path / "known_hosts"
    hashed = paramiko.HostKeys.hash_host("[127.0.0.7]:2222")
    first = _key()
    known.write_text(f"{hashed} ssh-ed25519 {first.get_base64()}\n", encoding="utf-8")
    assert not pin_key(known, "127.0.0.7", 2222, _key())
    hosts = [f"127.0.1.{n}" for n in range(1, 60)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        written = list(pool.map(lambda h: pin_key(known, h, 2222, _key()), hosts + hosts))
    assert written.count(True) == len(hosts)
    assert all(is_pinned(known, h, 2222) for h in hosts)


def test_trust_on_first_use_contacts_only_hosts_pinned_under_no_name(tmp_path: Path) -> None:
    """Pinned hosts (plain or hashed names) are never contacted; an unpinned one is. Nothing
    listens on the addresses: a contacted host shows up as unreachable."""
    known = tmp_path / "known_hosts"
    hashed = paramiko.HostKeys.hash_host("[127.0.0.7]:9")
    known.write_text(
        f"{hashed} ssh-ed25519 {_key().get_base64()}\n"
        f"[127.0.0.8]:9 ssh-ed25519 {_key().get_base64()}\n",
        encoding="utf-8",
    )
    endpoints = [
        Endpoint("HASHED", "127.0.0.7", 9),
        Endpoint("PLAIN", "127.0.0.8", 9),
        Endpoint("NEW", "127.0.0.9", 9),
    ]
    report = pin_new_hosts(endpoints, known, workers=4, timeout=2)
    assert sorted(report.unreachable) == ["NEW"] and report.pinned == []


def test_ctrl_c_while_pinning_waits_for_no_key_fetch(tmp_path: Path) -> None:
    """Ctrl-C during ``--trust-new-hosts``: the hosts queued are not contacted and a fetch
    under way is not waited for (a silent server held the run up to its connect timeout);
    nothing is pinned half-way."""
    silent = []  # SSH servers that accept and never send a banner
    for _ in range(6):
        server = socket.create_server(("127.0.0.1", 0), backlog=4)
        server.setblocking(False)
        silent.append(server)
    endpoints = [Endpoint(f"R{n}", "127.0.0.1", s.getsockname()[1]) for n, s in enumerate(silent)]
    known = tmp_path / "known_hosts"
    ctrl_c = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    ctrl_c.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            pin_new_hosts(endpoints, known, workers=2, timeout=5)
    finally:
        ctrl_c.cancel()
    still_open = contacted = 0
    for server in silent:
        with contextlib.suppress(BlockingIOError):
            client, _ = server.accept()
            contacted += 1
            client.settimeout(0.5)
            with contextlib.suppress(TimeoutError), client:
                while client.recv(4096):  # the client's own banner, then EOF once closed
                    pass
                continue  # closed: the fetch ended before Ctrl-C returned
            still_open += 1
        server.close()
    assert contacted == still_open == 2  # the two under way, left to the process's end
    assert known.read_text(encoding="utf-8") == ""


def _dss_line(name: str) -> str:
    """A well-formed ``ssh-dss`` known_hosts line (a key type paramiko 4 no longer reads)."""
    blob = paramiko.Message()
    blob.add_string("ssh-dss")
    for number in (2**1023 + 7, 2**159 + 3, 5, 12345):
        blob.add_mpint(number)
    return f"{name} ssh-dss {base64.b64encode(blob.asbytes()).decode()}\n"


def test_a_key_paramiko_cannot_read_pins_nothing(tmp_path: Path) -> None:
    """A host whose only line is of a type paramiko skips (an old RouterOS's ``ssh-dss``,
    copied from an OpenSSH known_hosts) is not pinned, as paramiko's lookup says: trust on
    first use contacts it and may pin its usable key (the one-pass scan took the line as a
    pin, and the host then failed as unknown for good)."""
    known = tmp_path / "known_hosts"
    known.write_text(_dss_line("[127.0.0.10]:9"), encoding="utf-8")
    assert not is_pinned(known, "127.0.0.10", 9)
    report = pin_new_hosts([Endpoint("OLD", "127.0.0.10", 9)], known, workers=1, timeout=2)
    assert sorted(report.unreachable) == ["OLD"]  # contacted (nothing listens there)
    key = _key()
    assert pin_key(known, "127.0.0.10", 9, key)
    files = cut_known_hosts(known, [Endpoint("OLD", "127.0.0.10", 9)], tmp_path / "cut")
    assert (
        files["OLD"].read_text(encoding="utf-8")
        == f"[127.0.0.10]:9 ssh-ed25519 {key.get_base64()}\n"
    )
