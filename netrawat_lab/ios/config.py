"""The IOS configuration model: global lines and sections (``interface X``, ``line vty 0 4``,
``router ospf 1``, ``ip dhcp pool P``) with their indented children.

Lines are stored fully expanded (``interface GigabitEthernet0/1``, ``no shutdown`` removes the
``shutdown`` child). A new line replaces the one with the same *identity* (``hostname A``
replaces ``hostname B``; ``ntp server X`` only replaces ``ntp server X``). Rendering puts the
blocks in the order IOS prints them, whatever order they were typed in.
"""

from __future__ import annotations

import copy
import functools
import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

SECTION_MODES: tuple[tuple[str, str], ...] = (
    ("interface ", "config-if"),
    ("line ", "config-line"),
    ("router ", "config-router"),
    ("ip dhcp pool ", "dhcp-config"),
    ("ip access-list extended ", "config-ext-nacl"),
    ("ip access-list standard ", "config-std-nacl"),
    ("archive", "config-archive"),
)
"""Global commands that open a section, and the prompt's sub-mode name."""

# Global commands whose identity is their first N words (a new one replaces the old one).
_GLOBAL_KEYS: dict[str, int] = {
    "hostname": 1,
    "version": 1,
    "enable secret": 2,
    "enable password": 2,
    "username": 2,
    "ip domain name": 3,
    "ip domain-name": 2,
    "snmp-server community": 3,
    "snmp-server location": 2,
    "snmp-server contact": 2,
    "banner motd": 2,
    "banner login": 2,
    "banner exec": 2,
    "logging buffered": 2,
    "clock timezone": 2,
    "ntp server": 3,
    "ip name-server": 3,
}
# On/off settings IOS 15 prints in running-config. DEFAULT_ON: on by default, hidden while on,
# `no X` shown when off (typing `X` back hides it again). BOTH_SHOWN: printed in both states
# (`ip http server` / `no ip http server`). Any other `no X` just removes X.
_DEFAULT_ON = frozenset(
    {"ip domain lookup", "service pad", "cdp run", "ip source-route", "ip bootp server"}
)
_BOTH_SHOWN = frozenset(
    {
        "aaa new-model",
        "ip cef",
        "ipv6 cef",
        "ip http server",
        "ip http secure-server",
        "service password-encryption",
    }
)
_TOGGLES = _DEFAULT_ON | _BOTH_SHOWN
_CHILD_DEFAULT_ON: dict[str, frozenset[str]] = {
    "line ": frozenset({"exec", "activation-character"}),
    "interface ": frozenset({"cdp enable", "ip redirects", "ip proxy-arp", "keepalive"}),
}
"""Per section kind: settings on by default whose `no` form shows (`line 2` / `no exec`)."""
_CHILD_KEYS: dict[str, int] = {
    "description": 1,
    "ip address": 2,
    "shutdown": 1,
    "speed": 1,
    "duplex": 1,
    "mtu": 1,
    "bandwidth": 1,
    "exec-timeout": 1,
    "password": 1,
    "login": 1,
    "transport input": 2,
    "privilege level": 2,
    "default-router": 1,
    "dns-server": 1,
    "lease": 1,
    "domain-name": 1,
    "router-id": 1,
}
_DHCP_NETWORK = "network"

