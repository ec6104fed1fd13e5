"""Device-side safety nets for applied changes: per-host settings and what one did (the
nets themselves are platform data, `PlatformProfile.safe_net`).

A change pushed over SSH can cut the path netrawat rolls back through (a firewall rule, an
address, a route, the SSH service). The devices can undo it themselves:

- **RouterOS Safe Mode** (RouterOS manual, Console > Safe Mode): Ctrl-X takes it
  (``[Safe Mode taken]``, the prompt's ``>`` becomes ``<SAFE>``); every change made while it
  is held is undone by the router if the session holding it terminates abnormally (a cut
  connection: once TCP gives up, about 9 minutes); Ctrl-X again releases it keeping the
  changes (``[Safe Mode released]``). The history holds up to 100 actions; past that the
  session is put out of safe mode and nothing is undone automatically. Another session
  holding it is announced by ``Hijacking Safe Mode from someone - unroll/release/don't take
  it [u/r/d]:``.
- **IOS Configuration Rollback Confirmed Change** (Cisco, Configuration Replace and
  Configuration Rollback): with an ``archive`` ``path`` configured, ``configure terminal
  revert timer MINUTES`` (1-120) archives the running configuration
  (``Rollback Confirmed Change: Backing up current running config to ...``); unless
  ``configure confirm`` comes in time the router rolls back to it by itself.
  ``show archive`` says ``Archive feature not enabled`` without a path; NAPALM's ios driver
  reads ``%Please turn config archive on`` and ``No Rollback Confirmed Change pending``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nornir.core.inventory import Host

from netrawat.errors import InventoryError
from netrawat.platforms import profile_for
from netrawat.platforms.profile import SafeNet

DEFAULT_TIMER_MINUTES = 5
MARGIN_S = 120.0
"""Waited beyond the device's own delay before concluding it did not undo the change."""


def safe_net_for(platform: str) -> SafeNet | None:
    """The platform's safety net (its `PlatformProfile.safe_net`), or None when it has none."""
    return profile_for(platform).safe_net


@dataclass(frozen=True)
class SafeChangeSettings:
    """Host data ``safe_change: {timer_minutes: 5, revert_wait: 660}`` (both optional):
    the IOS revert timer, and how long to wait for the device to undo a change after the
    session was lost (default: the device's own delay plus two minutes)."""

    timer_minutes: int
    revert_wait_s: float

    @classmethod
    def of(cls, host: Host, net: SafeNet) -> SafeChangeSettings:
        given = host.get("safe_change") or {}
        if not isinstance(given, dict) or set(given) - {"timer_minutes", "revert_wait"}:
            raise InventoryError(
                f"host {host.name}: key 'data.safe_change': {given!r} is not a mapping of "
                "timer_minutes, revert_wait",
                "e.g. safe_change: {timer_minutes: 5, revert_wait: 660}",
            )
        minutes = _number(host, given, "timer_minutes", DEFAULT_TIMER_MINUTES)
        if net.max_minutes and not net.min_minutes <= minutes <= net.max_minutes:
            raise InventoryError(
                f"host {host.name}: key 'data.safe_change.timer_minutes': {minutes} is not "
                f"{net.min_minutes}-{net.max_minutes}",
                "IOS takes a revert timer of 1 to 120 minutes",
            )
        device_delay = net.undo_after_loss_s + (minutes * 60 if net.max_minutes else 0)
        wait = _number(host, given, "revert_wait", device_delay + MARGIN_S)
        return cls(int(minutes), float(wait))


def _number(host: Host, given: dict[str, Any], key: str, default: float) -> float:
    value = given.get(key, default)
    if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
        raise InventoryError(
            f"host {host.name}: key 'data.safe_change.{key}': {value!r} is not a positive number",
            "use e.g. safe_change: {timer_minutes: 5, revert_wait: 660}",
        )
    return float(value)


@dataclass
class SafetyRecord:
    """What the safety net did for one host's change (report, ``--json``, recap)."""

    mechanism: str = "none"
    """``safe-mode``, ``revert-timer`` or ``none``."""
    armed: bool = False
    note: str = ""
    """Why there is no net, or what happened to it."""
    released: bool = False
    """The change was kept on purpose (Safe Mode released / ``configure confirm``)."""
    session_lost: bool = False
    device_reverted: bool | None = None
    """After a lost session: True when the device was found back as before by itself,
    False when it was reached and had not, None when not known."""
    waited_s: float = 0.0
    held_elsewhere: bool = False
    """Another session holds Safe Mode: changes made now would be undone if ITS session
    dropped (the manual: changes "also from other login sessions"), so nothing is sent."""
