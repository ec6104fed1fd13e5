"""The platform contract: what netrawat knows about one platform, as one frozen object.

A `PlatformProfile` holds data (regex rules, command strings, markers) and a few small pure
hooks (end-of-config check, rendered-line guard, config command per version). Where a profile
must name an implementation that lives in a higher layer (the remediation engine, the health
collection tasks), it names it by a dotted ``module:attribute`` string that the layer owning
the implementation resolves (`resolve_name`); the platforms layer imports nothing above it.
"""

from __future__ import annotations

import importlib
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from netrawat.errors import InputError

PLACEHOLDER = "<removed>"
"""What a removed secret becomes in stored configurations (the sanitizer's replacement)."""


_COMPILED: dict[tuple[str, int], re.Pattern[str]] = {}
_COMPILING = threading.Lock()


def compiled(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A compiled regex, cached (rules are data; they compile once). Once per process, not
    once per thread: the 20 workers of a run meeting the same rules at the same moment
    would each compile them (some take milliseconds), so the first compiles, the others
    wait for it."""
    key = (pattern, flags)
    found = _COMPILED.get(key)
    if found is None:
        with _COMPILING:
            found = _COMPILED.get(key)
            if found is None:
                found = _COMPILED[key] = re.compile(pattern, flags)
    return found


@dataclass(frozen=True)
class VolatileRule:
    """One kind of line a device rewrites without any configuration change."""

    name: str
    pattern: str
    description: str

    @property
    def regex(self) -> re.Pattern[str]:
        return compiled(self.pattern)


@dataclass(frozen=True)
class SanitizeRule:
    """One kind of secret: ``pattern`` matches it, ``replace`` keeps its context."""

    name: str
    pattern: str
    replace: str
    flags: int = re.MULTILINE
    menu: str | None = None
    """RouterOS: apply only to lines of this menu (terse ``/menu add ...`` or non-terse
    lines below a ``/menu`` header)."""
    hints: tuple[str, ...] = ()
    """Literals one of which every match contains: a text holding none of them is not
    searched (tests/test_configs_secrets_hints.py proves them on every capture)."""

    @property
    def regex(self) -> re.Pattern[str]:
        return compiled(self.pattern, self.flags)

    def may_match(self, text: str) -> bool:
        """False when ``text`` holds none of the ``hints``: the rule cannot match it."""
        return not self.hints or any(h in text for h in self.hints)


PRIVATE_KEY_RULE = SanitizeRule(
    "pem-private-key",
    r"(-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----)\r?\n(?!<removed>\r?\n).*?\r?\n"
    r"([ \t]*-----END \2PRIVATE KEY-----)",
    rf"\1\n{PLACEHOLDER}\n\3",
    flags=re.DOTALL,
    hints=("PRIVATE KEY-----",),
)
"""A PEM private key block (``-----BEGIN RSA PRIVATE KEY-----`` ... ``-----END ...``), on any
platform: its body becomes one placeholder line. Certificates are public and stay."""


@dataclass(frozen=True)
class SecretDetector:
    """A secret-shaped line the scan blocks: group 1 of ``pattern`` is the keyword shown."""

    name: str
    pattern: str
    hints: tuple[str, ...] = ()
    """Literals one of which every matching line contains: a line with none of them is
    skipped unsearched (a substring test is far cheaper than the regex)."""

    @property
    def regex(self) -> re.Pattern[str]:
        return compiled(self.pattern)

    def search(self, line: str) -> re.Match[str] | None:
        """The match in one line (the cheap ``hints`` check first)."""
        if self.hints and not any(h in line for h in self.hints):
            return None
        return self.regex.search(line)

    def within(self, text: str) -> SecretDetector | None:
        """This detector for the lines of ``text``: with only the hints ``text`` holds (a
        line of it can hold no other), or None when it holds none (no line can match)."""
        if not self.hints:
            return self
        present = tuple(h for h in self.hints if h in text)
        if not present:
            return None
        return self if present == self.hints else replace(self, hints=present)


@dataclass(frozen=True)
class Marker:
    """A line pattern with a name (factory-default markers)."""

    name: str
    pattern: str

    @property
    def regex(self) -> re.Pattern[str]:
        return compiled(self.pattern, re.MULTILINE)


def _no_problem(line: str) -> str | None:
    return None


def _no_end_problem(lines: list[str]) -> str | None:
    return None


@dataclass(frozen=True)
class SafeNet:
    """A device-side safety net for applied changes (RouterOS Safe Mode, IOS revert
    timer): its prompts, messages and limits, as the vendor documents them."""

    mechanism: str
    """``safe-mode`` (RouterOS) or ``revert-timer`` (IOS)."""
    label: str
    undo_after_loss_s: float
    """How long after a lost session the device may take to undo by itself (RouterOS: the
    TCP timeout; IOS: the timer, added to it)."""
    max_actions: int | None = None
    """Changes one safe-mode session can undo (RouterOS history: 100)."""
    # RouterOS Safe Mode
    toggle: str = ""
    taken: str = ""
    released: str = ""
    prompt_marker: str = ""
    hijack: str = ""
    # IOS revert timer
    check_command: str = ""
    not_enabled: str = ""
    arm_command: str = ""
    armed: str = ""
    refused: str = ""
    confirm_command: str = ""
    pending_command: str = ""
    none_pending: str = ""
    min_minutes: int = 0
    max_minutes: int = 0


@dataclass(frozen=True)
class PlatformProfile:
    """Everything netrawat knows about one platform (see README "Platforms")."""

    name: str
    """The inventory/netmiko platform name."""
    netmiko_platform: str
    napalm_platform: str
    config_extension: str
    """File extension of backups in the config repository."""
    error_patterns: tuple[str, ...]
    """Regexes (matched per reply line) that mark a device reply as a rejection/error."""
    show_config_command: str
    has_enable: bool
    saves_config_explicitly: bool
    """IOS needs `write memory`; RouterOS applies and persists every change at once."""
    informational_patterns: tuple[str, ...] = ()
    """Reply lines an error pattern matches that are information, not a rejection."""
    config_command_for: Callable[[int | None], str] | None = None
    """The show-config command for a major OS version (None: `show_config_command`)."""
    needs_major_version: bool = False
    """The show-config command depends on the major version (ask the device or inventory)."""
    end_problem: Callable[[list[str]], str | None] = _no_end_problem
    """Why the content lines of a fetched config look cut off (None: complete)."""
    line_problem: Callable[[str], str | None] = _no_problem
    """Why one rendered repair line is unsafe to send (None: fine)."""
    volatile_rules: tuple[VolatileRule, ...] = ()
    sanitize_rules: tuple[SanitizeRule, ...] = ()
    secret_detectors: tuple[SecretDetector, ...] = ()
    config_line_prompt: str = r"[>#][ \t]*$"
    """The prompt that ends the reply to one pushed configuration line (any identity)."""
    exec_prompt: str = r"[>#][ \t]*$"
    """The prompt back in exec mode after leaving configuration mode."""
    remediation_engine: str = ""
    """Dotted ``module:Class`` of the remediation engine (resolved by netrawat.remediation)."""
    engine_restores_whole_config: bool = False
    """Rollback hands the engine the whole pre-change config (RouterOS: menu paths scope it)
    rather than only the scoped part of it (IOS sections)."""
    health_collectors: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Collection path (``cli``/``api``) -> dotted ``module:function`` Nornir task."""
    audit_checks: str = ""
    """Dotted module with the security baseline's ``CHECKS``, ``COMMANDS`` and ``prepare``."""
    api_only_with_port: bool = False
    """The ``api`` health path needs ``data.api_port`` on the host (RouterOS API)."""
    napalm_over_ssh: bool = True
    """NAPALM speaks SSH (gets the strict netmiko arguments); else the device API."""
    default_api_port: int | None = None
    version_in_config: str = ""
    """Regex whose group 1 is the release a fetched configuration names (RouterOS export
    header, IOS ``version``)."""
    version_search_chars: int | None = None
    """How much of the configuration's start to search for it (None: all)."""
    factory_markers: tuple[Marker, ...] = ()
    """Lines only a factory-default (reset) configuration has."""
    identity_pattern: str = ""
    """Regex whose group 1 is the device's own name in its configuration."""
    default_identity: str | None = None
    """The name a device has when its configuration sets none (RouterOS: MikroTik)."""
    safe_net: SafeNet | None = None
    release_probe: str = ""
    """The command that states the full OS release (``/system resource print``)."""
    release_probe_pattern: str = ""
    """Group 1: the release in the probe's reply."""

    def same_release(self, config_release: str, probed: str) -> bool:
        """Whether the probe's release is the configuration's (IOS configs name X.Y only)."""
        return probed == config_release or probed.startswith(config_release + "(")

    """How the device undoes a change by itself when the session is lost (`SafeNet`)."""

    # -- replies ------------------------------------------------------------------------------

    def find_error(self, output: str) -> str | None:
        """The first line of ``output`` the device rejected with, or None.

        A line is a rejection when an error pattern matches it and no informational pattern
        does; the whole line (stripped) is returned: the device's exact words."""
        for line in output.splitlines():
            text = line.strip()
            if any(compiled(p).search(text) for p in self.error_patterns) and not any(
                compiled(p).search(text) for p in self.informational_patterns
            ):
                return text
        return None

    # -- configuration ------------------------------------------------------------------------

    def config_command(self, major: int | None = None) -> str:
        """The command that shows the whole configuration (for a major version if it matters)."""
        if self.config_command_for is None:
            return self.show_config_command
        return self.config_command_for(major)

    def version_from_config(self, text: str) -> str:
        """The release a configuration names, or '' (a refused command names none)."""
        if not self.version_in_config:
            return ""
        found = compiled(self.version_in_config, re.MULTILINE).search(
            text[: self.version_search_chars]
        )
        return found.group(1) if found else ""

    def identity_from_config(self, text: str) -> str | None:
        """The device's own name as its configuration sets it (IOS ``hostname X``, RouterOS
        ``/system identity set name=X``), or None when the text sets none."""
        if not self.identity_pattern:
            return None
        found = compiled(self.identity_pattern, re.MULTILINE).findall(text)
        if not found:
            return None
        value = str(found[-1]).strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        return value or None

    def factory_markers_in(self, text: str) -> list[str]:
        """Names of the factory-default markers found in a configuration (empty: none).

        Alone, a marker is no proof of a reset: real RouterOS routers in service keep their
        ``defconf`` comments, the 192.168.88.1/24 LAN and the default identity (captures
        L009UiGS 7.15.2, RB5009 7.18.2). Compare with the last good backup
        (`new_factory_markers`) and the inventory name (`identity_from_config`)."""
        return [m.name for m in self.factory_markers if m.regex.search(text)]

    def new_factory_markers(self, previous: str, current: str) -> list[str]:
        """Factory-default markers ``current`` has that the ``previous`` backup had not."""
        before = set(self.factory_markers_in(previous))
        return [m for m in self.factory_markers_in(current) if m not in before]


def resolve_name(dotted: str) -> Any:
    """The object a ``module:attribute`` string names, or the module of a plain dotted name
    (profiles name higher-layer code so)."""
    module, _, attribute = dotted.partition(":")
    if not module:
        raise InputError(f"bad implementation name {dotted!r}", "use 'package.module:name'")
    found = importlib.import_module(module)
    return getattr(found, attribute) if attribute else found
