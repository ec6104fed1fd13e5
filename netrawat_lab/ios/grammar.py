"""What each IOS mode accepts, unique-prefix abbreviations, and IOS's error texts.

IOS accepts any unique prefix of a keyword (``sh ip int br``, ``conf t``, ``int g0/1``,
``no shut``); a prefix matching several keywords is ambiguous, a word matching none is
invalid input with a caret under it.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

INVALID = "% Invalid input detected at '^' marker."
INCOMPLETE = "% Incomplete command."
UNKNOWN = "% Unknown command or computer name, or unable to find computer address"

Grammar = Mapping[str, "Grammar | None"]


@dataclass
class CliError(Exception):
    """A command IOS refuses. ``column`` is the offset of the bad word in the typed line."""

    kind: str  # "invalid" | "incomplete" | "ambiguous" | "unknown"
    column: int = 0
    text: str = ""

    def render(self, prompt_width: int) -> str:
        """The lines IOS prints (without the trailing prompt)."""
        if self.kind == "invalid":
            return " " * (prompt_width + self.column) + "^\n" + INVALID + "\n\n"
        if self.kind == "ambiguous":
            return f'% Ambiguous command:  "{self.text}"\n'
        if self.kind == "unknown":
            return f'Translating "{self.text}"\n\n{UNKNOWN}\n\n'
        return INCOMPLETE + "\n\n"


def tokens(line: str) -> list[tuple[str, int]]:
    """Words of a typed line with their column."""
    return [(m.group(0), m.start()) for m in re.finditer(r"\S+", line)]


def match_keyword(word: str, keywords: Iterable[str], column: int, typed: str = "") -> str:
    """The keyword ``word`` abbreviates; CliError when none or several match."""
    lowered = word.lower()
    candidates = [k for k in keywords if k.startswith(lowered)]
    if lowered in candidates:
        return lowered
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        raise CliError("ambiguous", column, typed or word)
    raise CliError("invalid", column)


INTERFACE_TYPES = ("GigabitEthernet", "Loopback", "Tunnel", "Dialer", "Virtual-Template", "Vlan")
PHYSICAL_TYPES = frozenset({"GigabitEthernet"})


def expand_interface(text: str, column: int = 0, physical: Iterable[str] | None = None) -> str:
    """``g0/1`` -> ``GigabitEthernet0/1``; CliError for names IOS would not accept
    (a physical port not among ``physical``, when given).

    >>> expand_interface("gi0/1")
    'GigabitEthernet0/1'
    """
    match = re.fullmatch(r"([A-Za-z-]+)\s*(\d+(?:/\d+)*(?:\.\d+)?)", text)
    if not match:
        raise CliError("invalid", column)
    lowered = match.group(1).lower()
    kinds = [k for k in INTERFACE_TYPES if k.lower().startswith(lowered)]
    if len(kinds) != 1:
        raise CliError("invalid", column)
    number = match.group(2)
    port = kinds[0] + number.split(".")[0]
    if kinds[0] in PHYSICAL_TYPES and physical is not None and port not in set(physical):
        raise CliError("invalid", column + len(match.group(1)))
    if kinds[0] not in PHYSICAL_TYPES and not number.isdigit():  # Loopback0, Vlan1
        raise CliError("invalid", column + len(match.group(1)))
    return kinds[0] + number


_IP = {
    "access-list": None,
    "cef": None,
    "classless": None,
    "default-gateway": None,
    "dhcp": {"pool": None, "excluded-address": None},
    "domain": {"name": None, "lookup": None, "list": None},
    "domain-lookup": None,
    "domain-name": None,
    "forward-protocol": None,
    "ftp": None,
    "host": None,
    "http": None,
    "name-server": None,
    "nat": None,
    "route": None,
    "routing": None,
    "scp": None,
    "sla": None,
    "ssh": None,
    "tftp": None,
}
_GLOBAL: dict[str, Grammar | None] = {
    **dict.fromkeys(
        [
            "aaa",
            "access-list",
            "alias",
            "archive",
            "boot",
            "cdp",
            "control-plane",
            "crypto",
            "file",
            "hostname",
            "interface",
            "ipv6",
            "license",
            "line",
            "logging",
            "multilink",
            "redundancy",
            "scheduler",
            "service",
            "snmp-server",
            "spanning-tree",
            "username",
            "version",
            "vtp",
        ]
    ),
    "banner": dict.fromkeys(("motd", "login", "exec")),
    "clock": dict.fromkeys(("timezone", "summer-time")),
    "enable": dict.fromkeys(("secret", "password", "algorithm-type")),
    "login": dict.fromkeys(("block-for", "delay", "on-failure", "on-success", "quiet-mode")),
    "ip": _IP,
    "ntp": dict.fromkeys(("server", "peer", "source", "master", "update-calendar", "clock-period")),
    "router": dict.fromkeys(("ospf", "eigrp", "bgp", "rip")),
}
_INTERFACE: dict[str, Grammar | None] = {
    **dict.fromkeys(
        [
            "description",
            "shutdown",
            "speed",
            "duplex",
            "mtu",
            "bandwidth",
            "encapsulation",
            "negotiation",
            "media-type",
            "load-interval",
            "cdp",
            "keepalive",
            "delay",
            "standby",
            "ipv6",
            "service-policy",
            "zone-member",
        ]
    ),
    "ip": dict.fromkeys(
        [
            "address",
            "nat",
            "helper-address",
            "access-group",
            "virtual-reassembly",
            "mtu",
            "tcp",
            "ospf",
            "redirects",
            "unreachables",
            "proxy-arp",
            "dhcp",
            "flow",
        ]
    ),
}
_LINE: dict[str, Grammar | None] = {
    **dict.fromkeys(
        [
            "login",
            "password",
            "exec-timeout",
            "logging",
            "privilege",
            "access-class",
            "stopbits",
            "history",
            "length",
            "width",
            "session-timeout",
            "exec",
            "activation-character",
            "speed",
            "flowcontrol",
            "escape-character",
        ]
    ),
    "transport": dict.fromkeys(("input", "output", "preferred")),
}
_ROUTER = dict.fromkeys(
    [
        "network",
        "passive-interface",
        "router-id",
        "default-information",
        "redistribute",
        "auto-summary",
        "log-adjacency-changes",
        "area",
        "neighbor",
        "bgp",
        "maximum-paths",
        "version",
        "timers",
        "distance",
    ]
)
_DHCP = dict.fromkeys(
    [
        "network",
        "default-router",
        "dns-server",
        "domain-name",
        "lease",
        "option",
        "netbios-name-server",
    ]
)
_ACL = dict.fromkeys(("permit", "deny", "remark"))
_ARCHIVE = dict.fromkeys(("path", "maximum", "write-memory", "time-period", "log", "rollback"))

CONFIG_GRAMMARS: dict[str, dict[str, Grammar | None]] = {
    "config": _GLOBAL,
    "config-if": _INTERFACE,
    "config-line": _LINE,
    "config-router": _ROUTER,
    "dhcp-config": _DHCP,
    "config-ext-nacl": _ACL,
    "config-std-nacl": _ACL,
    "config-archive": _ARCHIVE,
}
MODE_WORDS = ("no", "default", "do", "end", "exit")

# Fewest words (after expansion) a command needs before IOS stops saying "Incomplete".
_MINIMUM_WORDS = {
    "hostname": 2,
    "interface": 2,
    "description": 2,
    "ip address": 3,  # "ip address dhcp"; an address needs its mask (checked below)
    "ip route": 5,
    "ip name-server": 3,
    "ip domain name": 4,
    "ip dhcp pool": 4,
    "ntp server": 3,
    "login block-for": 7,  # login block-for SECONDS attempts N within SECONDS
    "username": 2,
    "enable secret": 3,
    "snmp-server community": 3,
    "line": 2,
    "router ospf": 3,
    "banner motd": 3,
    "transport input": 3,
    "exec-timeout": 2,
    "network": 2,
    "default-router": 2,
    "dns-server": 2,
    "speed": 2,
    "duplex": 2,
    "logging buffered": 2,
    "path": 2,
    "maximum": 2,
}


def _check_address(word: str, column: int) -> None:
    try:
        ipaddress.IPv4Address(word)
    except ValueError:
        raise CliError("invalid", column) from None


def _check_mask(word: str, column: int) -> None:
    _check_address(word, column)
    try:
        ipaddress.IPv4Network(f"0.0.0.0/{word}")
    except ValueError:
        raise CliError("invalid", column) from None


def _check_values(words: list[str], columns: list[int]) -> None:
    """Arguments IOS parses as addresses must be addresses."""
    head = " ".join(words[:2])
    if head == "ip address" and len(words) > 2 and words[2] != "dhcp":
        _check_address(words[2], columns[2])
        if len(words) > 3:
            _check_mask(words[3], columns[3])
    elif head == "ip route" and len(words) >= 4:
        _check_address(words[2], columns[2])
        _check_mask(words[3], columns[3])
        if len(words) > 4 and words[4][0].isdigit():
            _check_address(words[4], columns[4])
        elif len(words) > 4:
            words[4] = expand_interface(words[4], columns[4])
    elif head == "ip name-server":
        for word, column in zip(words[2:], columns[2:], strict=True):
            _check_address(word, column)
    elif head in {"ntp server", "default-router", "dns-server"}:
        start = 2 if head == "ntp server" else 1
        if len(words) > start and words[start][0].isdigit():
            _check_address(words[start], columns[start])


def expand_config(mode: str, line: str, physical: Iterable[str] = ()) -> list[str]:
    """The fully spelled words of a configuration command typed in ``mode``."""
    typed = tokens(line)
    if any(ord(ch) < 32 and ch != "\t" for ch in line):
        raise CliError("invalid", 0)
    words = [w for w, _ in typed]
    columns = [c for _, c in typed]
    grammar = CONFIG_GRAMMARS[mode]
    first = match_keyword(words[0], (*grammar, *MODE_WORDS), columns[0])
    if first in {"no", "default"}:
        if len(words) == 1:
            raise CliError("incomplete")
        rest = _expand_words(grammar, words[1:], columns[1:], physical)
        return [first, *rest]
    if first == "do":
        return ["do", *words[1:]]
    if first in {"end", "exit"}:
        return [first]
    expanded = _expand_words(grammar, words, columns, physical)
    for prefix, minimum in _MINIMUM_WORDS.items():
        if prefix_is(expanded, prefix) and len(expanded) < minimum:
            raise CliError("incomplete")
    if prefix_is(expanded, "ip address") and len(expanded) == 3 and expanded[2] != "dhcp":
        raise CliError("incomplete")
    _check_values(expanded, columns)
    return expanded


def prefix_is(words: list[str], prefix: str) -> bool:
    """Whether ``words`` start with the words of ``prefix``."""
    wanted = prefix.split()
    return words[: len(wanted)] == wanted


def _expand_words(
    grammar: Grammar, words: list[str], columns: list[int], physical: Iterable[str]
) -> list[str]:
    first = match_keyword(words[0], grammar, columns[0])
    expanded = [first]
    sub = grammar[first]
    rest = words[1:]
    if sub is not None and rest:
        second = match_keyword(rest[0], sub, columns[1])
        expanded.append(second)
        third = sub[second]
        rest = rest[1:]
        if third is not None and rest:
            expanded.append(match_keyword(rest[0], third, columns[2]))
            rest = rest[1:]
    elif sub is not None:
        raise CliError("incomplete")
    if first == "interface" and rest:
        joined = " ".join(rest)
        return [first, expand_interface(joined, columns[1], physical)]
    if first == "line" and rest:
        rest = [_expand_line_kind(rest[0], columns[1]), *rest[1:]]
    return expanded + rest


def _expand_line_kind(word: str, column: int) -> str:
    kind = match_keyword(word, ("console", "aux", "vty"), column) if not word.isdigit() else word
    return "con" if kind == "console" else kind
