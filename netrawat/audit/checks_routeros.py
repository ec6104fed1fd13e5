"""RouterOS check kinds: each reads the export (and device output where the export is silent)
and decides one rule. Parameters come from the rule's YAML.

RouterOS facts these checks rely on (RouterOS 7, checked with ``/export verbose`` and
``/ip service print`` on a fresh device, and reproduced by the lab):

- ``/ip service``: every service is *enabled* unless ``disabled=yes`` is exported (www-ssl is
  the exception: disabled until it has a certificate); ``address`` empty = from anywhere;
- users are never exported: ``/user print terse`` shows them;
- the SNMP community ``public`` exists on every device; unchanged it is not exported, renamed
  or disabled it shows as ``/snmp community set [ find default=yes ] ...``;
- settings menus not exported are at their defaults (MAC server and neighbor discovery on
  ``all``, bandwidth-test server on, RoMON off, strong SSH crypto off, DNS not answering
  remote requests, NTP client off).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from netrawat.audit.model import AuditFacts, Outcome
from netrawat.audit.routeros_config import (
    RouterOSConfig,
    enabled,
    lines_of,
    networks,
    routeros_version,
    version_tuple,
    within,
)
from netrawat.remediation.routeros_model import Item

USER_PRINT = "/user print terse"
RESOURCE_PRINT = "/system resource print"
Check = Callable[[RouterOSConfig, AuditFacts, Mapping[str, Any]], Outcome]


def _management(facts: AuditFacts) -> str:
    return str(facts.data.get("management_network") or "")


def service_disabled(config: RouterOSConfig, facts: AuditFacts, p: Mapping[str, Any]) -> Outcome:
    """``/ip service <service>`` is disabled (not applicable when host data ``unless_data``
    says the service is used, e.g. ``api_port``: then `service_restricted` covers it)."""
    name = str(p["service"])
    used_by = p.get("unless_data")
    if used_by and facts.data.get(str(used_by)):
        return Outcome(None, f"{name} is used (inventory {used_by})")
    item = config.named("/ip service", name)
    default_disabled = str(p.get("default_disabled", "no"))
    disabled = item.props.get("disabled", default_disabled) if item else default_disabled
    evidence = tuple(item.lines) if item else (f"(no /ip service line for {name}: default)",)
    if disabled == "yes":
        return Outcome(True, f"{name} disabled", evidence)
    return Outcome(False, f"service {name} is enabled", evidence)


def _service_problem(item: Item | None, name: str, facts: AuditFacts) -> str | None:
    if item is not None and not enabled(item):
        return None
    address = item.props.get("address", "") if item else ""
    if not address:
        return f"{name} accepts connections from any address"
    management = _management(facts)
    if management and not within(address, networks(management)):
        return f"{name} address={address} is outside the management network {management}"
    return None


def service_restricted(config: RouterOSConfig, facts: AuditFacts, p: Mapping[str, Any]) -> Outcome:
    """Each enabled service of ``services`` has ``address=`` inside the management network
    (inventory ``management_network``; without it any restriction counts)."""
    problems, evidence = [], []
    for name in p["services"]:
        item = config.named("/ip service", str(name))
        if item is None and str(name) in p.get("unless_unused", ()):
            continue
        problem = _service_problem(item, str(name), facts)
        if problem:
            problems.append(problem)
            evidence += item.lines if item else [f"(no /ip service line for {name}: default)"]
    if problems:
        return Outcome(False, "; ".join(problems), tuple(evidence))
    return Outcome(True, "management services restricted")


def setting(config: RouterOSConfig, facts: AuditFacts, p: Mapping[str, Any]) -> Outcome:
    """A settings-menu value is one of ``allowed`` (or none of ``forbidden``)."""
    path, name = str(p["path"]), str(p["property"])
    value, lines = config.setting(path, name, str(p["default"]))
    evidence = lines or (f"({path} {name} not exported: default {p['default']})",)
    allowed = [str(v) for v in p.get("allowed", ())]
    forbidden = [str(v) for v in p.get("forbidden", ())]
    bad = (allowed and value not in allowed) or value in forbidden
    verdict = "is" if not bad else "is not allowed:"
    return Outcome(not bad, f"{path} {name} {verdict} {value}", evidence)


def _user_names(output: str) -> list[str]:
    """Names in ``/user print terse`` (``name=admin`` or ``name="admin"``)."""
    return [n.strip('"') for n in re.findall(r"(?:^|\s)name=(\S+)", output)]


def no_user(config: RouterOSConfig, facts: AuditFacts, p: Mapping[str, Any]) -> Outcome:
    """No local user called ``name`` (users are not exported: ``/user print terse``)."""
    _ = config
    output = facts.output(USER_PRINT)
    if "name=" not in output:
        raise ValueError(f"no usable {USER_PRINT} output")
    name = str(p["name"])
    lines = tuple(
        line.strip()
        for line in output.splitlines()
        if re.search(rf'(?:^|\s)name="?{re.escape(name)}"?(?:\s|$)', line)
    )
    if name in _user_names(output):
        return Outcome(False, f"the default user {name} exists", lines)
    return Outcome(True, f"no user {name}")


def _input_rules(config: RouterOSConfig) -> list[Item]:
    rules = config.items("/ip firewall filter")
    return [r for r in rules if r.props.get("chain") == "input" and enabled(r)]


MATCHERS = frozenset(
    {
        "in-interface",
        "in-interface-list",
        "src-address",
        "src-address-list",
        "protocol",
        "dst-port",
        "dst-address",
        "connection-state",
        "port",
    }
)


def _drops_wan(rule: Item) -> bool:
    """A final drop that catches everything from the WAN: no matcher, or only
    ``in-interface-list=!LAN`` / ``=WAN`` (MikroTik's defconf ends the chain this way)."""
    if rule.props.get("action", "accept") not in ("drop", "reject"):
        return False
    used = {k for k in rule.props if k in MATCHERS}
    if not used:
        return True
    return used == {"in-interface-list"} and rule.props["in-interface-list"] in ("!LAN", "WAN")


def _accepts_established(rule: Item) -> bool:
    states = set(rule.props.get("connection-state", "").split(","))
    return rule.props.get("action", "accept") == "accept" and {"established", "related"} <= states


def _accepts_management(rule: Item, facts: AuditFacts) -> bool:
    if rule.props.get("action", "accept") != "accept":
        return False
    source = rule.props.get("src-address", "")
    management = _management(facts)
    if source and management:
        return within(source, networks(management))
    return bool(source or rule.props.get("src-address-list"))


def input_firewall(config: RouterOSConfig, facts: AuditFacts, p: Mapping[str, Any]) -> Outcome:
    """The input chain accepts established/related and the management network, then drops."""
    _ = p
    rules = _input_rules(config)
    evidence = lines_of(rules) or ("(no /ip firewall filter chain=input rule)",)
    if not rules or not _drops_wan(rules[-1]):
        return Outcome(False, "the input chain does not end with a drop", evidence)
    before = rules[:-1]
    missing = []
    if not any(_accepts_established(r) for r in before):
        missing.append("no accept of established,related before the drop")
    if not any(_accepts_management(r, facts) for r in before):
        missing.append("no accept of the management network before the drop")
    if missing:
        return Outcome(False, "; ".join(missing), evidence)
    return Outcome(True, "input chain: established, management, then drop", evidence)


def dns_not_open(config: RouterOSConfig, facts: AuditFacts, p: Mapping[str, Any]) -> Outcome:
    """With ``allow-remote-requests=yes`` the router must not answer DNS from the WAN: its
    input chain ends with a drop that catches the WAN, or drops port 53 from it."""
    _ = p
    value, lines = config.setting("/ip dns", "allow-remote-requests", "no")
    if value != "yes":
        return Outcome(True, "allow-remote-requests=no", lines)
    rules = _input_rules(config)
    if rules and _drops_wan(rules[-1]):
        return Outcome(True, "remote requests allowed, input chain drops the WAN", lines)
    for rule in rules:
        if "53" in rule.props.get("dst-port", "").split(",") and not rule.props.get(
            "action", "accept"
        ).startswith("accept"):
            return Outcome(True, "DNS from outside dropped by the firewall", (*lines, *rule.lines))
    return Outcome(
        False,
        "the DNS resolver answers remote requests and the WAN is not dropped",
        (*lines, *lines_of(rules)),
    )


def snmp_community(config: RouterOSConfig, facts: AuditFacts, p: Mapping[str, Any]) -> Outcome:
    """SNMP off, or no community named ``forbidden`` (the built-in ``public`` counts unless
    renamed or disabled: ``set [ find default=yes ] ...``)."""
    _ = facts
    snmp_on, snmp_lines = config.setting("/snmp", "enabled", "no")
    if snmp_on != "yes":
        return Outcome(True, "SNMP is off", snmp_lines)
    forbidden = [str(n) for n in p.get("forbidden", ("public", "private"))]
    communities = config.items("/snmp community")
    bad = [c for c in communities if c.props.get("name") in forbidden and enabled(c)]
    default = [c for c in communities if ("default", "yes") in c.selector]
    default_live = not default or (
        enabled(default[0]) and default[0].props.get("name", "public") in forbidden
    )
    if default_live:
        message = "SNMP is on and the built-in community public is neither renamed nor disabled"
        return Outcome(False, message, (*snmp_lines, *lines_of(default)))
    if bad:
        names = ", ".join(c.props["name"] for c in bad)
        return Outcome(False, f"SNMP community {names}", lines_of(bad))
    return Outcome(True, "no default SNMP community")


def ntp_servers(config: RouterOSConfig, facts: AuditFacts, p: Mapping[str, Any]) -> Outcome:
    """The NTP client is on and uses the city's servers (inventory ``ntp_servers``)."""
    _ = p
    on, lines = config.setting("/system ntp client", "enabled", "no")
    configured = set(config.setting("/system ntp client", "servers", "")[0].split(","))
    configured |= {i.props.get("address", "") for i in config.items("/system ntp client servers")}
    configured.discard("")
    evidence = (*lines, *lines_of(config.items("/system ntp client servers")))
    wanted = [str(s) for s in facts.data.get("ntp_servers") or ()]
    if on != "yes":
        return Outcome(False, "the NTP client is off", evidence or ("(NTP client: default off)",))
    missing = [s for s in wanted if s not in configured]
    if missing or not configured:
        return Outcome(False, f"NTP servers {sorted(configured)}; missing {missing}", evidence)
    return Outcome(True, f"NTP client on: {', '.join(sorted(configured))}", evidence)


BUILTIN_ACTIONS = ("memory", "disk", "echo", "remote")
"""The logging actions every device has, by number (a real export may say ``set 3 ...``)."""


def _action_name(item: Item) -> str:
    selector = dict(item.selector)
    number = selector.get("#", "")
    if number.isdigit() and int(number) < len(BUILTIN_ACTIONS):
        return BUILTIN_ACTIONS[int(number)]
    return item.props.get("name") or selector.get("name", "")


def _remote_actions(config: RouterOSConfig) -> dict[str, Item]:
    actions = {}
    for item in config.items("/system logging action"):
        name = _action_name(item)
        target = item.props.get("target", "remote" if name == "remote" else "memory")
        if target == "remote" and enabled(item):
            actions[name] = item
    return actions


def remote_logging(config: RouterOSConfig, facts: AuditFacts, p: Mapping[str, Any]) -> Outcome:
    """A remote logging action to the city log server (inventory ``syslog_server``) that a
    logging rule uses."""
    _ = p
    wanted = str(facts.data.get("syslog_server") or "")
    actions = {
        name: item
        for name, item in _remote_actions(config).items()
        if item.props.get("remote", "0.0.0.0") not in ("", "0.0.0.0")
        and (not wanted or item.props.get("remote") == wanted)
    }
    rules = [r for r in config.items("/system logging") if enabled(r)]
    used = [r for r in rules if r.props.get("action") in actions]
    evidence = (*lines_of(list(actions.values())), *lines_of(used))
    if not actions:
        target = f" to {wanted}" if wanted else ""
        return Outcome(False, f"no remote logging action{target}", evidence)
    if not used:
        return Outcome(False, "no logging rule sends to the remote action", evidence)
    return Outcome(True, "remote logging on", evidence)


def version_min(config: RouterOSConfig, facts: AuditFacts, p: Mapping[str, Any]) -> Outcome:
    """RouterOS at least ``minimum`` (the oldest release MikroTik still fixes)."""
    _ = config
    resource = facts.outputs.get(RESOURCE_PRINT, "")
    version = routeros_version(resource, facts.config)
    if version is None:
        facts.output(RESOURCE_PRINT)  # refused: say so
        raise ValueError(f"no version in {RESOURCE_PRINT}")
    minimum = str(p["minimum"])
    evidence = (f"version: {version}",)
    if version_tuple(version) < version_tuple(minimum):
        return Outcome(False, f"RouterOS {version} is older than {minimum}", evidence)
    return Outcome(True, f"RouterOS {version}", evidence)


CHECKS: dict[str, Check] = {
    "service_disabled": service_disabled,
    "service_restricted": service_restricted,
    "setting": setting,
    "no_user": no_user,
    "input_firewall": input_firewall,
    "dns_not_open": dns_not_open,
    "snmp_community": snmp_community,
    "ntp_servers": ntp_servers,
    "remote_logging": remote_logging,
    "version_min": version_min,
}
COMMANDS = (USER_PRINT, RESOURCE_PRINT)
"""Device output the RouterOS rules read besides the export."""


def prepare(facts: AuditFacts) -> RouterOSConfig:
    """The parsed export every check of one device reads."""
    return RouterOSConfig.parse(facts.config)
