"""Selecting hosts: --host / --opd / --role / --platform / --group.

Kinds combine with AND, values of one kind with OR. ``--host`` also takes shell patterns
(``AP-RSUD-*``). A name or pattern that matches nothing in the inventory (host, OPD code,
group) is an input error, as is an empty selection.
"""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Callable, Iterable

from nornir.core.inventory import Host, Inventory

from netrawat.errors import InputError
from netrawat.fleetspec import Selection
from netrawat.inventory.model import all_groups, opd_groups
from netrawat.platforms import PLATFORMS, ROLES


def is_pattern(value: str) -> bool:
    """Whether a --host value is a shell pattern (``AP-RSUD-*``) rather than a name."""
    return any(char in value for char in "*?[")


def host_opd(host: Host) -> str:
    """The OPD short code of a (validated) host."""
    return str(opd_groups(host)[0].data["opd"])


def check_selection(inventory: Inventory, selection: Selection) -> None:
    """Refuse filter values that name nothing in the inventory."""
    _known("host", selection.hosts, inventory.hosts.keys())
    opds = {str(g.data["opd"]) for g in inventory.groups.values() if "opd" in g.data}
    _known("opd", selection.opds, opds)
    _known("role", selection.roles, ROLES)
    _known("platform", selection.platforms, PLATFORMS.keys())
    _known("group", selection.groups, inventory.groups.keys())


def _known(kind: str, values: Iterable[str], known: Iterable[str]) -> None:
    names = list(known)
    for value in values:
        if is_pattern(value) and kind == "host":
            if not fnmatch.filter(names, value):
                raise InputError(
                    f"--host {value}: the pattern matches no host in the inventory",
                    "run `netrawat inventory` to list the fleet",
                )
            continue
        if value not in names:
            close = difflib.get_close_matches(value, names, n=3)
            hint = (
                f"did you mean {', '.join(close)}?"
                if close
                else ("run `netrawat inventory` to list the fleet")
            )
            raise InputError(f"--{kind} {value}: no such {kind} in the inventory", hint)


def matches(selection: Selection) -> Callable[[Host], bool]:
    """A predicate for `Nornir.filter(filter_func=...)` implementing the selection."""
    hosts, opds, roles = set(selection.hosts), set(selection.opds), set(selection.roles)
    platforms, groups = set(selection.platforms), set(selection.groups)

    patterns = [h for h in hosts if is_pattern(h)]

    def predicate(host: Host) -> bool:
        return (
            (
                not hosts
                or host.name in hosts
                or any(fnmatch.fnmatchcase(host.name, p) for p in patterns)
            )
            and (not opds or host_opd(host) in opds)
            and (not roles or host.get("role") in roles)
            and (not platforms or host.platform in platforms)
            and (not groups or any(g.name in groups for g in all_groups(host)))
        )

    return predicate
