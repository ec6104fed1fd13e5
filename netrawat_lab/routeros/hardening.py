"""The built-in items a RouterOS 7 device always has (``/ip service``, the logging actions,
the SNMP community ``public``), and the security baseline a lab router is seeded with, minus
the gaps its spec names.

Defaults are RouterOS 7.16's, as ``/export verbose`` and ``/ip service print`` show them on a
fresh device: every service is enabled but ``www-ssl`` (it has no certificate), on its
well-known port, from any address; the logging actions ``memory``, ``disk``, ``echo`` and
``remote`` (``remote=0.0.0.0``) exist, and the SNMP community ``public`` (``default=yes``);
the MAC server and neighbor discovery answer on every interface; the bandwidth-test server is
on; RoMON and strong SSH crypto are off.

A lab router whose seed says ``hardened`` (every device of a generated fleet: ``lab up`` from
the example inventory or ``--devices N``, the demo; test labs when they ask) starts hardened
the way the section configures one (MikroTik's "Securing your router"): unused services off,
SSH and Winbox (and the API where the host has it) only from the management network, MAC
server and neighbor discovery on the LAN list only, the bandwidth-test server off, strong SSH
crypto, the ``public`` SNMP community disabled, remote logging to the city log server.
``seed["baseline_gaps"]`` names what an OPD left undone (see `netrawat_lab.baseline_gaps`).
The lab does not filter connections by a service's ``address``: it is configuration, as the
audit reads it.
"""

from __future__ import annotations

from collections.abc import Mapping

from netrawat_lab.routeros.model import RouterOSModel
from netrawat_lab.spec import DeviceSpec

SERVICES: tuple[tuple[str, str, bool], ...] = (
    ("telnet", "23", False),
    ("ftp", "21", False),
    ("www", "80", False),
    ("ssh", "22", False),
    ("www-ssl", "443", True),
    ("api", "8728", False),
    ("winbox", "8291", False),
    ("api-ssl", "8729", False),
)
"""(name, port, disabled by default) of ``/ip service``, in RouterOS's print order."""
LOG_ACTIONS = (("memory", "memory"), ("disk", "disk"), ("echo", "echo"), ("remote", "remote"))
DEFAULT_MANAGEMENT = "10.0.0.0/16"
DEFAULT_SYSLOG = "10.0.0.14"


def build_builtins(model: RouterOSModel) -> None:
    """The services and logging actions every RouterOS device has, with factory values."""
    for name, port, disabled in SERVICES:
        model.add_builtin(
            "/ip/service", {"name": name, "port": port}, disabled=disabled, hidden=True
        )
    model.add_builtin("/snmp/community", {"name": "public", "default": "yes"}, hidden=True)
    for name, target in LOG_ACTIONS:
        model.add_builtin("/system/logging/action", {"name": name, "target": target}, hidden=True)


def _gaps(seed: Mapping[str, object]) -> frozenset[str]:
    value = seed.get("baseline_gaps")
    return frozenset(str(v) for v in value) if isinstance(value, list | tuple) else frozenset()


def _text(seed: Mapping[str, object], key: str, default: str) -> str:
    value = seed.get(key)
    return default if value in (None, "") else str(value)


def _services(model: RouterOSModel, spec: DeviceSpec, gaps: frozenset[str]) -> None:
    management = _text(spec.seed, "management_network", DEFAULT_MANAGEMENT)
    for name in ("telnet", "ftp", "www", "api-ssl"):
        if name not in gaps:
            model.set("/ip/service", name, {"disabled": "yes"})
    if spec.api_port:
        model.set("/ip/service", "api", {"address": management})
    elif "api" not in gaps:
        model.set("/ip/service", "api", {"disabled": "yes"})
    model.set("/ip/service", "ssh", {"address": management})
    if "winbox-open" not in gaps:
        model.set("/ip/service", "winbox", {"address": management})


def harden(model: RouterOSModel, spec: DeviceSpec) -> None:
    """The baseline settings of a seeded device (see module docstring)."""
    gaps = _gaps(spec.seed)
    _services(model, spec, gaps)
    if "weak-ssh" not in gaps:
        model.set("/ip/ssh", None, {"strong-crypto": "yes"})
    if "mac-server-all" not in gaps:
        model.set("/tool/mac-server", None, {"allowed-interface-list": "LAN"})
        model.set("/tool/mac-server/mac-winbox", None, {"allowed-interface-list": "LAN"})
    if "discovery-all" not in gaps:
        model.set("/ip/neighbor/discovery-settings", None, {"discover-interface-list": "LAN"})
    if "bandwidth-server" not in gaps:
        model.set("/tool/bandwidth-server", None, {"enabled": "no"})
    if "romon" in gaps:
        model.set("/tool/romon", None, {"enabled": "yes"})
    if "snmp-public" not in gaps:
        model.set("/snmp/community", "public", {"disabled": "yes"})
    if "no-remote-log" not in gaps:
        syslog = _text(spec.seed, "syslog_server", DEFAULT_SYSLOG)
        model.set("/system/logging/action", "remote", {"remote": syslog})
        model.add("/system/logging", {"topics": "critical,error,info,warning", "action": "remote"})


def hardened(spec: DeviceSpec) -> bool:
    """Whether the device is seeded with the security baseline (``seed["hardened"]``); without
    it the services, MAC server, discovery ... keep their factory values and the factory
    ``admin`` user stays (the rehearsal fleet of most tests)."""
    return bool(spec.seed.get("hardened"))


def has_gap(spec: DeviceSpec, name: str) -> bool:
    """Whether the spec's seed names baseline gap ``name``."""
    return name in _gaps(spec.seed)
