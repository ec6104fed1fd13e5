"""Type 9 secrets (``secret 9 $9$...``): scrypt, as IOS 15.3+ stores them.

IOS type 9 is scrypt (N=16384, r=1, p=1) over a 14-character salt, written in the
``./0-9A-Za-z`` base64 alphabet: ``$9$<salt>$<43 chars>``.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets

_STD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_CISCO = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_TO_CISCO = str.maketrans(_STD, _CISCO)
_SALT_CHARS = _CISCO


def type9_hash(password: str, salt: str | None = None) -> str:
    """The ``$9$`` string IOS writes for ``password``.

    >>> type9_hash("cisco", salt="aaaaaaaaaaaaaa").startswith("$9$aaaaaaaaaaaaaa$")
    True
    """
    salt = salt or "".join(secrets.choice(_SALT_CHARS) for _ in range(14))
    digest = hashlib.scrypt(password.encode(), salt=salt.encode(), n=16384, r=1, p=1, dklen=32)
    encoded = base64.b64encode(digest).decode().rstrip("=").translate(_TO_CISCO)
    return f"$9${salt}${encoded}"


@functools.lru_cache(maxsize=64)
def seed_hash(password: str) -> str:
    """The type 9 hash a lab configuration is seeded with: the salt is derived from the
    password, so a fleet sharing one lab password costs one scrypt, and a lab restarted on
    the same fleet file shows the same configuration (no backup diff from a restart)."""
    digest = hashlib.sha256(b"netrawat-lab-salt:" + password.encode()).digest()
    salt = "".join(_SALT_CHARS[b % len(_SALT_CHARS)] for b in digest[:14])
    return type9_hash(password, salt)


def verify_secret(password: str, stored: str) -> bool:
    """Whether ``password`` matches a stored secret (type 9 hash or type 0 clear text)."""
    if stored.startswith("$9$"):
        parts = stored.split("$")
        if len(parts) != 4:
            return False
        return hmac.compare_digest(type9_hash(password, parts[2]), stored)
    return hmac.compare_digest(password, stored)
