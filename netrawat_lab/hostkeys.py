"""Stable SSH host keys for lab devices, kept in ``DIR/hostkeys/<hostname>`` across restarts.

Each platform gets the key type its real sshd has (`KEY_ALGORITHMS`): an IOS router an RSA
key (``crypto key generate rsa modulus 2048``; IOS has no Ed25519 host keys), RouterOS 7
devices Ed25519. The RSA key is offered with SHA-2 signatures (``rsa-sha2-256/512``): the
pinned paramiko 5 no longer accepts SHA-1 ``ssh-rsa`` host keys at all, so a box that signs
only with ``ssh-rsa`` could not be reached by netmiko.

An RSA-2048 key takes ~75 ms to generate, so a lab's missing keys are generated together on a
thread pool (OpenSSL releases the GIL): 200 devices with 33 IOS routers take ~1 s on 2 cores,
once. Keys kept in DIR load without the RSA consistency check (as slow as generating; they
were written here). A key already on disk is used whatever its type (older labs keep theirs).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import asyncssh

KEY_ALGORITHMS: Mapping[str, str] = {"cisco_ios": "ssh-rsa", "mikrotik_routeros": "ssh-ed25519"}
DEFAULT_ALGORITHM = "ssh-ed25519"
RSA_BITS = 2048


def new_host_key(platform: str = "") -> asyncssh.SSHKey:
    """A freshly generated host key of the platform's type (``host-key-changed`` too)."""
    algorithm = KEY_ALGORITHMS.get(platform, DEFAULT_ALGORITHM)
    if algorithm == "ssh-rsa":
        return asyncssh.generate_private_key(algorithm, key_size=RSA_BITS)
    return asyncssh.generate_private_key(algorithm)


def _save(path: Path, key: asyncssh.SSHKey) -> asyncssh.SSHKey:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key.export_private_key())
    return key


def load_or_create(directory: Path, hostname: str, platform: str = "") -> asyncssh.SSHKey:
    """The device's host key from ``directory``, generating and saving it (0600) the first time."""
    path = directory / hostname
    if path.exists():  # written by this module: the slow RSA consistency check is not needed
        return asyncssh.read_private_key(path, unsafe_skip_rsa_key_validation=True)
    directory.mkdir(parents=True, exist_ok=True)
    return _save(path, new_host_key(platform))


def load_or_create_all(
    directory: Path, devices: Iterable[tuple[str, str]]
) -> dict[str, asyncssh.SSHKey]:
    """``load_or_create`` for many ``(hostname, platform)`` at once, generating the missing
    keys in parallel."""
    wanted = list(devices)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        keys = pool.map(lambda dev: load_or_create(directory, *dev), wanted)
        return {hostname: key for (hostname, _), key in zip(wanted, keys, strict=True)}


def public_line(key: asyncssh.SSHKey) -> str:
    """``ssh-ed25519 AAAA...`` / ``ssh-rsa AAAA...`` for known_hosts files."""
    algorithm, blob = key.export_public_key().decode().split()[:2]
    return f"{algorithm} {blob}"
