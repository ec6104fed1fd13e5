"""Cisco IOS remediation with hier_config 3.x (tree diff, IOS negation rules as its data).

The scope is a list of regexes matched against top-level lines: only those lines (with their
sections) of the running config take part, so a partial intended config (one feature) never
negates the rest of the device.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml
from hier_config import HConfig, HConfigChild, Platform, WorkflowRemediation, get_hconfig
from hier_config.exceptions import DuplicateChildError

from netrawat.errors import InputError
from netrawat.platforms import PLACEHOLDER
from netrawat.remediation.model import Remediation

PLATFORM = Platform.CISCO_IOS
MULTI_VALUE = (re.compile(r"^(ip name-server(?: vrf \S+)?) (\S+(?: \S+)+)$"),)
"""Lines IOS-XE prints with several values (``ip name-server A B``) while classic IOS prints
one line per value: both are read as one line per value, so either form compares equal."""


def one_value_per_line(text: str) -> str:
    """``ip name-server A B`` → one ``ip name-server`` line per server.

    >>> one_value_per_line("ip name-server 10.0.0.53 10.0.1.53\\n")
    'ip name-server 10.0.0.53\\nip name-server 10.0.1.53\\n'
    """
    out: list[str] = []
    for line in text.splitlines():
        match = next((m for p in MULTI_VALUE if (m := p.match(line.rstrip()))), None)
        if match:
            out.extend(f"{match.group(1)} {value}" for value in match.group(2).split())
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def _lines(config: HConfig) -> list[str]:
    """Configuration text lines, sections indented by one space per level as IOS prints."""
    return [" " * (child.depth() - 1) + child.text for child in config.all_children_sorted()]


def banner_delimiter(line: str) -> str | None:
    """The delimiter a banner's first line still awaits (None: not a banner, or it ended on
    that line). IOS prints the delimiter as ``^C``; one typed is any first character.

    >>> banner_delimiter("banner motd ^C"), banner_delimiter("banner motd #hi#")
    ('^C', None)
    """
    words = line.split(maxsplit=2)
    if len(words) < 3 or words[0] != "banner":
        return None
    rest = words[2]
    delimiter = "^C" if rest.startswith("^C") else rest[0]
    return None if delimiter in rest[len(delimiter) :] else delimiter


def scoped_text(config: str, scope: Sequence[str]) -> str:
    """The top-level lines matching any scope regex, with their indented section lines (and a
    banner's text lines with its first line).

    Scoping the text before hier_config parses it keeps unrelated parts of a real config
    (which may hold sections hier_config refuses, e.g. duplicate ``server-private`` lines)
    out of the comparison entirely."""
    patterns = [re.compile(p) for p in scope]
    kept: list[str] = []
    keep = False
    banner_end: str | None = None
    for line in config.splitlines():
        if banner_end is not None:
            banner_end = None if banner_end in line else banner_end
        elif line[:1] not in (" ", "\t", ""):
            keep = any(p.search(line) for p in patterns)
            banner_end = banner_delimiter(line)
        if keep and line.strip():
            kept.append(line)
    return "\n".join(kept) + "\n" if kept else ""


BANNER_DELIMITERS = "#%~@|^&*"
"""Delimiters a banner is sent with: the first its text does not hold (IOS takes the first
character after ``banner motd`` as the delimiter, so the ``^C`` a config shows cannot be typed)."""


BACK_ON_WITH_DEFAULT = frozenset({"activation-character"})
"""Settings turned back on with ``default X``: bare ``X`` wants a value on IOS."""


def sendable(command: str) -> str:
    """A remediation line as it can be typed: a banner with a typeable delimiter, a banner's
    negation without its text.

    >>> sendable("banner motd ^C\\nHi there\\n^C")
    'banner motd #\\nHi there\\n#'
    >>> sendable("no banner motd ^C\\nHi there\\n^C")
    'no banner motd'
    >>> sendable(" activation-character")
    ' default activation-character'
    """
    indent = command[: len(command) - len(command.lstrip(" "))]
    if command.strip() in BACK_ON_WITH_DEFAULT:
        return f"{indent}default {command.strip()}"
    if command.startswith("no banner "):
        return " ".join(command.split()[:3])
    if not command.startswith("banner ") or "\n" not in command:
        return command
    head, _, rest = command.partition("\n")
    body = rest.rsplit("\n", 1)[0] if rest.rstrip().endswith("^C") else rest
    text = head.split(maxsplit=2)[2].removeprefix("^C") + "\n" + body
    delimiter = next(c for c in BANNER_DELIMITERS if c not in text)
    kind = " ".join(head.split()[:2])
    return f"{kind} {delimiter}{text}\n{delimiter}"


def shown_banner(command: str) -> str:
    """A typed banner as IOS shows it (its delimiters shown as ``^C``).

    >>> shown_banner("banner motd #\\nHi\\n#")
    'banner motd ^C\\nHi\\n^C'
    """
    words = command.split("\n", 1)[0].split(maxsplit=2)
    if len(words) < 3 or words[0] != "banner" or "\n" not in command:
        return command
    delimiter = "^C" if words[2].startswith("^C") else words[2][0]
    if delimiter == "^C":
        return command
    return " ".join(words[:2]) + " " + command.split(maxsplit=2)[2].replace(delimiter, "^C")


def without_duplicates(config: str) -> str:
    """The config with repeated identical lines under one parent dropped (real configs carry
    some, e.g. ``snmp trap link-status`` twice; hier_config refuses them)."""
    seen: set[tuple[str, str]] = set()
    parent = ""
    kept: list[str] = []
    for line in config.splitlines():
        if line[:1] not in (" ", "\t"):
            parent = ""
        key = (parent, line.rstrip())
        if line.strip() and key in seen:
            continue
        seen.add(key)
        if line[:1] not in (" ", "\t"):
            parent = line
        kept.append(line)
    return "\n".join(kept) + "\n"


def prepared(config: str, scope: Sequence[str] | None = None) -> HConfig:
    """A config text as hier_config tree: one value per line, scoped, without duplicates."""
    text = one_value_per_line(config)
    if scope is not None:
        text = scoped_text(text, scope)
    try:
        return get_hconfig(PLATFORM, without_duplicates(text))
    except (ValueError, DuplicateChildError) as exc:
        raise InputError(
            f"hier_config cannot read this IOS configuration: {exc}",
            "check the banner lines and duplicated sections of the running config",
        ) from None


DEFAULTS_FILE = Path(__file__).with_name("ios_defaults.yaml")


@functools.cache
def _toggles() -> dict[str, dict[str, frozenset[str]]]:
    """``ios_defaults.yaml``: kind (default_on, both_shown) → section prefix → settings."""
    raw: dict[str, dict[str, list[str]]] = yaml.safe_load(DEFAULTS_FILE.read_text("utf-8"))
    return {
        kind: {prefix: frozenset(names) for prefix, names in sections.items()}
        for kind, sections in raw.items()
    }


def toggle_kind(parent: HConfig | HConfigChild, setting: str) -> str | None:
    """``default_on`` / ``both_shown`` for an on/off setting under ``parent``, else None.

    >>> from hier_config import get_hconfig
    >>> root = get_hconfig(PLATFORM, "line 2\\n")
    >>> toggle_kind(root, "ip domain lookup"), toggle_kind(root.get_child(equals="line 2"), "exec")
    ('default_on', 'default_on')
    >>> toggle_kind(root, "ip http server"), toggle_kind(root, "shutdown")
    ('both_shown', None)
    """
    head = "" if isinstance(parent, HConfig) else parent.text
    for kind, sections in _toggles().items():
        for prefix, names in sections.items():
            if (head.startswith(prefix) if prefix else not head) and setting in names:
                return kind
    return None


def _negate(parent: HConfig | HConfigChild, target: str) -> None:
    """``no X``: X (and lines it prefixes) removed; ``no X`` shown only for a setting IOS
    shows when off (`ios_defaults.yaml`)."""
    doomed = [c for c in parent.children if c.text == target]
    doomed += [c for c in parent.children if c.text.startswith(target + " ")]
    for child in doomed:
        parent.children.delete(child)
    shown = toggle_kind(parent, target) is not None
    if shown and parent.get_child(equals="no " + target) is None:
        parent.add_child("no " + target)


def _apply_line(parent: HConfig | HConfigChild, text: str) -> HConfig | HConfigChild | None:
    """One command on one level; the node it opens (None for a negation or a toggle)."""
    if text.startswith("no "):
        _negate(parent, text[3:])
        return None
    if text.startswith("default "):  # back to the default: neither X nor `no X` shows
        _negate(parent, text[8:])
        negated = parent.get_child(equals="no " + text[8:])
        if negated is not None:
            parent.children.delete(negated)
        return None
    text = shown_banner(text)
    negated = parent.get_child(equals="no " + text)
    if negated is not None:
        parent.children.delete(negated)
    if toggle_kind(parent, text) == "default_on":  # back on: IOS shows nothing
        return None
    existing = parent.get_child(equals=text)
    if existing is not None:
        return existing
    child = parent.add_child(text)
    # single-value commands (description, ip address ...) replace their old value: the
    # driver's own idempotency rules say which
    others = [c for c in parent.children if c is not child]
    replaced = config_driver(parent).idempotent_for(child, others)
    if replaced is not None:
        parent.children.delete(replaced)
    return child


def config_driver(node: HConfig | HConfigChild) -> Any:
    return node.root.driver


def _apply(config: HConfig, commands: Sequence[str]) -> None:
    """Apply configuration commands as IOS would: ``no X`` removes X (and lines it prefixes),
    ``X`` replaces a ``no X`` and is added once; indentation says which section a line is in."""
    stack: list[HConfig | HConfigChild] = [config]
    for command in commands:
        depth = len(command) - len(command.lstrip(" "))
        del stack[depth + 1 :]
        node = _apply_line(stack[min(depth, len(stack) - 1)], command.strip())
        if node is not None:
            stack.append(node)


def _text(lines: Iterable[str]) -> str:
    return "\n".join(lines) + "\n"


def ios_sections(text: str) -> dict[str, tuple[str, ...]]:
    """Top-level line → its indented lines (``!`` separators ignored). A banner (``banner motd
    ^C`` ... ``^C``) is one section: its whole text, lines joined by newlines.

    >>> ios_sections("interface Gi1\\n shutdown\\n!\\nip name-server 10.0.0.53\\n")
    {'interface Gi1': (' shutdown',), 'ip name-server 10.0.0.53': ()}
    >>> ios_sections("banner motd ^C\\nhello\\n^C\\nhostname R1\\n")
    {'banner motd ^C\\nhello\\n^C': (), 'hostname R1': ()}
    """
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    banner: list[str] = []
    banner_end: str | None = None
    for line in text.splitlines():
        if banner_end is not None:
            banner.append(line)
            if banner_end in line:
                banner_end = None
                sections.setdefault("\n".join(banner), [])
            continue
        if line.startswith("banner "):
            banner, banner_end, current = [line], banner_delimiter(line), None
            if banner_end is None:
                sections.setdefault(line, [])
            continue
        if not line.strip() or line.strip() == "!":
            continue
        if line[:1] in (" ", "\t") and current is not None:
            current.append(line.rstrip())
        else:
            current = sections.setdefault(line.rstrip(), [])
    return {top: tuple(children) for top, children in sections.items()}


def _section_pattern(top: str) -> str:
    """The scope regex of one top-level section (a banner by its kind: ``^banner motd ``)."""
    if top.startswith("banner "):
        return f"^{re.escape(' '.join(top.split()[:2]))} "
    return f"^{re.escape(top)}$"


def ios_scope(before: str, after: str) -> list[str]:
    """Scope regexes of the top-level sections whose text differs (none holding a secret)."""
    old, new = ios_sections(before), ios_sections(after)
    differing = [t for t in dict.fromkeys([*old, *new]) if old.get(t) != new.get(t)]
    patterns = [_section_pattern(top) for top in differing if PLACEHOLDER not in top]
    return list(dict.fromkeys(patterns))


class IOSEngine:
    """Remediation for ``cisco_ios`` through hier_config's WorkflowRemediation."""

    def remediate(
        self, running: str, intended: str, scope: Sequence[str], *, exact: bool = False
    ) -> Remediation:
        """hier_config's remediation; within the scope intended is always whole (``exact``
        changes nothing on IOS)."""
        have = prepared(running, scope)
        want = prepared(intended)
        workflow = WorkflowRemediation(have, want)
        return Remediation(
            commands=[sendable(c) for c in _lines(workflow.remediation_config)],
            rollback=[sendable(c) for c in _lines(workflow.rollback_config)],
            missing=_lines(want.difference(have)),
            extra=_lines(have.difference(want)),
        )

    def apply(self, running: str, commands: Sequence[str]) -> str:
        config = prepared(running)
        _apply(config, commands)
        return _text(_lines(config))

    def scope_between(self, before: str, after: str) -> list[str]:
        return ios_scope(before, after)

    def without_secrets(self, scope: Sequence[str], *texts: str) -> list[str]:
        return [e for e in scope if not any(PLACEHOLDER in scoped_text(t, [e]) for t in texts)]

    def scoped(self, intended: str, scope: Sequence[str]) -> str:
        return scoped_text(intended, scope)
