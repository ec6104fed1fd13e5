"""RouterOS Safe Mode, as the console manual describes it (RouterOS manual, "Console" >
"Safe Mode"; help.mikrotik.com):

- Ctrl-X toggles it; the console says ``[Safe Mode taken]`` / ``[Safe Mode released]`` and
  the prompt's ``>`` becomes ``<SAFE>`` (``[admin@MikroTik] /ip/route<SAFE> ``).
- Every configuration change made while it is held (from any session) is undone if the
  session holding it terminates abnormally: a cut connection (undone once TCP gives up on it,
  about 9 minutes) or Ctrl-D. ``/quit`` keeps the changes.
- The changes are listed in ``/system history`` with the F (floating-undo) flag.
- History keeps up to 100 actions: one more and the session is put out of safe mode,
  nothing being undone automatically.
- Only one session holds it; another one pressing Ctrl-X is asked
  ``Hijacking Safe Mode from someone - unroll/release/don't take it [u/r/d]:``.

The 9-minute TCP timeout runs on the lab's device clock (`netrawat_lab.timescale`).
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

from netrawat_lab.timescale import device_minutes

if TYPE_CHECKING:
    from netrawat_lab.routeros.commands import Session
    from netrawat_lab.routeros.device import RouterOSDevice

CTRL_X = "\x18"
CTRL_D = "\x04"
TAKEN = "[Safe Mode taken]"
RELEASED = "[Safe Mode released]"
RELEASED_BY_OTHER = "[Safe mode released by another user]"
HIJACK = "Hijacking Safe Mode from someone - unroll/release/don't take it [u/r/d]: "
MAX_ACTIONS = 100
"""The history holds up to 100 actions; past that safe mode is left, nothing undone."""
TCP_TIMEOUT_MINUTES = 9
"""A cut session is noticed (and its safe-mode changes undone) when TCP gives up."""
FLOATING = "floating-undo"


class SafeMode:
    """The device's safe mode: who holds it, and the configuration to go back to."""

    def __init__(self, device: RouterOSDevice) -> None:
        self.device = device
        self.holder: object | None = None
        self.actions = 0
        self._saved: dict[str, object] | None = None
        self._expiry: asyncio.TimerHandle | None = None
        device.model.listeners.append(self._on_change)

    def held_by(self, session: Session) -> bool:
        """Whether ``session`` holds safe mode."""
        return self.holder is session

    @property
    def taken(self) -> bool:
        """Whether any session (or a lost one not yet timed out) holds it."""
        return self.holder is not None

    def take(self, session: Session) -> None:
        """Enter safe mode: later changes can be undone back to now."""
        self._cancel_expiry()
        self.holder = session
        self.actions = 0
        self._saved = self.device.model.dump()

    def release(self) -> None:
        """Leave safe mode keeping every change (they become plain undoable history)."""
        self._cancel_expiry()
        self.holder, self._saved, self.actions = None, None, 0
        for row in self.device.live.history:
            row.pop(FLOATING, None)

    def unroll(self) -> None:
        """Undo every change made since safe mode was taken, then leave it."""
        self._cancel_expiry()
        saved = self._saved
        if saved is not None:
            self.device.model.restore(saved)
            history = self.device.live.history
            history[:] = [row for row in history if FLOATING not in row]
            self.device.live.add_log("system,info", "safe mode changes undone")
        self.holder, self._saved, self.actions = None, None, 0
        if saved is not None:
            self.device.reverted_by_device()

    def session_ended(self, session: Session, how: str) -> None:
        """The holding session ended: ``quit`` keeps the changes, ``ctrl-d`` undoes them at
        once, ``lost`` (the connection went) undoes them once TCP gives up on it."""
        if not self.held_by(session):
            return
        if how == "quit":
            self.release()
        elif how == "ctrl-d":
            self.unroll()
        else:
            self.holder = _LOST
            self._expiry = _call_later(device_minutes(TCP_TIMEOUT_MINUTES), self._expire)

    def reset(self) -> None:
        """Forget safe mode (``lab clear``)."""
        self._cancel_expiry()
        self.holder, self._saved, self.actions = None, None, 0

    def _expire(self) -> None:
        self._expiry = None
        if self.holder is _LOST:
            self.unroll()

    def _cancel_expiry(self) -> None:
        if self._expiry is not None:
            self._expiry.cancel()
            self._expiry = None

    def _on_change(self, _path: str, _operation: str, _item: str) -> None:
        """Flag the history row just written; past `MAX_ACTIONS`, leave safe mode."""
        if self.holder is None:
            return
        history = self.device.live.history
        if history:
            history[0][FLOATING] = "true"
        self.actions += 1
        if self.actions > MAX_ACTIONS:
            self.release()


class _Lost:
    """The holder of a safe mode whose session was cut (until TCP gives up on it)."""


_LOST = _Lost()


def _call_later(seconds: float, callback: object) -> asyncio.TimerHandle | None:
    """Schedule on the running loop (None outside one: scripted tests undo nothing later)."""
    with contextlib.suppress(RuntimeError):
        return asyncio.get_running_loop().call_later(seconds, callback)  # type: ignore[arg-type]
    return None
