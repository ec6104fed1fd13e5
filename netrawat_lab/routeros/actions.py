"""Global RouterOS commands: ``/export``, ``/ping``, ``/system backup save``, ``/import``,
``quit``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netrawat_lab.routeros.cli_parse import Token, end_expected
from netrawat_lab.routeros.commands import Command, Handler, Reply, Session, select_items
from netrawat_lab.routeros.errors import Failure, InvalidValue, NoSuchItem
from netrawat_lab.routeros.export import ExportOptions
from netrawat_lab.routeros.live import ping_times
from netrawat_lab.routeros.printing import print_settings
from netrawat_lab.routeros.values import normalise

if TYPE_CHECKING:
    from netrawat_lab.routeros.device import RouterOSDevice

EXPORT_WORDS = {"terse": "terse", "verbose": "verbose", "show-sensitive": "show_sensitive"}
EXPORT_IGNORED = frozenset({"hide-sensitive", "compact"})
PING_HEADER = "  SEQ HOST                                     SIZE TTL TIME       STATUS"


def do_export(device: RouterOSDevice, session: Session, command: Command) -> Reply:
    """``export [terse] [verbose] [show-sensitive] [hide-sensitive] [file=NAME]``."""
    flags: dict[str, bool] = {}
    file_name = ""
    v6 = device.major < 7
    if v6:  # v6 shows secrets unless hide-sensitive, and has no show-sensitive
        flags["show_sensitive"] = True
    for token in command.args:
        if v6 and token.kind == "word" and token.text == "show-sensitive":
            raise end_expected(token.column)
        if v6 and token.kind == "word" and token.text == "hide-sensitive":
            flags["show_sensitive"] = False
        elif token.kind == "word" and token.text in EXPORT_WORDS:
            flags[EXPORT_WORDS[token.text]] = True
        elif token.kind == "word" and token.text in EXPORT_IGNORED:
            continue
        elif token.kind == "arg" and token.name == "file":
            file_name = token.value
        else:
            raise end_expected(token.column)
    text = device.export_text(ExportOptions(**flags), command.path)
    if file_name:
        name = file_name if file_name.endswith(".rsc") else file_name + ".rsc"
        device.write_file(name, text)
        return Reply()
    return Reply(text.rstrip("\n").split("\n"), bulk=True)


def format_rtt(microseconds: int) -> str:
    """v7 ping times: ``818us``, ``1ms438us``, ``12ms``.

    >>> format_rtt(1438), format_rtt(818), format_rtt(12000)
    ('1ms438us', '818us', '12ms')
    """
    ms, us = divmod(microseconds, 1000)
    if not ms:
        return f"{us}us"
    return f"{ms}ms{us}us" if us else f"{ms}ms"


def _ping_args(command: Command) -> tuple[str, int, int]:
    """(address, count, size); count 0 when not given (ping until Ctrl-C)."""
    address, count, size = "", 0, 56
    for token in command.args:
        if token.kind == "word" and not address:
            address = token.text
        elif token.kind == "arg" and token.name in (
            "address",
            "count",
            "size",
            "interval",
            "src-address",
            "interface",
        ):
            if token.name == "address":
                address = token.value
            elif token.name == "count":
                count = int(normalise("int", token.value, "count"))
            elif token.name == "size":
                size = int(normalise("int", token.value, "size"))
        else:
            raise end_expected(token.column)
    if not address:
        raise Failure("missing value(s) of argument(s) address")
    normalise("ip", address, "address")
    return address, count, size


def _ping_row(seq: int, address: str, size: int, rtt: int | None) -> str:
    if rtt is None:
        return f"{seq:5} {address:<40} {'':4} {'':3} {'':10} timeout"
    return f"{seq:5} {address:<40} {size:4} {64:3} {format_rtt(rtt)}"


def _ping_summary(times: list[int | None]) -> str:
    got = [t for t in times if t is not None]
    loss = 100 * (len(times) - len(got)) // max(len(times), 1)
    summary = f"    sent={len(times)} received={len(got)} packet-loss={loss}%"
    if got:
        summary += (
            f" min-rtt={format_rtt(min(got))} avg-rtt={format_rtt(sum(got) // len(got))}"
            f" max-rtt={format_rtt(max(got))}"
        )
    return summary


def ping_lines(device: RouterOSDevice, address: str, count: int, size: int) -> list[str]:
    """The whole v7 ping output for ``count`` packets."""
    times = ping_times(device.live, address, count)
    rows = [_ping_row(seq, address, size, rtt) for seq, rtt in enumerate(times)]
    return [PING_HEADER, *rows, _ping_summary(times)]


class EndlessPing:
    """``/ping ADDRESS`` in a shell: one row a second until Ctrl-C, then the summary."""

    interval = 1.0

    def __init__(self, device: RouterOSDevice, address: str, size: int) -> None:
        self.device, self.address, self.size = device, address, size
        self.times: list[int | None] = []

    def opening(self) -> list[str]:
        """The column header."""
        return [PING_HEADER]

    def next_lines(self) -> list[str]:
        """One more echo request's row."""
        rtt = ping_times(self.device.live, self.address, 1)[0]
        self.times.append(rtt)
        return [_ping_row(len(self.times) - 1, self.address, self.size, rtt)]

    def closing(self) -> list[str]:
        """The summary of what was sent before Ctrl-C."""
        return [_ping_summary(self.times)]


