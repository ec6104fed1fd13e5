"""Password rules and hashing (argon2id, argon2-cffi's recommended parameters).

>>> weakness("", "budi")
'the password is empty'
>>> weakness("rahasia", "budi")
'the password is shorter than 12 characters'
>>> weakness("budi-budi-budi", "budi") is not None
True
>>> weakness("kopi pagi di tepi Kapuas", "budi") is None
True
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from netrawat.errors import InputError

MIN_LENGTH = 12
MAX_LENGTH = 1024
MIN_DISTINCT = 6
COMMON = frozenset(
    {
        "password1234",
        "passw0rd1234",
        "123456789012",
        "qwertyuiop12",
        "administrator",
        "pontianak123",
        "diskominfo123",
        "netrawat1234",
        "kotapontianak",
        "rahasia12345",
    }
)

_HASHER = PasswordHasher()
_DUMMY = _HASHER.hash("a password nobody has, for timing")


def weakness(password: str, username: str) -> str | None:
    """Why ``password`` is too weak for ``username``, or None when it is acceptable."""
    if not password:
        return "the password is empty"
    if len(password) < MIN_LENGTH:
        return f"the password is shorter than {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"the password is longer than {MAX_LENGTH} characters"
    if len(set(password)) < MIN_DISTINCT:
        return f"the password uses fewer than {MIN_DISTINCT} different characters"
    lowered = password.lower()
    if lowered in COMMON:
        return "the password is a well-known one"
    if username and username.lower() in lowered:
        return "the password contains the user name"
    return None


def check_strength(password: str, username: str) -> None:
    """Raise `InputError` (exit code 2) when the password is weak."""
    reason = weakness(password, username)
    if reason:
        raise InputError(
            f"password refused: {reason}",
            f"use at least {MIN_LENGTH} characters, e.g. a few unrelated words",
        )


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (salted, with its parameters)."""
    return _HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches the stored hash. Unknown users (``stored`` None) cost the
    same time as known ones, so the answer does not tell which names exist."""
    try:
        return _HASHER.verify(stored or _DUMMY, password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """Whether the stored hash uses older parameters than the current ones."""
    return _HASHER.check_needs_rehash(stored)
