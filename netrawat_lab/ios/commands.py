"""Exec-mode commands: the keyword tables, ``show`` dispatch with abbreviations, ``ping``
and output pipes (``| include``, ``| exclude``, ``| begin``, ``| section``)."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Union

from netrawat_lab.ios import archive
from netrawat_lab.ios import show_network as net
from netrawat_lab.ios import show_system as box
from netrawat_lab.ios.grammar import CliError, expand_interface, match_keyword, tokens
from netrawat_lab.ios.state import Runtime

Words = list[tuple[str, int]]

EXEC_KEYWORDS = [
    "access-enable",
    "archive",
    "cd",
    "clear",
    "clock",
    "configure",
    "connect",
    "copy",
    "debug",
    "delete",
    "dir",
    "disable",
    "disconnect",
    "enable",
    "erase",
    "exit",
    "format",
    "help",
    "logout",
    "mkdir",
    "more",
    "no",
    "ping",
    "quit",
    "reload",
    "rename",
    "resume",
    "rmdir",
    "send",
    "setup",
    "show",
    "ssh",
    "telnet",
    "terminal",
    "test",
    "traceroute",
    "undebug",
    "verify",
    "where",
    "write",
]
USER_KEYWORDS = [
    "access-enable",
    "connect",
    "disable",
    "disconnect",
    "enable",
    "exit",
    "help",
    "logout",
    "ping",
    "quit",
    "resume",
    "show",
    "ssh",
    "telnet",
    "terminal",
    "traceroute",
    "where",
]
PRIVILEGED_ONLY_SHOWS = frozenset({"running-config", "startup-config", "logging", "archive"})


@dataclass
class Reply:
    """A command's output; ``bulk`` outputs go through Terminal.write_bulk (hang/truncate)."""

    text: str
    bulk: bool = False


Handler = Callable[[Runtime, Words], Reply]
Node = Union[Handler, "dict[str, Node]"]


def _simple(render: Callable[[Runtime], str], bulk: bool = False) -> Handler:
    def handler(rt: Runtime, rest: Words) -> Reply:
        if rest:
            raise CliError("invalid", rest[0][1])
        return Reply(render(rt), bulk)

    return handler


def _interfaces(rt: Runtime, rest: Words) -> Reply:
    if not rest:
        return Reply(net.show_interfaces(rt))
    if rest[0][0].isalpha() and "summary".startswith(rest[0][0].lower()):
        if len(rest) > 1:
            raise CliError("invalid", rest[1][1])
        return Reply(net.show_interface_summary(rt))
    name = expand_interface(" ".join(w for w, _ in rest), rest[0][1], rt.hardware.physical)
    if not any(i.name == name for i in rt.running.interfaces()):
        raise CliError("invalid", rest[0][1])
    return Reply(net.show_interfaces(rt, name))


def _running_config(rt: Runtime, rest: Words) -> Reply:
    """``show running-config [interface NAME]``."""
    if not rest:
        return Reply(box.running_config_text(rt), bulk=True)
    match_keyword(rest[0][0], ("interface",), rest[0][1])
    if len(rest) < 2:
        raise CliError("incomplete")
    name = expand_interface(" ".join(w for w, _ in rest[1:]), rest[1][1], rt.hardware.physical)
    if not any(i.name == name for i in rt.running.interfaces()):
        raise CliError("invalid", rest[1][1])
    return Reply(box.interface_config_text(rt, name), bulk=True)


def _unsupported(_: Runtime, rest: Words) -> Reply:
    raise CliError("invalid", rest[0][1]) if rest else CliError("incomplete")


SHOW_TREE: dict[str, Node] = {
    "version": _simple(box.show_version),
    "archive": {
        "": _simple(archive.show_archive),
        "config": {"rollback": {"timer": _simple(archive.show_rollback_timer)}},
    },
    "running-config": _running_config,
    "startup-config": _simple(box.startup_config_text, bulk=True),
    "interfaces": _interfaces,
    "ip": {
        "interface": {
            "": _simple(net.show_ip_interface),
            "brief": _simple(net.show_ip_interface_brief),
        },
        "route": _simple(net.show_ip_route),
        "arp": _simple(net.show_arp),
        "protocols": _unsupported,
        "dhcp": _unsupported,
        "nat": _unsupported,
        "ssh": _unsupported,
    },
    "processes": {"cpu": _simple(box.show_processes_cpu), "memory": _unsupported},
    "memory": {"statistics": _simple(box.show_memory_statistics)},
    "environment": {
        "temperature": {
            "": _simple(box.show_environment_temperature),
            "status": _simple(box.show_environment_temperature),
        },
        "all": _simple(box.show_environment_temperature),
    },
    "hosts": _simple(box.show_hosts),
    "logging": _simple(box.show_logging),
    "ntp": {
        "associations": _simple(net.show_ntp_associations),
        "status": _simple(net.show_ntp_status),
    },
    "clock": _simple(box.show_clock),
    "arp": _simple(net.show_arp),
    "inventory": _simple(box.show_inventory),
    "ipv6": {"interface": _simple(lambda rt: ""), "route": _simple(lambda rt: "")},
    "snmp": {"chassis": _simple(lambda rt: (rt.spec.serial or "FGL0000000A") + "\n")},
    **dict.fromkeys(
        [
            "aaa",
            "access-lists",
            "cdp",
            "controllers",
            "crypto",
            "debugging",
            "dhcp",
            "file",
            "flash:",
            "history",
            "license",
            "line",
            "privilege",
            "protocols",
            "sessions",
            "ssh",
            "tech-support",
            "users",
        ],
        _unsupported,
    ),
}


