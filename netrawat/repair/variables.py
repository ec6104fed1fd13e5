"""Repair template variables: declared types, validation of ``--var k=v`` and inventory values.

A value reaches a configuration line only after it passed its type (an IPv4 address, an
interface name, a choice ...) *and* the injection guard: no control character (a newline would
start another command) and none of the platform's forbidden characters (RouterOS ``;`` ends a
command, ``[ ]``/``$`` open a sub-command; IOS ``?``/``!``), the same set the compliance
templates use (``templates/<platform>/intended/features.yaml``).

>>> Variable("servers", "ipv4_list").convert("10.0.0.53,10.0.1.53", "RTR-X", ";")
['10.0.0.53', '10.0.1.53']
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from netrawat.compliance.render import safe_value
from netrawat.errors import InputError

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_INTERFACE = re.compile(r"^[A-Za-z][A-Za-z0-9/._-]{0,63}$")
_COMMIT = re.compile(r"^(?:[0-9a-f]{7,40}|HEAD(?:~[0-9]{1,3})?)$")


class RepairInputError(InputError):
    """A repair variable (from the command line or the inventory) is missing or unsafe."""


def _ipv4(text: str) -> str:
    return str(ipaddress.IPv4Address(text))


def _ipv4_list(text: str) -> list[str]:
    items = [part.strip() for part in text.split(",") if part.strip()]
    if not items:
        raise ValueError("empty list")
    return [_ipv4(item) for item in items]


def _ipv4_prefix(text: str) -> str:
    return str(ipaddress.IPv4Network(text, strict=True))


def _ipv4_range(text: str) -> str:
    first, sep, last = text.partition("-")
    if not sep or ipaddress.IPv4Address(first) > ipaddress.IPv4Address(last):
        raise ValueError("expected FIRST-LAST with FIRST <= LAST")
    return f"{_ipv4(first)}-{_ipv4(last)}"


def _matching(pattern: re.Pattern[str], what: str) -> Callable[[str], str]:
    def check(text: str) -> str:
        if not pattern.match(text):
            raise ValueError(f"not a valid {what}")
        return text

    return check


def _integer(text: str) -> int:
    return int(text, 10)


CONVERTERS: Mapping[str, Callable[[str], Any]] = {
    "string": str,
    "name": _matching(_NAME, "name (letters, digits, . _ -)"),
    "interface": _matching(_INTERFACE, "interface name"),
    "ipv4": _ipv4,
    "ipv4_list": _ipv4_list,
    "ipv4_prefix": _ipv4_prefix,
    "ipv4_range": _ipv4_range,
    "int": _integer,
    "choice": str,
    "commit": _matching(_COMMIT, "commit id (7-40 hex digits, or HEAD, HEAD~N)"),
}
"""Variable type → text-to-value converter (raises ValueError on a bad value)."""

EXAMPLES = {
    "name": "pool-lan",
    "interface": "ether3 / GigabitEthernet1",
    "ipv4": "10.21.0.1",
    "ipv4_list": "10.0.0.53,10.0.1.53",
    "ipv4_prefix": "10.21.0.0/24",
    "ipv4_range": "10.21.0.100-10.21.0.200",
    "int": "42",
    "commit": "3f2a9c1",
}


@dataclass(frozen=True)
class Variable:
    """One declared variable of a repair template."""

    name: str
    type: str
    description: str = ""
    required: bool = True
    default: Any = None
    default_from: str | None = None
    """Inventory key (host data with inheritance) that supplies the value when not given."""
    choices: tuple[str, ...] = ()
    pattern: str | None = None
    minimum: int | None = None
    maximum: int | None = None

    def describe(self) -> str:
        """One line for ``--list``: type, constraints, where the default comes from."""
        parts = [self.type]
        if self.choices:
            parts.append("one of " + "|".join(self.choices))
        if self.pattern:
            parts.append(f"matching {self.pattern}")
        if self.default_from:
            parts.append(f"default: inventory {self.default_from}")
        elif self.default is not None:
            parts.append(f"default: {self.default}")
        elif not self.required:
            parts.append("optional")
        return ", ".join(parts)

    def convert(self, raw: Any, host: str, forbidden: str) -> Any:
        """The typed, checked value of ``raw`` (text from ``--var``, or an inventory value)."""
        if isinstance(raw, list | tuple) and self.type == "ipv4_list":
            raw = ",".join(str(v) for v in raw)
        text = str(raw)
        self._guard(text, host, forbidden)
        try:
            value = CONVERTERS[self.type](text)
        except (ValueError, TypeError) as exc:
            example = EXAMPLES.get(self.type)
            raise RepairInputError(
                f"variable {self.name}: {text[:60]!r} is not a valid {self.type} ({exc})",
                f"e.g. --var {self.name}={example}" if example else self.describe(),
            ) from None
        self._constrain(value, text)
        return value

    def _guard(self, text: str, host: str, forbidden: str) -> None:
        if _CONTROL.search(text):
            raise RepairInputError(
                f"variable {self.name}: the value holds a control character (newline, tab ...)"
                " which could smuggle another command into the repair",
                "give a single-line value",
            )
        try:
            safe_value(text, forbidden, host, self.name)
        except InputError as exc:
            raise RepairInputError(
                f"variable {self.name}: value {text[:40]!r} holds a character that cannot go "
                "into a configuration line",
                exc.hint,
            ) from None

    def _constrain(self, value: Any, text: str) -> None:
        if self.choices and text not in self.choices:
            raise RepairInputError(
                f"variable {self.name}: {text!r} is not allowed",
                f"use one of: {', '.join(self.choices)}",
            )
        if self.pattern and not re.fullmatch(self.pattern, text):
            raise RepairInputError(
                f"variable {self.name}: {text!r} does not match {self.pattern}", self.describe()
            )
        if isinstance(value, int):
            if self.minimum is not None and value < self.minimum:
                raise RepairInputError(f"variable {self.name}: {value} < {self.minimum}")
            if self.maximum is not None and value > self.maximum:
                raise RepairInputError(f"variable {self.name}: {value} > {self.maximum}")


def variable_from_spec(name: str, spec: Mapping[str, Any], where: str) -> Variable:
    """A `Variable` from its YAML mapping (an `InputError` naming the file when broken)."""
    kind = str(spec.get("type", "string"))
    if kind not in CONVERTERS:
        raise InputError(
            f"{where}: variable {name}: unknown type {kind!r}",
            f"use one of: {', '.join(CONVERTERS)}",
        )
    choices = tuple(str(c) for c in spec.get("choices") or ())
    if kind == "string" and not (spec.get("pattern") or choices):
        raise InputError(
            f"{where}: variable {name}: a string variable needs a pattern or choices",
            "free text never goes into a configuration line unchecked",
        )
    # an inventory key alone is no default: a host without it has no value (issue 15.5)
    has_default = spec.get("default") is not None
    return Variable(
        name=name,
        type=kind,
        description=str(spec.get("description", "")),
        required=bool(spec.get("required", not has_default)),
        default=spec.get("default"),
        default_from=spec.get("default_from"),
        choices=choices,
        pattern=spec.get("pattern"),
        minimum=spec.get("min"),
        maximum=spec.get("max"),
    )


def parse_assignments(pairs: Sequence[str]) -> dict[str, str]:
    """``["k=v", ...]`` from ``--var`` into a mapping (a repeated key is refused)."""
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise RepairInputError(f"--var {pair[:60]!r} is not NAME=VALUE", "e.g. --var k=v")
        if key in values:
            raise RepairInputError(f"--var {key} given twice", "give each variable once")
        values[key] = value
    return values


@dataclass
class Resolved:
    """Variables of one host, typed and checked, and where each value came from."""

    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)


def resolve(
    variables: Sequence[Variable],
    given: Mapping[str, str],
    inventory: Callable[[str], Any],
    host: str,
    forbidden: str,
) -> Resolved:
    """Every declared variable's value for ``host``: given, else inventory, else default."""
    known = {v.name for v in variables}
    unknown = sorted(set(given) - known)
    if unknown:
        raise RepairInputError(
            f"unknown variable(s) {', '.join(unknown)}",
            f"this template takes: {', '.join(sorted(known)) or 'no variables'}",
        )
    out = Resolved()
    for var in variables:
        raw, source = _raw_value(var, given, inventory)
        if raw is None:
            if var.required:
                raise RepairInputError(
                    f"host {host}: variable {var.name} is required ({var.describe()})",
                    f"add --var {var.name}=..."
                    + (f" or set {var.default_from} in the inventory" if var.default_from else ""),
                )
            out.values[var.name] = None
            continue
        out.values[var.name] = var.convert(raw, host, forbidden)
        out.sources[var.name] = source
    return out


def _raw_value(
    var: Variable, given: Mapping[str, str], inventory: Callable[[str], Any]
) -> tuple[Any, str]:
    if var.name in given:
        return given[var.name], "command line"
    if var.default_from:
        found = inventory(var.default_from)
        if found not in (None, "", [], {}):
            return found, f"inventory {var.default_from}"
    if var.default is not None:
        return var.default, "template default"
    return None, ""
