"""The interactive RouterOS shell over a lab `Terminal`: login screens, banner, prompt,
one command per line, bulk output through `Terminal.write_bulk`.

Bytes as RouterOS 7 sends them: ``\\r\\n`` line ends, the prompt printed unasked after login
(``[admin@RTR-DINKES] > ``) and last in every reply, with nothing but a space after it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netrawat.lab.contract import Terminal
from netrawat.lab.routeros.actions import ACTIONS
from netrawat.lab.routeros.commands import Session, run_line
from netrawat.lab.routeros.hardware import VERSION

if TYPE_CHECKING:
    from netrawat.lab.routeros.device import RouterOSDevice

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
NO_KEY_SCREEN = (
    "",
    "ROUTER HAS NO SOFTWARE KEY",
    "----------------------------",
    "You have 23h59m to configure the router to be remotely accessible,",
    "and to enter the key by pasting it in a Telnet window or in Winbox.",
    "Turn off the device to stop the timer.",
    "See www.mikrotik.com/key for more details.",
    "",
    'Current installation "software ID": {software_id}',
    'Please press "Enter" to continue!',
)
DEFCONF_SCREEN = (
    "",
    "The following default configuration has been installed on your router:",
    "-------------------------------------------------------------------------------",
    "Welcome to RouterOS!",
    "   1) Set a strong router password in the System > Users menu",
    "   2) Upgrade the software in the System > Packages menu",
    "   3) Enable firewall on untrusted networks",
    "-------------------------------------------------------------------------------",
    "IP address 192.168.88.1/24 is set on bridge",
    "",
    'You can type "v" to see the exact commands that are used to add and remove',
    'this default configuration, to remove this default configuration type "r"',
    "or hit any other key to continue.",
)


def prompt(device: RouterOSDevice, session: Session) -> str:
    """``[admin@RTR-DINKES] > `` at the root, ``[admin@RTR-DINKES] /ip address> `` in a menu."""
    identity = device.model.value("/system/identity", "name")
    where = " ".join(session.path)
    return f"[{session.user}@{identity}] " + (f"/{where}> " if where else "> ")


async def _startup_screens(device: RouterOSDevice, term: Terminal) -> bool:
    """The screens netmiko answers with Enter; False if the client went away."""
    for screen in (NO_KEY_SCREEN, DEFCONF_SCREEN):
        text = CRLF.join(screen).replace("{software_id}", device.software_id)
        await term.write(text + CRLF)
        if await term.read_line(echo=False) is None:
            return False
    return True


async def serve_shell(device: RouterOSDevice, term: Terminal) -> None:
    """Serve one shell session until ``quit`` or disconnect."""
    session = Session(device.login_name(term.username))
    key = device.live.login(session.user)
    try:
        await _serve(device, term, session)
    finally:
        device.live.logout(key)


async def _serve(device: RouterOSDevice, term: Terminal, session: Session) -> None:
    await term.write(CRLF.join(LOGO) + CRLF)
    if device.faults.has("startup-screens") and not await _startup_screens(device, term):
        return
    await term.write(prompt(device, session))
    while True:
        line = await term.read_line()
        if line is None:
            break
        reply = run_line(device, session, line, ACTIONS) if line.strip() else None
        if reply is not None and reply.lines:
            text = CRLF.join(reply.lines) + CRLF
            if reply.bulk:
                if not await term.write_bulk(text):
                    return
            else:
                await term.write(text)
        if reply is not None and reply.quit:
            term.close()
            break
        await term.write(prompt(device, session))
