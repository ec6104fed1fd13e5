"""The IOS configuration archive and Configuration Rollback Confirmed Change.

What the lab reproduces (Cisco "Configuration Replace and Configuration Rollback" and
"Configuration Rollback Confirmed Change" guides; NAPALM's ios driver; ntc-templates'
``show archive`` captures):

- ``archive`` / `` path flash:archive-`` / `` maximum N`` in the running configuration;
  without a path ``show archive`` says `` Archive feature not enabled``.
- ``configure terminal revert timer [idle] MINUTES`` (1-120) backs the running configuration
  up to the archive (``Rollback Confirmed Change: Backing up current running config to
  flash:archive-Dec--1-23-30-12.345-WIB-0``) and enters configuration mode; unless
  ``configure confirm`` comes within the time, the device goes back to that configuration
  by itself, whatever happened to the session. Without an archive path it refuses with
  ``%Please turn config archive on`` (the message NAPALM looks for).
- ``configure revert now`` rolls back at once, ``configure revert timer MINUTES`` resets it.
- ``show archive config rollback timer``: ``No Rollback Confirmed Change pending``, or the
  time configured, timer type and value and user (the fields NAPALM parses).

Minutes run on the lab's device clock (`netrawat_lab.timescale`): tests make them seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from netrawat_lab.ios.config import IOSConfig
from netrawat_lab.timescale import device_minutes

if TYPE_CHECKING:
    from netrawat_lab.ios.state import Runtime

REVERT_MIN, REVERT_MAX = 1, 120
DEFAULT_MAXIMUM = 10
NOT_ENABLED = " Archive feature not enabled\n"
TURN_ON = "%Please turn config archive on\n"
NO_PENDING = "No Rollback Confirmed Change pending\n"
BACKING_UP = "Rollback Confirmed Change: Backing up current running config to {name}\n"


@dataclass
class Pending:
    """An armed revert timer: the configuration to go back to, and when."""

    name: str
    config: IOSConfig
    user: str
    minutes: int
    kind: str
    since: datetime
    handles: list[asyncio.TimerHandle] = field(default_factory=list)

    def cancel(self) -> None:
        for handle in self.handles:
            handle.cancel()
        self.handles.clear()


@dataclass
class Archive:
    """Archived configurations and the pending confirmed change of one router."""

    files: list[str] = field(default_factory=list)
    pending: Pending | None = None
    count: int = 0

    def reset(self) -> None:
        if self.pending is not None:
            self.pending.cancel()
        self.files.clear()
        self.pending, self.count = None, 0


def archive_setting(config: IOSConfig, key: str) -> str | None:
    """A child of the ``archive`` section (``path``, ``maximum``), or None."""
    block = config.find("archive")
    if block is None:
        return None
    for child in block.children:
        if child.split()[0] == key and len(child.split()) > 1:
            return child.split(None, 1)[1]
    return None


def _file_name(rt: Runtime, path: str, number: int) -> str:
    """``flash:archive-Dec--1-23-30-12.345-WIB-0`` (the day padded with a dash, as IOS does)."""
    now = rt.state.now()
    day = f"{now.day:>2}".replace(" ", "-")
    stamp = f"{now:%b}-{day}-{now:%H-%M-%S}.{now.microsecond // 1000:03d}-WIB"
    return f"{path.replace('$h', rt.running.hostname)}{stamp}-{number}"


def archive_now(rt: Runtime) -> str | None:
    """Save the running configuration to the archive; its name (None: no archive path)."""
    path = archive_setting(rt.running, "path")
    if path is None:
        return None
    name = _file_name(rt, path, rt.archive.count)
    rt.archive.count += 1
    rt.archive.files.append(name)
    maximum = archive_setting(rt.running, "maximum")
    keep = int(maximum) if maximum and maximum.isdigit() else DEFAULT_MAXIMUM
    del rt.archive.files[:-keep]
    return name


def arm(rt: Runtime, user: str, minutes: int, kind: str = "absolute") -> str:
    """``configure terminal revert timer``: what IOS prints before the configuration banner,
    or `TURN_ON` (then configuration mode is not entered: see `armed`)."""
    if rt.archive.pending is not None:  # a new request replaces the running timer
        _schedule(rt, rt.archive.pending, minutes)
        rt.archive.pending.minutes = minutes
        return ""
    name = archive_now(rt)
    if name is None:
        return TURN_ON
    pending = Pending(name, rt.running.copy(), user, minutes, kind, rt.state.now())
    rt.archive.pending = pending
    _schedule(rt, pending, minutes)
    return BACKING_UP.format(name=name) + "\n"


def armed(reply: str) -> bool:
    """Whether `arm` accepted the request."""
    return reply != TURN_ON


def confirm(rt: Runtime, user: str) -> str:
    """``configure confirm``: keep the changes, stop the timer."""
    pending = rt.archive.pending
    if pending is None:
        return ""
    pending.cancel()
    rt.archive.pending = None
    rt.state.add_log(
        f"%ARCHIVE_DIFF-5-ROLLBK_CNFMD_CHG_CONFIRM: User: {user}(Priv: 15, View: 0): "
        "Confirm the configuration change"
    )
    return ""


def revert_now(rt: Runtime) -> None:
    """Go back to the archived configuration (timer expiry or ``configure revert now``)."""
    pending = rt.archive.pending
    if pending is None:
        return
    pending.cancel()
    rt.archive.pending = None
    rt.state.add_log(
        f"%ARCHIVE_DIFF-5-ROLLBK_CNFMD_CHG_ROLLBACK_START: Start rolling to: {pending.name}"
    )
    rt.running = pending.config.copy()
    rt.mark_changed(pending.user)
    if rt.on_revert is not None:
        rt.on_revert()


def show_rollback_timer(rt: Runtime) -> str:
    """``show archive config rollback timer``."""
    pending = rt.archive.pending
    if pending is None:
        return NO_PENDING
    since = pending.since
    return (
        f"Time configured(or reset)  : {since:%H:%M:%S} WIB {since:%a %b} {since.day} "
        f"{since.year}\n"
        f"Timer type: {pending.kind}\n"
        f"Timer value: {pending.minutes} min\n"
        f"User: {pending.user}\n"
    )


def show_archive(rt: Runtime) -> str:
    """``show archive`` (layout of the ntc-templates captures)."""
    path = archive_setting(rt.running, "path")
    if path is None:
        return NOT_ENABLED
    maximum = archive_setting(rt.running, "maximum")
    keep = int(maximum) if maximum and maximum.isdigit() else DEFAULT_MAXIMUM
    files = rt.archive.files
    lines = [
        f"The maximum archive configurations allowed is {keep}.",
        f"There are currently {len(files)} archive configurations saved.",
        f"The next archive file will be named {_file_name(rt, path, rt.archive.count)}",
        " Archive #  Name",
    ]
    for number in range(1, keep + 1):
        if number <= len(files):
            recent = " <- Most Recent" if number == len(files) else ""
            lines.append(f"   {number:<9}{files[number - 1]}{recent}")
        else:
            lines.append(f"   {number}")
    return "\n".join(lines) + "\n"


def _schedule(rt: Runtime, pending: Pending, minutes: int) -> None:
    pending.cancel()
    pending.since = rt.state.now()
    with contextlib.suppress(RuntimeError):  # outside an event loop nothing is scheduled
        loop = asyncio.get_running_loop()
        if minutes > 1:
            pending.handles.append(loop.call_later(device_minutes(minutes - 1), _warn, rt, pending))
        pending.handles.append(loop.call_later(device_minutes(minutes), revert_now, rt))


def _warn(rt: Runtime, pending: Pending) -> None:
    rt.state.add_log(
        "%ARCHIVE_DIFF-5-ROLLBK_CNFMD_CHG_WARNING_ABSTIMER: System will rollback to config "
        f'{pending.name} in one minute. Enter "configure confirm" if you wish to keep what '
        "you've configured"
    )