# Where IOS prints each kind of global line (first matching prefix wins).
_RANK: tuple[tuple[str, int], ...] = (
    ("version", 0),
    ("service", 1),
    ("no service", 1),
    ("hostname", 2),
    ("boot", 3),
    ("logging", 4),
    ("enable", 5),
    ("aaa", 6),
    ("no aaa", 6),
    ("clock", 7),
    ("ip dhcp excluded-address", 8),
    ("ip dhcp pool", 9),
    ("ip domain", 10),
    ("no ip domain", 10),
    ("ip name-server", 10),
    ("ip cef", 11),
    ("no ipv6 cef", 11),
    ("login", 11),  # login block-for: after the ip block (real ASR920 16.8 running-config)
    ("multilink", 12),
    ("license", 13),
    ("archive", 13),
    ("username", 14),
    ("redundancy", 15),
    ("ip ssh", 16),
    ("interface", 17),
    ("router", 18),
    ("ip forward-protocol", 19),
    ("ip http", 19),
    ("no ip http", 19),
    ("ip route", 20),
    ("ip nat", 20),
    ("ip access-list", 21),
    ("access-list", 22),
    ("snmp-server", 23),
    ("control-plane", 24),
    ("banner", 25),
    ("line", 26),
    ("scheduler", 27),
    ("ntp", 28),
)
_LINE_RANK: tuple[tuple[str, int], ...] = (
    ("session-timeout", 0),
    ("access-class", 1),
    ("no activation-character", 2),
    ("activation-character", 2),
    ("no exec", 3),
    ("exec-timeout", 4),
    ("privilege level", 5),
    ("password", 6),
    ("logging synchronous", 7),
    ("login", 8),
    ("transport preferred", 9),
    ("transport input", 10),
    ("transport output", 11),
    ("stopbits", 12),
)
"""The order IOS prints ``line`` settings in, whatever order they were typed in."""
_LINE_KINDS = {"con": 0, "aux": 1, "tty": 2, "vty": 3}
_CHILD_RANK: tuple[tuple[str, int], ...] = (
    ("description", 0),
    ("ip address", 1),
    ("no ip address", 1),
    ("ip ", 2),
    ("shutdown", 3),
    ("duplex", 4),
    ("speed", 5),
)


def _words_start(line: str, prefix_words: list[str]) -> bool:
    return line.split()[: len(prefix_words)] == prefix_words


def _keyed_identity(line: str, table: dict[str, int]) -> str:
    words = line.split()
    best, identity = 0, line
    for prefix, count in table.items():
        if len(prefix) > best and _words_start(line, prefix.split()):
            best, identity = len(prefix), " ".join(words[:count])
    return identity


@functools.lru_cache(maxsize=65536)
def global_identity(line: str) -> str:
    """What a global line replaces: ``hostname A`` replaces ``hostname B``, ``aaa new-model``
    replaces ``no aaa new-model``; ``ntp server X`` only ``ntp server X``."""
    bare = line[3:] if line.startswith("no ") else line
    return _keyed_identity(bare, _GLOBAL_KEYS)


def section_mode(head: str) -> str | None:
    """The sub-mode a global line opens (``config-if``...), or None for a plain line."""
    for prefix, mode in SECTION_MODES:
        if head.startswith(prefix):
            return mode
    return None


def _rank(line: str, table: tuple[tuple[str, int], ...], default: int) -> int:
    for prefix, rank in table:
        if line.startswith(prefix):
            return rank
    return default


def interface_sort_key(name: str) -> tuple[object, ...]:
    """Natural order: GigabitEthernet0/2 before GigabitEthernet0/10, physical before logical."""
    kind = re.match(r"[A-Za-z-]+", name)
    prefix = kind.group(0) if kind else name
    numbers = tuple(int(n) for n in re.findall(r"\d+", name[len(prefix) :]))
    logical = prefix in {"Loopback", "Tunnel", "Vlan", "Dialer", "Virtual-Template"}
    return (logical, prefix, numbers)


def line_sort_key(head: str) -> tuple[object, ...]:
    """``line con 0`` < ``line aux 0`` < ``line 2`` < ``line vty 0 4`` < ``line vty 5 15``."""
    words = head.split()[1:]
    kind = _LINE_KINDS.get(words[0], 2) if words else 2
    numbers = tuple(int(w) for w in words if w.isdigit())
    return (kind, numbers)


def _child_toggles(block: Block) -> frozenset[str]:
    for prefix, names in _CHILD_DEFAULT_ON.items():
        if block.head.startswith(prefix):
            return names
    return frozenset()


@dataclass
class Block:
    """One global line, or a section head with its children (stored without indentation)."""

    head: str
    children: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class InterfaceConfig:
    """What the configuration says about one interface."""

    name: str
    description: str
    address: ipaddress.IPv4Interface | None
    shutdown: bool