def do_ping(device: RouterOSDevice, session: Session, command: Command) -> Reply:
    """``/ping ADDRESS [count=N] [size=N]``; without ``count=`` a shell pings until Ctrl-C
    (callers without a keyboard get 4 packets)."""
    address, count, size = _ping_args(command)
    if count:
        return Reply(ping_lines(device, address, count, size))
    endless = EndlessPing(device, address, size)
    return Reply(ping_lines(device, address, 4, size), endless=endless)


def do_backup_save(device: RouterOSDevice, session: Session, command: Command) -> Reply:
    """``/system backup save name=X [dont-encrypt=yes] [password=...]``."""
    name = device.model.value("/system/identity", "name")
    for token in command.args:
        if token.kind == "arg" and token.name == "name":
            name = token.value
        elif not (token.kind == "arg" and token.name in ("dont-encrypt", "password", "encryption")):
            raise end_expected(token.column)
    device.write_file(
        name if name.endswith(".backup") else name + ".backup",
        device.export_text(ExportOptions(show_sensitive=True), "/"),
    )
    return Reply(["Configuration backup saved"])


def do_import(device: RouterOSDevice, session: Session, command: Command) -> Reply:
    """``/import file-name=X [verbose=yes] [dry-run]``: run the script's lines."""
    name, dry_run = "", False
    for token in command.args:
        if token.kind == "arg" and token.name == "file-name":
            name = token.value
        elif token.kind == "word" and token.text == "dry-run":
            dry_run = True
        elif not (token.kind == "arg" and token.name in ("verbose", "dry-run")):
            raise end_expected(token.column)
    try:
        script = device.model.get("/file", name).values.get("contents", "")
    except Exception:
        raise InvalidValue("file-name") from None
    errors = device.run_script(script, dry_run=dry_run)
    if errors:
        return Reply(errors)
    return Reply(["", "Script file loaded and executed successfully"])


ADVERTISED = "10M-half,10M-full,100M-half,100M-full,1000M-half,1000M-full"


def _monitor_block(device: RouterOSDevice, name: str) -> list[str]:
    row: dict[str, str] = {"name": name}
    if device.live.running(name):
        row |= {
            "status": "link-ok",
            "auto-negotiation": "done",
            "rate": "10Gbps" if name.startswith("sfp") else "1Gbps",
            "full-duplex": "yes",
            "tx-flow-control": "no",
            "rx-flow-control": "no",
            "advertising": ADVERTISED,
            "link-partner-advertising": ADVERTISED,
        }
    else:
        row |= {
            "status": "no-link",
            "auto-negotiation": "done",
            "advertising": ADVERTISED,
            "link-partner-advertising": "",
        }
    return print_settings(row)


def do_monitor(device: RouterOSDevice, session: Session, command: Command) -> Reply:
    """``/interface ethernet monitor ether1[,ether2] [once]``: link status per port. (The real
    command refreshes until interrupted without ``once``; the lab always answers once.)"""
    names: list[str] = []
    for token in command.args:
        if token.kind == "word" and token.text in ("once", "without-paging"):
            continue
        if token.kind in ("word", "find") or (token.kind == "arg" and token.name == "numbers"):
            target = token if token.kind != "arg" else Token("word", token.value, token.column)
            ids = select_items(device, session, "/interface/ethernet", target)
            names += [device.model.get("/interface/ethernet", i).values["name"] for i in ids]
        else:
            raise end_expected(token.column)
    if not names:
        raise NoSuchItem()
    return Reply([line for name in names for line in _monitor_block(device, name)])


def do_quit(device: RouterOSDevice, session: Session, command: Command) -> Reply:
    """``quit``: ends the session."""
    return Reply(["interrupted"], quit=True)


ACTIONS: dict[str, Handler] = {
    "export": do_export,
    "/ping": do_ping,
    "/system/backup/save": do_backup_save,
    "/import": do_import,
    "quit": do_quit,
    "/quit": do_quit,
    "/interface/ethernet/monitor": do_monitor,
}
