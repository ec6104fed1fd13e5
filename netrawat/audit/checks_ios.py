"""Cisco IOS check kinds (CIS-style basics) on ``show running-config``.

IOS facts these checks rely on (IOS 15 / IOS XE 16-17, as real running configs show them):

- ``service password-encryption`` shows as ``no service password-encryption`` when off;
- ``exec-timeout`` is not shown at its default of 10 minutes; ``exec-timeout 0 0`` never ends;
- ``transport input`` on a vty line is shown when set; older releases default to ``all``
  (telnet included), so a vty line without ``transport input ssh`` is a finding;
- ``enable secret 5`` is MD5 (weak), 8 (PBKDF2) and 9 (scrypt) are the strong types.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from netrawat.audit.model import AuditFacts, Outcome


@dataclass(frozen=True)
class IOSConfig:
    """Top-level lines and the indented children of each section."""

    lines: tuple[str, ...]
    sections: tuple[tuple[str, tuple[str, ...]], ...]

    @classmethod
    def parse(cls, text: str) -> IOSConfig:
        top: list[str] = []
        sections: list[tuple[str, list[str]]] = []
        for raw in text.splitlines():
            line = raw.rstrip()
            if not line.strip() or line.strip() == "!":
                continue
            if line[:1] == " " and sections:
                sections[-1][1].append(line.strip())
            elif line[:1] != " ":
                top.append(line)
                sections.append((line, []))
        return cls(tuple(top), tuple((t, tuple(c)) for t, c in sections))

    def matching(self, pattern: str) -> list[str]:
        regex = re.compile(pattern)
        return [line for line in self.lines if regex.search(line)]

    def lines_section(self, prefix: str) -> list[tuple[str, tuple[str, ...]]]:
        return [(t, c) for t, c in self.sections if t.startswith(prefix)]


Check = Callable[[IOSConfig, AuditFacts, Mapping[str, Any]], Outcome]


def line_present(config: IOSConfig, facts: AuditFacts, p: Mapping[str, Any]) -> Outcome:
    """A top-level line matches ``pattern``."""
    _ = facts
    found = config.matching(str(p["pattern"]))
    if found:
        return Outcome(True, "present", tuple(found))
    near = config.matching(str(p["near"])) if p.get("near") else []
    return Outcome(False, str(p.get("missing", f"no line matching {p['pattern']}")), tuple(near))


def line_absent(config: IOSConfig, facts: AuditFacts, p: Mapping[str, Any]) -> Outcome:
    """No top-level line matches ``pattern``."""
    _ = facts
    found = config.matching(str(p["pattern"]))
    if found:
        return Outcome(False, str(p.get("found", "forbidden line present")), tuple(found))
    return Outcome(True, "absent")


def vty_ssh_only(config: IOSConfig, facts: AuditFacts, p: Mapping[str, Any]) -> Outcome:
    """Every ``line vty`` accepts SSH only."""
    _ = (facts, p)
    bad, evidence = [], []
    vtys = config.lines_section("line vty ")
    for top, children in vtys:
        transport = [c for c in children if c.startswith("transport input ")]
        if transport != ["transport input ssh"]:
            bad.append(top)
            evidence += [top, *(f" {c}" for c in transport or ["(no transport input: default)"])]
    if not vtys:
        return Outcome(False, "no line vty section", ())
    if bad:
        return Outcome(False, f"{', '.join(bad)}: not SSH only", tuple(evidence))
    return Outcome(True, "vty lines: SSH only")


def enable_secret(config: IOSConfig, facts: AuditFacts, p: Mapping[str, Any]) -> Outcome:
    """``enable secret`` of a strong type (8/9) and no ``enable password``."""
    _ = facts
    strong = tuple(str(t) for t in p.get("types", ("8", "9")))
    secrets = config.matching(r"^enable secret ")
    passwords = config.matching(r"^enable password ")
    shown = tuple(
        re.sub(r"^(enable \w+ (?:\d+ )?)\S+", r"\1<removed>", line)
        for line in (*secrets, *passwords)
    )
    if passwords:
        return Outcome(False, "enable password is set (reversible)", shown)
    if not secrets:
        return Outcome(False, "no enable secret", ())
    kinds = [line.split()[2] if len(line.split()) > 3 else "0" for line in secrets]
    if any(k not in strong for k in kinds):
        return Outcome(
            False, f"enable secret type {', '.join(kinds)} (want {'/'.join(strong)})", shown
        )
    return Outcome(True, f"enable secret type {', '.join(kinds)}", shown)


def exec_timeout(config: IOSConfig, facts: AuditFacts, p: Mapping[str, Any]) -> Outcome:
    """Console and vty lines time out within ``max_minutes`` (absent = the 10-minute default)."""
    _ = facts
    limit = int(p.get("max_minutes", 15)) * 60
    bad, evidence = [], []
    for top, children in [*config.lines_section("line con "), *config.lines_section("line vty ")]:
        for child in children:
            match = re.match(r"exec-timeout (\d+)(?: (\d+))?", child)
            if match:
                seconds = int(match.group(1)) * 60 + int(match.group(2) or 0)
                if seconds == 0 or seconds > limit:
                    bad.append(top)
                    evidence += [top, f" {child}"]
    if bad:
        return Outcome(
            False, f"{', '.join(bad)}: exec-timeout 0 or over {limit // 60} min", tuple(evidence)
        )
    return Outcome(True, "exec-timeout set")


def snmp_community(config: IOSConfig, facts: AuditFacts, p: Mapping[str, Any]) -> Outcome:
    """No SNMP community called one of ``forbidden``."""
    _ = facts
    names = "|".join(re.escape(str(n)) for n in p.get("forbidden", ("public", "private")))
    found = config.matching(rf"^snmp-server community (?:{names})(?:\s|$)")
    if found:
        return Outcome(False, "a well-known SNMP community is configured", tuple(found))
    return Outcome(True, "no well-known SNMP community")


def _servers_in(lines: list[str], pattern: str) -> set[str]:
    regex = re.compile(pattern)
    return {m.group(1) for line in lines if (m := regex.search(line))}


def city_servers(config: IOSConfig, facts: AuditFacts, p: Mapping[str, Any]) -> Outcome:
    """Lines matching ``pattern`` (group 1 = server) name every server of inventory ``key``."""
    lines = config.matching(str(p["pattern"]))
    found = _servers_in(lines, str(p["pattern"]))
    value = facts.data.get(str(p["key"]))
    wanted = [
        str(v) for v in (value if isinstance(value, list | tuple) else [value] if value else [])
    ]
    missing = [s for s in wanted if s not in found]
    if not found:
        return Outcome(False, str(p.get("missing", "not configured")), ())
    if missing:
        return Outcome(False, f"missing {', '.join(missing)}", tuple(lines))
    return Outcome(True, ", ".join(sorted(found)), tuple(lines))


CHECKS: dict[str, Check] = {
    "line_present": line_present,
    "line_absent": line_absent,
    "vty_ssh_only": vty_ssh_only,
    "enable_secret": enable_secret,
    "exec_timeout": exec_timeout,
    "snmp_community": snmp_community,
    "city_servers": city_servers,
}
COMMANDS: tuple[str, ...] = ()


def prepare(facts: AuditFacts) -> IOSConfig:
    return IOSConfig.parse(facts.config)