@dataclass
class IOSConfig:
    """An ordered set of blocks; the running or the startup configuration."""

    blocks: list[Block] = field(default_factory=list)
    _index: dict[str, Block] | None = field(default=None, repr=False, compare=False)

    def copy(self) -> IOSConfig:
        """A deep copy (the startup config, a pre-fault snapshot)."""
        return copy.deepcopy(self)

    def find(self, head: str) -> Block | None:
        """The block whose head is exactly ``head``."""
        return next((b for b in self.blocks if b.head == head), None)

    def heads(self, *prefix_words: str) -> Iterator[str]:
        """Heads of the global lines starting with these words."""
        wanted = list(prefix_words)
        return (b.head for b in self.blocks if _words_start(b.head, wanted))

    # -- changes ---------------------------------------------------------------------------
    def set_global(self, line: str) -> Block:
        """Add or replace a global line (or open a section); returns its block."""
        index = self._lookup()
        identity = global_identity(line)
        if line in _DEFAULT_ON:  # back to the default: IOS shows nothing
            self.blocks = [b for b in self.blocks if b.head != "no " + line]
            self._index = None
            return Block(line)
        block = index.get(identity)
        if block is not None:
            if section_mode(line) is None:
                block.head = line
            return block
        block = Block(line)
        self.blocks.append(block)
        index[identity] = block
        return block

    def _lookup(self) -> dict[str, Block]:
        if self._index is None:
            self._index = {}
            for block in self.blocks:
                self._index.setdefault(global_identity(block.head), block)
        return self._index

    def remove_global(self, words: list[str], default: bool = False) -> None:
        """``no <words>``: remove the matching lines and sections (toggles become ``no X``);
        ``default <words>``: a default-on toggle back on (hidden)."""
        text = " ".join(words)
        if text in _TOGGLES:
            self.set_global(text if default and text in _DEFAULT_ON else "no " + text)
            return
        if text.startswith("banner "):
            words = words[:2]
        self.blocks = [b for b in self.blocks if not _words_start(b.head, words)]
        self._index = None

    @staticmethod
    def set_child(block: Block, line: str) -> None:
        """Add or replace one child line of a section."""
        if line in _child_toggles(block):  # back on: the `no` line goes, nothing shows
            block.children = [c for c in block.children if c != "no " + line]
            return
        if block.head.startswith("ip dhcp pool") and line.startswith(_DHCP_NETWORK):
            identity = _DHCP_NETWORK
        elif block.head.startswith("router "):
            identity = line
        else:
            identity = _keyed_identity(line, _CHILD_KEYS)
        for index, child in enumerate(block.children):
            child_identity = (
                _DHCP_NETWORK
                if identity == _DHCP_NETWORK and child.startswith(_DHCP_NETWORK)
                else _keyed_identity(child, _CHILD_KEYS)
            )
            if child_identity == identity or child == line:
                block.children[index] = line
                return
        block.children.append(line)

    @staticmethod
    def remove_child(block: Block, words: list[str], default: bool = False) -> None:
        """``no <words>`` inside a section (``no exec`` under a line shows); ``default``
        puts a setting back to its default."""
        text = " ".join(words)
        toggle = text in _child_toggles(block)
        block.children = [
            c for c in block.children if not _words_start(c, words) and c != "no " + text
        ]
        if toggle and not default:
            block.children.append("no " + text)

    # -- queries ---------------------------------------------------------------------------
    @property
    def hostname(self) -> str:
        """The configured hostname (IOS default ``Router``)."""
        for head in self.heads("hostname"):
            return head.split()[1]
        return "Router"

    def interfaces(self) -> list[InterfaceConfig]:
        """Every configured interface, in IOS order."""
        found = []
        for block in self.blocks:
            if not block.head.startswith("interface "):
                continue
            name = block.head.split()[1]
            description, address, shutdown = "", None, False
            for child in block.children:
                words = child.split()
                if words[0] == "description":
                    description = child[len("description ") :]
                elif words[:2] == ["ip", "address"] and len(words) >= 4:
                    address = ipaddress.IPv4Interface(f"{words[2]}/{words[3]}")
                elif words == ["shutdown"]:
                    shutdown = True
            found.append(InterfaceConfig(name, description, address, shutdown))
        return sorted(found, key=lambda i: interface_sort_key(i.name))

    def static_routes(self) -> list[tuple[ipaddress.IPv4Network, str]]:
        """``ip route P M NEXTHOP`` lines as (network, next hop)."""
        routes = []
        for head in self.heads("ip", "route"):
            words = head.split()
            if len(words) >= 5:
                routes.append((ipaddress.IPv4Network(f"{words[2]}/{words[3]}"), words[4]))
        return routes

    def values(self, *prefix_words: str) -> list[str]:
        """The word after ``prefix_words`` of each matching line (``ip name-server`` -> IPs)."""
        index = len(prefix_words)
        return [h.split()[index] for h in self.heads(*prefix_words) if len(h.split()) > index]

    # -- rendering -------------------------------------------------------------------------
    def render_body(self, clock_period: int | None = None) -> list[str]:
        """The configuration lines from ``version`` to ``end`` as IOS prints them."""
        lines: list[str] = []
        previous: tuple[int, bool] | None = None
        for block in self._ordered():
            rank, is_section = _rank(block.head, _RANK, 22), bool(block.children)
            if previous is not None and (rank != previous[0] or is_section or previous[1]):
                lines.append("!")
            if clock_period is not None and block.head.startswith("ntp server"):
                lines.append(f"ntp clock-period {clock_period}")
                clock_period = None
            lines.append(block.head)
            lines.extend(" " + child for child in self._ordered_children(block))
            previous = (rank, is_section)
        lines += ["!", "end"]
        return lines

    def _ordered(self) -> list[Block]:
        def key(item: tuple[int, Block]) -> tuple[object, ...]:
            index, block = item
            rank = _rank(block.head, _RANK, 22)
            if block.head.startswith("interface "):
                return (rank, interface_sort_key(block.head.split()[1]))
            if block.head.startswith("banner "):  # exec, login, motd: alphabetical
                return (rank, (block.head.split()[1], index))
            if block.head.startswith("line "):  # con 0, aux 0, 2, vty 0 4, vty 5 15
                return (rank, line_sort_key(block.head))
            return (rank, ("", index))

        return [b for _, b in sorted(enumerate(self.blocks), key=key)]

    @staticmethod
    def _ordered_children(block: Block) -> list[str]:
        children = list(block.children)
        if block.head.startswith("interface ") and not any(
            c.startswith("ip address") for c in children
        ):
            children.append("no ip address")
        if block.head.startswith("line "):
            return sorted(children, key=lambda c: _rank(c, _LINE_RANK, 20))
        if not block.head.startswith("interface "):
            return children
        return sorted(children, key=lambda c: _rank(c, _CHILD_RANK, 6))


