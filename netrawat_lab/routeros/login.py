"""What a RouterOS 7.16 login shows before the first prompt, and the console options a client
puts after ``+`` in its user name.

Under the ``startup-screens`` fault a session goes through what a freshly reset, unlicensed
box shows (MikroTik manual "Console login process"; netmiko's ``special_login_handler``
answers each one): the license question (a single key, no Enter: netmiko sends ``n``), the
forced password change (``new password>``: netmiko sends Ctrl-C, which skips it until the next
login), then, after the logo, the "no software key" notice (Enter) and the default
configuration notice (any key).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from netrawat_lab.contract import Terminal

if TYPE_CHECKING:
    from netrawat_lab.routeros.device import RouterOSDevice

CRLF = "\r\n"
CTRL_C = "\x03"
ENTER = frozenset("\r\n")
LICENSE_QUESTION = "Do you want to see the software license? [Y/n]: "
LICENSE_TEXT = (
    "",
    "MikroTik RouterOS software license (shown in full on a real box, paged).",
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
OPTION = re.compile(r"(\d*)([a-z])")
DEFAULT_ECHO_WRAP = 80


def login_width(username: str, columns: int) -> int:
    """The console width of a session: the ``w`` login option (``admin+ct511w4098h`` → 511),
    else the client's pty width.

    >>> login_width("admin+ct511w4098h", 80), login_width("admin", 120), login_width("a+c", 80)
    (511, 120, 80)
    """
    _, plus, options = username.partition("+")
    for number, letter in OPTION.findall(options if plus else ""):
        if letter == "w" and number:
            return int(number)
    return columns


async def _license(term: Terminal) -> bool:
    """``[Y/n]``: ``n`` goes on, ``y``/Enter shows the license first; other keys are ignored."""
    await term.write(LICENSE_QUESTION)
    while True:
        key = await term.read_key()
        if key is None:
            return False
        if key in "nN" or key in "yY" or key in ENTER:
            shown = key if key not in ENTER else ""
            text = CRLF.join(LICENSE_TEXT) if key not in "nN" else ""
            await term.write(shown + CRLF + text + CRLF)
            return True


async def _new_password(term: Terminal) -> bool:
    """``new password>``: Ctrl-C skips (asked again at the next login); a typed one must be
    repeated. The lab keeps its login credential either way."""
    await term.write(CRLF + "Change your password" + CRLF + CRLF)
    while True:
        await term.write("new password> ")
        first = await _secret_or_cancel(term)
        if first is None:
            return False
        if first == CTRL_C:
            await term.write(CRLF)
            return True
        await term.write(CRLF + "repeat new password> ")
        second = await _secret_or_cancel(term)
        if second is None:
            return False
        if second == CTRL_C:
            await term.write(CRLF)
            return True
        if second == first and first:
            await term.write(CRLF + CRLF + "Password changed" + CRLF)
            return True
        await term.write(CRLF + CRLF + "Passwords do not match" + CRLF)


async def _secret_or_cancel(term: Terminal) -> str | None:
    """A password typed without echo, ``CTRL_C`` if cancelled, None if the client left."""
    typed: list[str] = []
    while True:
        key = await term.read_key()
        if key is None or key == CTRL_C:
            return key
        if key in ENTER:
            return "".join(typed)
        if key in "\x7f\x08":
            if typed:
                typed.pop()
        else:
            typed.append(key)


async def before_logo(term: Terminal) -> bool:
    """The license question and the password change; False if the client went away."""
    return await _license(term) and await _new_password(term)


async def after_logo(device: RouterOSDevice, term: Terminal) -> bool:
    """The no-key notice (waits for Enter) and the default-configuration notice (any key)."""
    text = CRLF.join(NO_KEY_SCREEN).replace("{software_id}", device.software_id)
    await term.write(text + CRLF)
    while True:
        key = await term.read_key()
        if key is None:
            return False
        if key in ENTER:
            break
    await term.write(CRLF.join(DEFCONF_SCREEN) + CRLF)
    return await term.read_key() is not None
