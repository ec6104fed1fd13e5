"""Stable SSH host keys for lab devices, kept in ``DIR/hostkeys/<hostname>`` across restarts.

Every device gets an Ed25519 key: generating one takes microseconds, so 200 devices start in
well under a second (an RSA-2048 key takes ~50 ms each; real IOS 15 has RSA only, but what the
tests need from a host key is that it is stable and can change, not its algorithm).
"""

from __future__ import annotations

import os
from pathlib import Path

import asyncssh

KEY_ALGORITHM = "ssh-ed25519"


def new_host_key() -> asyncssh.SSHKey:
    """A freshly generated host key (used for the ``host-key-changed`` fault too)."""
    return asyncssh.generate_private_key(KEY_ALGORITHM)


def load_or_create(directory: Path, hostname: str) -> asyncssh.SSHKey:
    """The device's host key from ``directory``, generating and saving it (0600) the first time."""
    path = directory / hostname
    if path.exists():
        return asyncssh.read_private_key(path)
    directory.mkdir(parents=True, exist_ok=True)
    key = new_host_key()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key.export_private_key())
    return key


def public_line(key: asyncssh.SSHKey) -> str:
    """``ssh-ed25519 AAAA...`` for known_hosts files."""
    algorithm, blob = key.export_public_key().decode().split()[:2]
    return f"{algorithm} {blob}"