def _walk(node: Node, rt: Runtime, rest: Words) -> Reply:
    while isinstance(node, dict):
        if not rest:
            if "" not in node:
                raise CliError("incomplete")
            node = node[""]
            continue
        word, column = rest[0]
        keyword = match_keyword(word, [k for k in node if k], column)
        node, rest = node[keyword], rest[1:]
    return node(rt, rest)


def run_show(rt: Runtime, words: Words, privileged: bool) -> Reply:
    """``show ...`` (``words`` without ``show``)."""
    if not words:
        raise CliError("incomplete")
    allowed = [k for k in SHOW_TREE if privileged or k not in PRIVILEGED_ONLY_SHOWS]
    keyword = match_keyword(words[0][0], allowed, words[0][1])
    if keyword == "privilege":
        return _privilege(words[1:], privileged)
    return _walk(SHOW_TREE[keyword], rt, words[1:])


def _privilege(rest: Words, privileged: bool) -> Reply:
    """``show privilege`` (Ansible's cisco.ios asks it after ``enable``)."""
    if rest:
        raise CliError("invalid", rest[0][1])
    return Reply(f"Current privilege level is {15 if privileged else 1}\n")


SOURCE_NOT_UP = "% Invalid source address- IP address not on any of our up interfaces\n"


def _ping_number(word: str, column: int, low: int, high: int) -> int:
    if not word.isdigit() or not low <= int(word) <= high:
        raise CliError("invalid", column)
    return int(word)


def _ping_source(rt: Runtime, word: str, column: int) -> str | None:
    """The source address of ``source A.B.C.D|IFACE`` (None: not on an up interface)."""
    up = {str(a.ip): i.name for i, a in rt.connected()}
    if word[0].isdigit():
        return word if word in up else None
    name = expand_interface(word, column, rt.hardware.physical)
    return next((ip for ip, iface in up.items() if iface == name), None)


@dataclass
class PingOptions:
    """``repeat``, ``size`` and ``source`` of a ping command."""

    repeat: int = 5
    size: int = 100
    source: str | None = None

    def set(self, rt: Runtime, option: str, word: str, column: int) -> bool:
        """Take one option; False when the source address is not on an up interface."""
        if option == "source":
            self.source = _ping_source(rt, word, column)
            return self.source is not None
        number = _ping_number(word, column, 1, 2_147_483_647)
        if option == "repeat":
            self.repeat = min(number, 1000)
        elif option == "size":
            self.size = number
        return True


def run_ping(rt: Runtime, words: Words) -> str:
    """``ping A.B.C.D [repeat N] [size N] [source A|IFACE] [timeout S]`` (NAPALM's form)."""
    if not words:
        raise CliError("incomplete")
    target = words[0][0]
    try:
        ipaddress.IPv4Address(target)
    except ValueError:
        return (
            f'Translating "{target}"\n% Unrecognized host or address, or protocol not running.\n\n'
        )
    options, rest = PingOptions(), words[1:]
    while rest:
        option = match_keyword(rest[0][0], ("repeat", "size", "source", "timeout"), rest[0][1])
        if len(rest) < 2:
            raise CliError("incomplete")
        if not options.set(rt, option, *rest[1]):
            return SOURCE_NOT_UP
        rest = rest[2:]
    return net.ping(rt, target, options.repeat, options.size, options.source)


def split_pipe(line: str) -> tuple[str, Callable[[str], str] | None]:
    """The command and an output filter from ``| include|exclude|begin|section REGEX``."""
    if "|" not in line:
        return line, None
    command, _, pipe = line.partition("|")
    if not command.strip():
        raise CliError("invalid", line.index("|"))
    words = pipe.split(maxsplit=1)
    if len(words) < 2:
        raise CliError("incomplete")
    column = len(command) + 1 + pipe.index(words[0])
    kind = match_keyword(words[0], ("include", "exclude", "begin", "section", "count"), column)
    try:
        pattern = re.compile(words[1])
    except re.error:
        raise CliError("invalid", len(command) + 1 + pipe.index(words[1])) from None

    def apply(text: str) -> str:
        lines = text.split("\n")
        if kind == "include":
            kept = [x for x in lines if pattern.search(x)]
        elif kind == "exclude":
            kept = [x for x in lines if not pattern.search(x)]
        elif kind == "begin":
            start = next((i for i, x in enumerate(lines) if pattern.search(x)), len(lines))
            kept = lines[start:]
        elif kind == "count":
            matched = sum(1 for x in lines if pattern.search(x))
            return f"Number of lines which match regexp = {matched}\n"
        else:
            kept = _section(lines, pattern)
        return "\n".join(x for x in kept if x) + "\n" if kept else ""

    return command, apply


def _section(lines: list[str], pattern: re.Pattern[str]) -> list[str]:
    kept: list[str] = []
    keeping = False
    for line in lines:
        if not line.startswith(" "):
            keeping = bool(pattern.search(line))
        if keeping:
            kept.append(line)
    return kept


def parse_exec(line: str, privileged: bool) -> tuple[str, Words]:
    """The exec keyword typed and the remaining words; CliError as IOS would answer."""
    words = tokens(line)
    keywords = EXEC_KEYWORDS if privileged else USER_KEYWORDS
    first, column = words[0]
    try:
        return match_keyword(first, keywords, column, first), words[1:]
    except CliError as error:
        if error.kind == "invalid" and len(words) == 1:
            raise CliError("unknown", 0, first) from None
        raise