def banner_delimiter(line: str) -> str | None:
    """The delimiter of a ``banner motd ^C...`` line (``^C`` or its first character)."""
    words = line.split(maxsplit=2)
    if len(words) < 3 or words[0] != "banner":
        return None
    return "^C" if words[2].startswith("^C") else words[2][0]


def banner_complete(text: str) -> bool:
    """Whether a banner command has its closing delimiter."""
    delimiter = banner_delimiter(text)
    if delimiter is None:
        return True
    body = text.split(maxsplit=2)[2][len(delimiter) :]
    return delimiter in body


def parse_config(text: str) -> IOSConfig:
    """Build a configuration from IOS text (``!`` comments and ``end`` ignored)."""
    config = IOSConfig()
    current: Block | None = None
    pending = ""
    for raw in text.splitlines():
        if pending:
            pending += "\n" + raw
            if banner_complete(pending):
                config.set_global(pending)
                pending = ""
            continue
        stripped = raw.strip()
        if not stripped or stripped.startswith("!") or stripped == "end":
            continue
        if raw.startswith(" ") and current is not None:
            if stripped != "no ip address":
                config.set_child(current, stripped)
            continue
        if not banner_complete(stripped):
            pending, current = stripped, None
            continue
        block = config.set_global(stripped)
        current = block if section_mode(stripped) else None
    return config
