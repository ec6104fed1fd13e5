"""How netrawat's SSH client (paramiko, under netmiko and NAPALM) does its key exchange.

Two process-wide adjustments, made once before the first connection (`tune_key_exchange`);
neither disables an algorithm, so every device that connected before still connects:

- **Fixed groups before group exchange** (`fixed_groups_first`): where a device offers both
  (classic IOS: ``diffie-hellman-group-exchange-sha1`` and ``diffie-hellman-group14-sha1``),
  the fixed RFC 3526 group is asked for, saving the group-exchange round trip and its
  full-size secret exponent.
- **OpenSSH's secret exponent size** (`ShortExponentGroup14` and kin): paramiko draws a
  1023-bit random secret for the fixed 2048-bit group and raises with it twice in pure Python
  (~15 ms of CPU each on this class of machine). OpenSSH (``dh.c``, ``dh_gen_key``) draws
  ``2 * max(need, 256)`` bits, ``need`` being the strongest cipher, MAC or hash of the
  session in bits: 512 bits for group14 with SHA-1/SHA-256, 1024 bits for group16 with
  SHA-512 (the factor 2 because Pollard's rho and baby-step/giant-step attacks cost the
  square root of the exponent space). Drawing the same sizes gives the same strength as
  OpenSSH against the same routers, at a third of the CPU.
"""

from __future__ import annotations

import secrets
from typing import Any

import paramiko
from paramiko.kex_group14 import KexGroup14, KexGroup14SHA256
from paramiko.kex_group16 import KexGroup16SHA512

OPENSSH_MIN_NEED_BITS = 256
"""OpenSSH's floor for ``need`` in ``dh_gen_key``: the exponent is twice this at least."""


def openssh_exponent_bits(hash_bits: int, modulus_bits: int) -> int:
    """The secret exponent size OpenSSH draws for a fixed group: ``2 * max(need, 256)``
    capped below the modulus, ``need`` being the session's strongest primitive (the kex hash
    here; the ciphers and MACs paramiko negotiates are never stronger than SHA-512).

    >>> openssh_exponent_bits(160, 2048), openssh_exponent_bits(256, 2048)
    (512, 512)
    >>> openssh_exponent_bits(512, 4096)
    1024
    """
    return min(2 * max(hash_bits, OPENSSH_MIN_NEED_BITS), modulus_bits - 1)


def draw_exponent(bits: int) -> int:
    """A uniformly random secret exponent of exactly ``bits`` bits (top bit set, so never 0 or
    1 and always below the group order ``(p - 1) / 2`` of a larger safe-prime modulus)."""
    return secrets.randbits(bits - 1) | (1 << (bits - 1))


class OpenSSHSizedExponent:
    """Draws the secret exponent OpenSSH would for this group and hash (mixed in before a
    paramiko fixed-group class, whose ``_generate_x`` it replaces)."""

    P: int
    hash_algo: Any
    x: int

    def _generate_x(self) -> None:
        hash_bits = self.hash_algo().digest_size * 8
        self.x = draw_exponent(openssh_exponent_bits(hash_bits, self.P.bit_length()))


class ShortExponentGroup14(OpenSSHSizedExponent, KexGroup14):
    """``diffie-hellman-group14-sha1`` with OpenSSH's 512-bit secret exponent."""


class ShortExponentGroup14SHA256(OpenSSHSizedExponent, KexGroup14SHA256):
    """``diffie-hellman-group14-sha256`` with OpenSSH's 512-bit secret exponent."""


class ShortExponentGroup16SHA512(OpenSSHSizedExponent, KexGroup16SHA512):
    """``diffie-hellman-group16-sha512`` with OpenSSH's 1024-bit secret exponent."""


SHORT_EXPONENT_KEX: dict[str, type] = {
    kex.name: kex
    for kex in (ShortExponentGroup14, ShortExponentGroup14SHA256, ShortExponentGroup16SHA512)
}


def fixed_groups_first(preferred: tuple[str, ...]) -> tuple[str, ...]:
    """paramiko's key-exchange preference with each Diffie-Hellman group exchange moved just
    after the fixed 2048-bit group of the same hash (curve25519/ECDH stay first).

    paramiko draws a full 2048-bit secret exponent for group exchange: against a classic IOS
    router (``diffie-hellman-group-exchange-sha1`` and ``diffie-hellman-group14-sha1`` only)
    the fixed group costs the client a fraction of the CPU, for the same hash and group size.

    >>> fixed_groups_first(("curve25519-sha256@libssh.org", "diffie-hellman-group-exchange-sha256",
    ...     "diffie-hellman-group14-sha256", "diffie-hellman-group-exchange-sha1",
    ...     "diffie-hellman-group14-sha1", "diffie-hellman-group1-sha1"))[1:5]
    ('diffie-hellman-group14-sha256', 'diffie-hellman-group-exchange-sha256', \
'diffie-hellman-group14-sha1', 'diffie-hellman-group-exchange-sha1')
    """
    order = list(preferred)
    for hash_name in ("sha256", "sha1"):
        gex, fixed = (
            f"diffie-hellman-group-exchange-{hash_name}",
            f"diffie-hellman-group14-{hash_name}",
        )
        if gex in order and fixed in order and order.index(gex) < order.index(fixed):
            order.remove(gex)
            order.insert(order.index(fixed) + 1, gex)
    return tuple(order)


def tune_key_exchange() -> None:
    """Apply both adjustments to every paramiko connection of this process (idempotent)."""
    transport = paramiko.Transport
    transport._preferred_kex = fixed_groups_first(transport._preferred_kex)
    transport._kex_info = {**transport._kex_info, **SHORT_EXPONENT_KEX}
