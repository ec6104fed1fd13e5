"""MikroTik RouterOS: everything netrawat knows about it, as data and small pure hooks.

Error strings, export header and transient comments are what real devices print (see
tests/captures/oxidized/routeros#*, FIELD-NOTES.md, netmiko's ``mikrotik_routeros`` driver and
scrapli-community's RouterOS ``failed_when_contains``).
"""

from __future__ import annotations

import re
from types import MappingProxyType

from netrawat.platforms.profile import (
    PLACEHOLDER,
    PRIVATE_KEY_RULE,
    Marker,
    PlatformProfile,
    SafeNet,
    SanitizeRule,
    SecretDetector,
    VolatileRule,
)

_R = re.escape(PLACEHOLDER)

# -- device replies ---------------------------------------------------------------------------

ERROR_PATTERNS: tuple[str, ...] = (
    r"^bad command name ",
    r"^expected end of command",
    r"^expected ",
    r"^syntax error",
    r"^failure: ",
    r"^input does not match any value of ",
    r"^no such item",
    r"^invalid value ",
    r"^ambiguous value ",
    r"^ambiguous command",
    r"^value of .* (?:out of range|expects)",
    r"^missing value\(s\) of argument",
    r"^unknown parameter",
    r"^invalid internal item number",
    r"^already have ",
    r"^not enough permissions",
    r"^Script Error: ",
    r"\(line \d+ column \d+\)$",
)
"""Reply lines that mean the device refused a command (the device's exact words are kept)."""

SENSITIVE_FLAG = {6: "", 7: " show-sensitive"}
"""RouterOS major version -> what ``/export terse`` needs to include secrets (v7 hides them
by default; ``show-sensitive`` is a syntax error on v6)."""


def export_command(major: int | None) -> str:
    """The export command of a RouterOS major version (v8+ and unknown behave like v7)."""
    return "/export terse" + SENSITIVE_FLAG.get(major or 7, SENSITIVE_FLAG[7])


# -- volatile lines ---------------------------------------------------------------------------

VOLATILE_RULES: tuple[VolatileRule, ...] = (
    VolatileRule(
        "routeros-export-timestamp",
        r"^# (?:\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}|[a-z]{3}/\d{2}/\d{4} \d{2}:\d{2}:\d{2})"
        r" by RouterOS ",
        "export header '# 2024-10-25 06:08:35 by RouterOS 7.10.1' (v6: '# jul/21/2023 ...')",
    ),
    VolatileRule(
        "routeros-transient-comment",
        r"^\s*# (?:inactive time|.+ not ready$|poe-out status: |received packet from "
        r"|Interface not active$|.+ not running$)",
        "status comments the export interleaves: '# poe-out status: ...', '# ether1 not ready'",
    ),
)

# -- secrets ----------------------------------------------------------------------------------

VALUE = r'(?:\\"(?:[^"\\\n]|\\[^"\n])*\\"|"(?:[^"\\\n]|\\.)*"|[^\s"\\]+(?:\\.[^\s"\\]*)*)'
"""A RouterOS property value: escaped-quoted inside a quoted script (``\\"x y\\"``), quoted
(with escapes), or a bare token (which may hold escapes)."""

SECRET_KEYS = (
    r"[\w-]*(?:password|passphrase|secret|pre-?shared-key|auth(?:entication)?-key)",
    r"private-key",
    r"static-key-\d",
    r"tcp-md5-key",
    r"trap-community",
    r"management-protection-key",
)
"""Property names whose value is a secret, in any menu: ``password=`` (``/ppp secret``,
``/user``, ``/interface l2tp-client|pptp-client|sstp-client|ovpn-client|pppoe-client``,
``/tool e-mail``, scripts and scheduler ``on-event`` fetching with ``password=``),
``authentication-password=`` / ``encryption-password=`` (``/snmp community``), ``passphrase=``
(``/interface wifi security``, ``/caps-man security``), ``wpa-pre-shared-key=`` /
``wpa2-pre-shared-key=`` (``/interface wireless security-profiles``), ``secret=`` and
``ipsec-secret=`` (``/radius``, ``/ip ipsec identity|peer``, tunnels), ``private-key=`` /
``preshared-key=`` (WireGuard; ``public-key=`` is public and stays), ``auth-key=`` (OSPF),
``tcp-md5-key=`` (BGP), ``static-key-N=`` (WEP), ``trap-community=`` (``/snmp``)."""

SECRET_KEY_HINTS = (
    "password=",
    "passphrase=",
    "secret=",
    "key=",
    "static-key-",
    "trap-community=",
)
"""What every ``<secret key>=`` of `SECRET_KEYS` contains (``pre-shared-key=``, ``auth-key=``,
``private-key=``... all end in ``key=``; ``static-key-N=`` has a digit between): a line with
none of them holds no secret property (tests/test_configs_secrets_hints.py)."""

SANITIZE_RULES: tuple[SanitizeRule, ...] = (
    SanitizeRule(
        "routeros-secret-property",
        rf"(?<![\w-])((?:{'|'.join(SECRET_KEYS)})=)(?!\"\"|{_R})" rf"{VALUE}",
        rf"\1{PLACEHOLDER}",
        hints=SECRET_KEY_HINTS,
    ),
    SanitizeRule(
        "routeros-snmp-community-name",
        rf"((?<![\w-])name=)(?!{_R}){VALUE}",
        rf"\1{PLACEHOLDER}",
        menu="/snmp community",
    ),
    SanitizeRule(
        "routeros-ntp-key",
        rf"((?<![\w-])key=)(?!{_R}){VALUE}",
        rf"\1{PLACEHOLDER}",
        menu="/system ntp key",
    ),
    PRIVATE_KEY_RULE,
)

