"""What each platform's SSH server offers, as data (passed to ``asyncssh.create_server``).

Classic Cisco IOS 15 ("SSH-2.0-Cisco-1.25") knows only SHA-1 key exchange
(``diffie-hellman-group-exchange-sha1``, ``diffie-hellman-group14-sha1``), ``ssh-rsa`` host-key
signatures, AES/3DES and ``hmac-sha1``: the SHA-2 algorithms came with IOS XE 16.x/17.x. A client
library that dropped them (paramiko 5) cannot reach such a router, and the lab must fail the same
way. RouterOS 7 runs a modern sshd (curve25519, Ed25519/RSA-SHA2, AES-GCM/CTR, with the SHA-1
fallbacks unless ``/ip ssh set strong-crypto=yes``): asyncssh's defaults stand in for it.
"""

from __future__ import annotations

from collections.abc import Mapping

import asyncssh

HOST_KEY_ALGORITHMS: Mapping[str, list[bytes]] = {"cisco_ios": [b"ssh-rsa"]}
"""Host-key signature algorithms offered, where narrower than what the key type allows."""

SSH_ALGORITHMS: Mapping[str, Mapping[str, list[str]]] = {
    "cisco_ios": {
        "kex_algs": [
            "diffie-hellman-group-exchange-sha1",
            "diffie-hellman-group14-sha1",
        ],
        "encryption_algs": ["aes128-ctr", "aes192-ctr", "aes256-ctr", "aes128-cbc", "3des-cbc"],
        "mac_algs": ["hmac-sha1", "hmac-sha1-96"],
        "compression_algs": ["none"],
    },
}


def algorithms_for(platform: str) -> Mapping[str, list[str]]:
    """asyncssh server options limiting the algorithms to the platform's (empty: defaults)."""
    return SSH_ALGORITHMS.get(platform, {})


def host_keypair(key: asyncssh.SSHKey, platform: str) -> asyncssh.SSHKeyPair:
    """The device's host key, offered only with the platform's own signature algorithms."""
    (keypair,) = asyncssh.load_keypairs([key])
    narrowed = HOST_KEY_ALGORITHMS.get(platform)
    if narrowed:
        keypair.host_key_algorithms = narrowed
        keypair.sig_algorithms = narrowed
    return keypair
