"""What the API session needs from a device: the `ApiBackend` protocol and the `ApiTrap` error.

The session (``api.py``) owns the protocol: login, tags, ``/cancel``, ``/quit``, and the
generic ``print``/``getall``/``get`` (queries, ``.proplist``, ``count-only``). Everything
that touches device state goes through an `ApiBackend`: the rows of a menu, and every
other command (``add``/``set``/``remove``/``enable``/``disable``, ``/ping``, ``/export``...).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Protocol

Reply = dict[str, str]
Emit = Callable[[Mapping[str, str]], Awaitable[None]]
"""Sends one ``!re`` sentence with these attributes."""

# Trap categories as RouterOS numbers them.
CATEGORY_MISSING = 0  # missing item or command
CATEGORY_ARGUMENT = 1  # argument value failure
CATEGORY_INTERRUPTED = 2  # execution of command interrupted
CATEGORY_GENERAL = 4  # general failure
CATEGORY_API = 5  # API related failure


class ApiTrap(Exception):
    """A command failed: the session answers ``!trap =message=...`` then ``!done``."""

    def __init__(self, message: str, category: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.category = category


class ApiBackend(Protocol):
    """A device as the API session sees it."""

    version: tuple[int, ...]
    """The RouterOS release, e.g. ``(7, 16, 1)`` (7.18+ answers an empty print with ``!empty``)."""

    def rows(self, path: str, args: Mapping[str, str]) -> list[Reply]:
        """Every item of a menu (``/ip/address``) with string values, ``.id`` first for
        list menus; one row without ``.id`` for a settings menu (``/system/identity``).
        ``args`` are the print arguments (``stats``, ``detail``...). Raises `ApiTrap`
        (``no such command prefix``) for an unknown menu."""

    async def call(self, path: str, command: str, args: Mapping[str, str], emit: Emit) -> Reply:
        """Run any other command; `emit` sends ``!re`` rows as they come; the return value
        is the attributes of the final ``!done`` (e.g. ``{"ret": "*5"}`` after an add).
        Raises `ApiTrap`."""
