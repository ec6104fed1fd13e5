"""Reading a RouterOS export for the baseline: items per menu, values with RouterOS defaults.

``/export`` leaves out every value that is still the default (``/ip service`` prints nothing
for a service nobody touched: it is *enabled*). The defaults used here are RouterOS 7's, as
``/export verbose`` and ``/ip service print`` show them on a fresh device; each rule names the
default it relies on in its YAML parameters (``default:``), so a reader can check it.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from netrawat.remediation.routeros_model import ConfigModel, Item

_VERSION = re.compile(r"^\s*version:\s*(\d+(?:\.\d+)*)", re.MULTILINE)
_HEADER_VERSION = re.compile(r"by RouterOS (\d+(?:\.\d+)*)")


@dataclass
class RouterOSConfig:
    """An export, parsed (lines that are not commands are skipped, never guessed at)."""

    model: ConfigModel

    @classmethod
    def parse(cls, text: str) -> RouterOSConfig:
        return cls(ConfigModel.from_export(text, strict=False))

    def items(self, path: str) -> list[Item]:
        return self.model.at(path)

    def setting(self, path: str, name: str, default: str) -> tuple[str, tuple[str, ...]]:
        """A settings-menu value (the default when not exported) and the lines showing it."""
        for item in self.items(path):
            if name in item.props:
                return item.props[name], tuple(item.lines)
        return default, ()

    def named(self, path: str, name: str) -> Item | None:
        """The built-in item ``name`` (``/ip service set telnet ...``), if the export has it."""
        for item in self.items(path):
            if dict(item.selector).get("name") == name or item.props.get("name") == name:
                return item
        return None


def lines_of(items: list[Item]) -> tuple[str, ...]:
    return tuple(line for item in items for line in item.lines)


def enabled(item: Item) -> bool:
    return item.props.get("disabled", "no") != "yes"


def routeros_version(resource: str, config: str) -> str | None:
    """The version from ``/system resource print`` (else from the export header)."""
    match = _VERSION.search(resource) or _HEADER_VERSION.search(config)
    return match.group(1) if match else None


def version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split(".") if p.isdigit())


def networks(text: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """``10.0.0.0/16,10.1.0.5`` as networks (bad entries are skipped)."""
    out = []
    for part in text.split(","):
        try:
            out.append(ipaddress.ip_network(part.strip(), strict=False))
        except ValueError:
            continue
    return out


def within(text: str, allowed: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    """Whether every network of ``text`` lies inside one of ``allowed``."""
    found = networks(text)
    if not found:
        return False
    return all(
        any(n.version == a.version and n.subnet_of(a) for a in allowed)  # type: ignore[arg-type]
        for n in found
    )