SECRET_DETECTORS: tuple[SecretDetector, ...] = (
    SecretDetector(
        "routeros-secret-property",
        rf"(?<![\w-])((?:{'|'.join(SECRET_KEYS)}))=(?!\"\"|{_R}|\s|$)",
        hints=SECRET_KEY_HINTS,
    ),
    SecretDetector(
        "routeros-snmp-community",
        rf"^(/snmp community) (?:add|set)\b.*(?<![\w-])name=(?!{_R})\S",
        hints=("/snmp community",),
    ),
)

# -- completeness and guards ------------------------------------------------------------------

_COMMAND = re.compile(
    r"^(?:/[\w-]+(?: [\w-]+)*(?: (?:add|set|remove|print|enable|disable)\b.*)?"
    r"|(?:add|set|remove|enable|disable)\b.*|#.*)$"
)
_UNESCAPED_QUOTE = re.compile(r'(?<!\\)"')


def _logical_lines(lines: list[str]) -> list[str]:
    """Join non-terse export lines continued with a trailing backslash."""
    joined: list[str] = []
    pending = ""
    for line in lines:
        if line.endswith("\\"):
            pending += line[:-1]
            continue
        joined.append(pending + (line.strip() if pending else line))
        pending = ""
    if pending:
        joined.append(pending + "\\")
    return joined


def end_problem(lines: list[str]) -> str | None:
    """Why a RouterOS export looks cut off, or None if its last line is complete."""
    logical = _logical_lines(lines)
    last = logical[-1].strip()
    if last.endswith("\\"):
        return f"export cut off after a continued line (line {len(lines)})"
    if len(_UNESCAPED_QUOTE.findall(last)) % 2 or last.endswith("="):
        return f"export cut off mid-line (line {len(lines)}: open quote or empty value)"
    if not _COMMAND.match(last):
        return f"export ends on an incomplete line (line {len(lines)} is no command)"
    if not any(line.startswith("/") for line in logical):
        return "export has no menu line (/...): not a RouterOS export"
    return None


def line_problem(line: str) -> str | None:
    """Why a rendered repair line is unsafe: not a full-path command, or chaining with ``;``."""
    if not line.startswith("/"):
        return "a RouterOS repair line must be a full-path command starting with '/'"
    if ";" in line:
        return "';' would chain a second command"
    return None


# -- identity and factory defaults ------------------------------------------------------------

FACTORY_MARKERS: tuple[Marker, ...] = (
    Marker("routeros-defconf-comment", r'(?<![\w-])comment="?defconf\b'),
    Marker("routeros-default-identity", r"^/system identity(?: |\n)set name=\"?MikroTik\"?\s*$"),
    Marker("routeros-defconf-address", r"(?<![\w-])address=192\.168\.88\.1/24(?![\d.])"),
)
"""What only a factory-default RouterOS configuration has: ``defconf`` comments, the identity
MikroTik, the 192.168.88.1/24 LAN address (an export leaves out a default identity, so a reset
device's export usually has no identity line at all: see `PROFILE.default_identity`)."""

IDENTITY = rf"^/system identity(?: |\n)set name=({VALUE})"

# -- safety net for applied changes -----------------------------------------------------------
# RouterOS manual, Console > Safe Mode: Ctrl-X takes it ("[Safe Mode taken]", the prompt's ">"
# becomes "<SAFE>"); changes made while it is held are undone when the holding session
# terminates abnormally (a cut connection: once TCP gives up, ~9 min); Ctrl-X again releases
# it ("[Safe Mode released]"). History holds up to 100 actions: past that the session leaves
# safe mode and nothing is undone. Another holder: "Hijacking Safe Mode from someone -
# unroll/release/don't take it [u/r/d]:".

ROUTEROS_SAFE_MODE = SafeNet(
    mechanism="safe-mode",
    label="RouterOS Safe Mode",
    undo_after_loss_s=9 * 60,
    max_actions=100,
    toggle="\x18",
    taken="[Safe Mode taken]",
    released="[Safe Mode released]",
    prompt_marker="<SAFE>",
    hijack="Hijacking Safe Mode from someone",
)


PROFILE = PlatformProfile(
    name="mikrotik_routeros",
    netmiko_platform="mikrotik_routeros",
    napalm_platform="ros",
    config_extension="rsc",
    error_patterns=ERROR_PATTERNS,
    show_config_command="/export terse",
    has_enable=False,
    saves_config_explicitly=False,
    config_command_for=export_command,
    needs_major_version=True,
    end_problem=end_problem,
    line_problem=line_problem,
    volatile_rules=VOLATILE_RULES,
    sanitize_rules=SANITIZE_RULES,
    secret_detectors=SECRET_DETECTORS,
    config_line_prompt=r"\][^\r\n]*>[ \t]*$",
    exec_prompt=r"\][^\r\n]*>[ \t]*$",
    remediation_engine="netrawat.remediation.routeros:RouterOSEngine",
    engine_restores_whole_config=True,
    health_collectors=MappingProxyType(
        {
            "cli": "netrawat.tasks.collect_health_routeros_cli:collect_health_routeros_cli",
            "api": "netrawat.tasks.collect_health_routeros_api:collect_health_routeros_api",
        }
    ),
    audit_checks="netrawat.audit.checks_routeros",
    api_only_with_port=True,
    napalm_over_ssh=False,
    default_api_port=8728,
    version_in_config=r"^#.* by RouterOS (\d+\.\S+)",
    version_search_chars=400,  # the export header is the first line
    factory_markers=FACTORY_MARKERS,
    identity_pattern=IDENTITY,
    default_identity="MikroTik",
    safe_net=ROUTEROS_SAFE_MODE,
    release_probe="/system resource print",
    release_probe_pattern=r"^\s*version:\s*(\S+)",
)
