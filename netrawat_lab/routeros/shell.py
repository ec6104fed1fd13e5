"""The interactive RouterOS shell over a lab `Terminal`: login screens, banner, prompt,
one command per line, bulk output through `Terminal.write_bulk`, commands that run until
Ctrl-C (``/ping`` without ``count=``: one row a second).

The echo of a typed command wraps at the console width like the real line editor: the ``w``
login option (netmiko's ``+ct511w4098h``: 511 columns, so its commands do not wrap), else the
pty width (80 for a plain shell), counted from the end of the prompt.

Bytes as RouterOS 7 sends them: ``\\r\\n`` line ends, the prompt printed unasked after login
(``[admin@RTR-DINKES] > ``) and last in every reply, with nothing but a space after it.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from netrawat_lab.contract import Terminal
from netrawat_lab.routeros import login
from netrawat_lab.routeros.actions import ACTIONS
from netrawat_lab.routeros.commands import Endless, Reply, Session, run_line
from netrawat_lab.routeros.hardware import VERSION
from netrawat_lab.routeros.login import CTRL_C
from netrawat_lab.routeros.safemode import (
    CTRL_D,
    CTRL_X,
    HIJACK,
    RELEASED,
    TAKEN,
)

if TYPE_CHECKING:
    from netrawat_lab.routeros.device import RouterOSDevice

CRLF = "\r\n"
LOGO = (
    "  MMM      MMM       KKK                          TTTTTTTTTTT      KKK",
    "  MMMM    MMMM       KKK                          TTTTTTTTTTT      KKK",
    "  MMM MMMM MMM  III  KKK  KKK  RRRRRR     OOOOOO      TTT     III  KKK  KKK",
    "  MMM  MM  MMM  III  KKKKK     RRR  RRR  OOO  OOO     TTT     III  KKKKK",
    "  MMM      MMM  III  KKK KKK   RRRRRR    OOO  OOO     TTT     III  KKK KKK",
    "  MMM      MMM  III  KKK  KKK  RRR  RRR   OOOOOO      TTT     III  KKK  KKK",
    "",
    f"  MikroTik RouterOS {VERSION} (c) 1999-2024       https://www.mikrotik.com/",
    "",
    "Press F1 for help",
    "",
)


def prompt(device: RouterOSDevice, session: Session) -> str:
    """``[admin@RTR-DINKES] > `` at the root, ``[admin@RTR-DINKES] /ip address> `` in a menu;
    in safe mode ``>`` becomes ``<SAFE>`` (``[admin@RTR-DINKES] /ip/route<SAFE> ``)."""
    identity = device.model.value("/system/identity", "name")
    where = "/" + " ".join(session.path) if session.path else ""
    end = "<SAFE> " if device.safe_mode.held_by(session) else "> "
    return f"[{session.user}@{identity}] {where}{end}"


async def serve_shell(device: RouterOSDevice, term: Terminal) -> None:
    """Serve one shell session until ``quit``, Ctrl-D or disconnect (which, in safe mode,
    decides what happens to the changes: see `netrawat_lab.routeros.safemode`)."""
    session = Session(device.login_name(term.username))
    key = device.live.login(session.user)
    ended = ["lost"]
    try:
        await _serve(device, term, session, ended)
    finally:
        device.live.logout(key)
        device.safe_mode.session_ended(session, ended[0])


async def _serve(
    device: RouterOSDevice, term: Terminal, session: Session, ended: list[str]
) -> None:
    screens = device.faults.has("startup-screens")
    if screens and not await login.before_logo(term):
        return
    logo = [line.replace(VERSION, device.live.release) for line in LOGO]
    await term.write(CRLF.join(logo) + CRLF)
    if screens and not await login.after_logo(device, term):
        return
    width = echo_width(device, term)
    while True:
        shown = prompt(device, session)
        await term.write(shown)
        line = await term.read_line(column=len(shown), wrap_at=width, hotkeys=CTRL_X + CTRL_D)
        if line is None:
            break
        if line == CTRL_D:
            ended[0] = "ctrl-d"
            term.close()
            return
        if line == CTRL_X:
            if not await _toggle_safe_mode(device, term, session):
                return
            continue
        reply = run_line(device, session, line, ACTIONS) if line.strip() else None
        if reply is not None and reply.quit:
            ended[0] = "quit"
        if reply is not None and not await _answer(term, reply):
            return


async def _toggle_safe_mode(device: RouterOSDevice, term: Terminal, session: Session) -> bool:
    """Ctrl-X: take or release safe mode (or ask before taking it from another session);
    False if the client went away."""
    safe = device.safe_mode
    if safe.held_by(session):
        safe.release()
        await term.write(CRLF + RELEASED + CRLF)
        return True
    if safe.taken:
        await term.write(CRLF + HIJACK)
        answer = await term.read_key()
        if answer is None:
            return False
        if answer.lower() == "u":
            safe.unroll()
        elif answer.lower() == "r":
            safe.release()
        else:
            await term.write(CRLF)
            return True
        await term.write(CRLF)
    safe.take(session)
    await term.write(CRLF + TAKEN + CRLF)
    return True


def echo_width(device: RouterOSDevice, term: Terminal) -> int:
    """Where the echo wraps: the login width, or under the ``echo-wrap[=COLUMNS]`` fault that
    many columns whatever the login asked (what netmiko #3285 reports of RouterOS 7.11 with
    ``+ct511w4098h``: commands past column 80 came back split, and ``send_command`` failed)."""
    if device.faults.has("echo-wrap"):
        return int(device.faults.active.get("echo-wrap") or login.DEFAULT_ECHO_WRAP)
    return login.login_width(term.username, term.columns)


async def _answer(term: Terminal, reply: Reply) -> bool:
    """Print one reply; False once the session is over (quit, cut bulk output, gone)."""
    if reply.endless is not None:
        return await _run_endless(term, reply.endless)
    if reply.lines:
        text = CRLF.join(reply.lines) + CRLF
        if reply.bulk:
            if not await term.write_bulk(text):
                return False
        else:
            await term.write(text)
    if reply.quit:
        term.close()
        return False
    return True


async def _run_endless(term: Terminal, command: Endless) -> bool:
    """Print a row every interval until Ctrl-C, then the closing lines; keys other than
    Ctrl-C are ignored (as on the real console). False if the client went away."""
    await term.write(CRLF.join(command.opening()) + CRLF)
    while True:
        await term.write(CRLF.join(command.next_lines()) + CRLF)
        key = await _key_within(term, command.interval)
        if key is None:
            return False
        if key == CTRL_C:
            await term.write(CRLF.join(command.closing()) + CRLF + CRLF)
            return True


async def _key_within(term: Terminal, seconds: float) -> str | None:
    """Ctrl-C if it was pressed within ``seconds``, "" if not, None if the client left."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        key = await term.read_key(timeout=left)
        if key is None or key == CTRL_C:
            return key
    return ""
