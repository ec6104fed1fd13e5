"""Property kinds and how RouterOS checks and normalises a value of each kind.

Values are kept as RouterOS strings. Booleans are stored the CLI way (``yes``/``no``) and
shown the API way (``true``/``false``) by `api_boolean`.

>>> normalise("bool", "true", "disabled")
'yes'
>>> normalise("prefix", "10.1.2.3/24", "address")
'10.1.2.3/24'
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable

from netrawat_lab.routeros.errors import InvalidValue

_TRUE = {"yes", "true"}
_FALSE = {"no", "false"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TIME = re.compile(r"^(?:\d+[wdhms]|\d+ms)+$|^\d+(?::\d\d){1,2}$|^\d+$")
_MAC = re.compile(r"^[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}$")
_RANGE = re.compile(r"^[\d.]+(?:-[\d.]+)?$")


def _bool(value: str, argument: str) -> str:
    low = value.lower()
    if low in _TRUE:
        return "yes"
    if low in _FALSE:
        return "no"
    raise InvalidValue(argument)


def _int(value: str, argument: str) -> str:
    if not value.isdigit():
        raise InvalidValue(argument)
    return str(int(value))


def _ip(value: str, argument: str) -> str:
    try:
        return str(ipaddress.IPv4Address(value))
    except ValueError:
        raise InvalidValue(argument) from None


def _prefix(value: str, argument: str) -> str:
    address, _, length = value.partition("/")
    _ip(address, argument)
    if not length:
        return f"{address}/32"
    if not length.isdigit() or int(length) > 32:
        raise InvalidValue(argument)
    return f"{address}/{int(length)}"


def _network(value: str, argument: str) -> str:
    """A destination like ``0.0.0.0/0``: normalised to its network address."""
    try:
        return str(ipaddress.IPv4Network(value, strict=False))
    except ValueError:
        raise InvalidValue(argument) from None


def _ip_list(value: str, argument: str) -> str:
    parts = [p for p in value.split(",") if p]
    return ",".join(_ip(p, argument) for p in parts)


def _ranges(value: str, argument: str) -> str:
    for part in value.split(","):
        if not _RANGE.match(part):
            raise InvalidValue(argument)
        for end in part.split("-"):
            _ip(end, argument)
    return value


def _pattern(regex: re.Pattern[str]) -> Callable[[str, str], str]:
    def check(value: str, argument: str) -> str:
        if not regex.match(value):
            raise InvalidValue(argument)
        return value

    return check


def _text(value: str, argument: str) -> str:
    if _CONTROL.search(value):
        raise InvalidValue(argument)
    return value


_CHECKS: dict[str, Callable[[str, str], str]] = {
    "bool": _bool,
    "int": _int,
    "ip": _ip,
    "prefix": _prefix,
    "network": _network,
    "ip-list": _ip_list,
    "ranges": _ranges,
    "time": _pattern(_TIME),
    "mac": _pattern(_MAC),
    "str": _text,
    "text": lambda value, _argument: value,
}

KINDS = frozenset(_CHECKS) | {"enum", "ref"}


def normalise(kind: str, value: str, argument: str) -> str:
    """The stored form of ``value`` for a property of ``kind``, or `InvalidValue`."""
    return _CHECKS.get(kind, _text)(value, argument)


def api_boolean(value: str) -> str:
    """``yes``/``no`` as the API shows them (``true``/``false``)."""
    return {"yes": "true", "no": "false"}.get(value, value)
