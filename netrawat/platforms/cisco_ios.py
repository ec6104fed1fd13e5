"""Cisco IOS / IOS-XE: everything netrawat knows about it, as data and small pure hooks.

Reply strings are what real devices print (tests/captures: Oxidized's IOS-XE recordings,
NAPALM's mocked outputs; FIELD-NOTES.md; scrapli's IOS-XE ``failed_when_contains``: ``%
Ambiguous command``, ``% Incomplete command``, ``% Invalid input detected``, ``% Unknown
command``; netmiko's ``% Invalid`` / ``%Error:`` checks).
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
    r"^% ",
    r"^%\s?Error",
    r"^%\s?Invalid",
)
"""IOS answers a refused command with a line starting ``% `` (``% Invalid input detected at
'^' marker.``, ``% Incomplete command.``, ``% Ambiguous command: "x"``, ``% Configuration
failed.``, ``% Specify remote-as or peer-group commands first``, ``% 10.0.0.0 overlaps with
GigabitEthernet1``) or ``%Error ...``. Syslog lines (``%SYS-5-CONFIG_I: ...``) have no space
after the ``%`` and are not replies."""

INFORMATIONAL_PATTERNS: tuple[str, ...] = (
    r"^% ?Warning: ",
    r"^% Applying VLAN changes may take few minutes",
    r"^% Access VLAN does not exist\. Creating vlan ",
    r"^% Generating \d+ bit RSA keys",
    r"^% Interface \S+ IPv[46] disabled and address\(es\) removed due to ",
    r"^% Please wait",
)
"""``% `` lines IOS prints for a command it accepted (a caution or a progress note). Short and
documented on purpose: anything else starting ``% `` is a rejection; the re-read after a push
still verifies what was accepted."""

# -- volatile lines ---------------------------------------------------------------------------

VOLATILE_RULES: tuple[VolatileRule, ...] = (
    VolatileRule(
        "ios-building-configuration",
        r"^Building configuration\.\.\.\s*$",
        "'Building configuration...' banner of show running-config",
    ),
    VolatileRule(
        "ios-current-configuration-bytes",
        r"^Current configuration : \d+ bytes\s*$",
        "'Current configuration : N bytes' (changes with every byte of config)",
    ),
    VolatileRule(
        "ios-last-configuration-change",
        r"^! Last configuration change at ",
        "'! Last configuration change at <time> by <user>'",
    ),
    VolatileRule(
        "ios-nvram-last-updated",
        r"^! NVRAM config last updated at ",
        "'! NVRAM config last updated at <time>'",
    ),
    VolatileRule(
        "ios-no-configuration-change",
        r"^! No configuration change since last restart",
        "'! No configuration change since last restart'",
    ),
    VolatileRule(
        "ios-ntp-clock-period",
        r"^ntp clock-period \d+\s*$",
        "'ntp clock-period N': the clock drift estimate IOS rewrites on its own",
    ),
)

# -- secrets ----------------------------------------------------------------------------------

TYPE = r"(?: [0-9](?= ))?+"
"""An optional encryption type digit; possessive, so it is never taken for the secret."""

_NOT_A_KEY = (
    rf"(?!{_R}|chain\b|config-key\b|pubkey-chain\b|address\b|hostname\b|generate\b"
    r"|local\b|remote\b|md5\b|size\b|\d+ size\b|\d+\s*$)"
)
"""What follows ``key``/``pre-shared-key`` without being a secret: a key chain's name, a
keyring's ``address``/``hostname`` selector (``pre-shared-key address 10.0.0.1 key X``), a key
chain index (`` key 1``), a WEP key slot (``encryption key 1 size 128bit ...``)."""

SANITIZE_RULES: tuple[SanitizeRule, ...] = (
    SanitizeRule(
        "ios-enable-secret",
        rf"^(enable (?:secret|password)(?: level \d+)?+{TYPE}) (?!{_R})\S.*$",
        rf"\1 {PLACEHOLDER}",
        hints=("enable ",),
    ),
    SanitizeRule(
        "ios-user-secret",
        rf"^(\s*(?:username|mgmtuser username|dot1x username) \S+.*? "
        rf"(?:secret|password){TYPE}) (?!{_R})\S.*?"
        rf"(?=( secret{TYPE} \S)|$)",
        rf"\1 {PLACEHOLDER}",
        hints=("username ",),
    ),
    SanitizeRule(
        "ios-trailing-secret",
        rf"( secret{TYPE}) (?!{_R})\S.*$",
        rf"\1 {PLACEHOLDER}",
        hints=(" secret",),
    ),
    SanitizeRule(
        "ios-snmp-community",
        rf"^(snmp-server community) (?!{_R})\S+",
        rf"\1 {PLACEHOLDER}",
        hints=("snmp-server community ",),
    ),
    SanitizeRule(
        "ios-snmp-host-community",
        r"^(snmp-server host \S+(?: vrf \S+)?+(?: informs| traps)?+(?: version (?:1|2c))?+) "
        rf"(?!version\b|{_R})\S+",
        rf"\1 {PLACEHOLDER}",
        hints=("snmp-server host ",),
    ),
    SanitizeRule(
        "ios-snmp-community-map",
        rf"^(snmp mib community-map) (?!{_R})\S+",
        rf"\1 {PLACEHOLDER}",
        hints=("snmp mib community-map ",),
    ),
    SanitizeRule(
        "ios-snmp-user-auth",
        rf"^(snmp-server user \S+ \S+(?: remote \S+(?: udp-port \d+)?)? v3(?: encrypted)?"
        rf" auth (?:md5|sha\S*)) (?!{_R})\S+",
        rf"\1 {PLACEHOLDER}",
        hints=("snmp-server user ",),
    ),
    SanitizeRule(
        "ios-snmp-user-priv",
        rf"^(snmp-server user \S+ \S+ .*? priv (?:des|3des|aes(?: \d+)?+)) (?!{_R})\S+",
        rf"\1 {PLACEHOLDER}",
        hints=("snmp-server user ",),
    ),
    SanitizeRule(
        "ios-wifi-psk",
        rf"^(\s*(?:security wpa psk set-key (?:ascii|hex)|wpa-psk (?:ascii|hex)){TYPE})"
        rf" (?!{_R})\S.*$",
        rf"\1 {PLACEHOLDER}",
        hints=("set-key ", "wpa-psk "),
    ),
    SanitizeRule(
        "ios-wep-key",
        rf"^(\s*encryption(?: vlan \d+)? key \d+ size \d+bit{TYPE}) (?!{_R})\S+",
        rf"\1 {PLACEHOLDER}",
        hints=("encryption",),
    ),
    SanitizeRule(
        "ios-isakmp-key",
        rf"^(crypto isakmp key{TYPE}) (?!{_R})\S+",
        rf"\1 {PLACEHOLDER}",
        hints=("crypto isakmp key",),
    ),
    SanitizeRule(
        "ios-fhrp-authentication",
        rf"^(\s*(?:standby|vrrp|glbp)(?: \d+)? authentication(?: text)?) "
        rf"(?!md5\b|text\b|{_R})\S+",
        rf"\1 {PLACEHOLDER}",
        hints=("authentication",),
    ),
    SanitizeRule(
        "ios-isis-password",
        rf"^(\s*(?:area-password|domain-password|isis password){TYPE}) (?!{_R})\S+",
        rf"\1 {PLACEHOLDER}",
        hints=("area-password", "domain-password", "isis password"),
    ),
    SanitizeRule(
        "ios-nhrp-authentication",
        rf"^(\s*ip nhrp authentication) (?!{_R})\S+",
        rf"\1 {PLACEHOLDER}",
        hints=("ip nhrp authentication",),
    ),
    SanitizeRule(
        "ios-hmac-authentication",
        rf"(\sauthentication mode hmac-sha-256{TYPE}) (?!{_R})\S+",
        rf"\1 {PLACEHOLDER}",
        hints=("authentication mode hmac-sha-256",),
    ),
    SanitizeRule(
        "ios-ipsec-spi-key",
        rf"(\sauthentication ipsec spi \d+ (?:md5|sha1){TYPE}) (?!{_R})\S+",
        rf"\1 {PLACEHOLDER}",
        hints=("authentication ipsec spi ",),
    ),
    SanitizeRule(
        "ios-ipsec-session-cipher",
        rf"(^\s*set session-key (?:inbound|outbound) \S+ \d+ cipher) (?!{_R})[0-9A-Fa-f]+",
        rf"\1 {PLACEHOLDER}",
        hints=("set session-key ",),
    ),
    SanitizeRule(
        "ios-ipsec-session-authenticator",
        rf"(^\s*set session-key (?:inbound|outbound) .*? authenticator) (?!{_R})[0-9A-Fa-f]+",
        rf"\1 {PLACEHOLDER}",
        hints=("set session-key ",),
    ),
    SanitizeRule(
        "ios-server-block-key",
        rf"(^(?:tacacs|radius) server \S+\n(?:[ \t].*\n)*?[ \t]+key{TYPE}) (?!{_R})\S+",
        rf"\1 {PLACEHOLDER}",
        hints=("tacacs server ", "radius server "),
    ),
    SanitizeRule(
        "ios-key",
        rf"((?:^|\s)(?:key|server-key|key-string|pre-shared-key(?: local| remote)?"
        rf"|authentication-key(?: \d+ md5)?|message-digest-key \d+ md5|authentication md5 "
        rf"key-string|authentication (?:text|string)|tacacs-server key|radius-server key)"
        rf"{TYPE}) {_NOT_A_KEY}\S+",
        rf"\1 {PLACEHOLDER}",
        hints=("key", "authentication text", "authentication string"),
    ),
    SanitizeRule(
        "ios-password",
        rf"((?:^|\s)password(?: level \d+)?+{TYPE}) (?!{_R}|encryption aes)\S.*?"
        rf"(?=( secret{TYPE} \S)|$)",
        rf"\1 {PLACEHOLDER}",
        hints=("password",),
    ),
    PRIVATE_KEY_RULE,
)
"""Every secret-bearing form of an IOS configuration (see tests/test_configs_sanitize.py for
one real line per form, and the lines that must stay)."""

SECRET_DETECTORS: tuple[SecretDetector, ...] = (
    SecretDetector(
        "ios-secret-keyword",
        r"(?:^|\s)(secret|password|key-string|server-key|wpa-psk ascii|wpa-psk hex"
        r"|set-key ascii|set-key hex|area-password|domain-password|nhrp authentication)"
        r"(?: level \d+)?+(?: [0-9](?= ))?+"
        rf" (?!{_R}|encryption aes)\S",
        hints=("secret", "password", "key", "psk", "authentication"),
    ),
    SecretDetector(
        "ios-community", rf"^(snmp-server community) (?!{_R})\S", hints=("snmp-server",)
    ),
    SecretDetector(
        "ios-snmp-host-community",
        rf"^(snmp-server host) \S+(?: vrf \S+)?+(?: informs| traps)?+"
        rf"(?: version (?:1|2c))?+ (?!version\b|{_R})\S",
        hints=("snmp-server host",),
    ),
    SecretDetector("ios-key", rf"(?:^|\s)(key)(?: [0-9](?= ))?+ {_NOT_A_KEY}\S", hints=("key ",)),
    SecretDetector(
        "ios-fhrp-authentication",
        rf"^\s*((?:standby|vrrp|glbp)(?: \d+)? authentication)(?: text)? (?!md5\b|text\b|{_R})\S",
        hints=("authentication",),
    ),
)

# -- completeness and guards ------------------------------------------------------------------


def end_problem(lines: list[str]) -> str | None:
    """Why an IOS running-config looks cut off, or None if it ends with ``end``."""
    if lines[-1].strip() != "end":
        return f"running-config does not end with 'end' (cut after line {len(lines)})"
    return None


_LEAVING = re.compile(r"^\s*(?:end|do\s.*|exit\s*$)", re.IGNORECASE)


def line_problem(line: str) -> str | None:
    """Why a rendered repair line is unsafe: it would leave configuration mode."""
    if _LEAVING.match(line) and not line.startswith(" "):
        return "a repair line may not leave configuration mode (end, exit, do ...)"
    return None


# -- identity and factory defaults ------------------------------------------------------------

FACTORY_MARKERS: tuple[Marker, ...] = (
    Marker("ios-default-hostname", r"^hostname (?:Router|Switch)\s*$"),
)
"""What only a factory-default (``write erase`` + reload) IOS configuration has."""

# -- safety net for applied changes -----------------------------------------------------------
# Cisco, Configuration Replace and Configuration Rollback / Rollback Confirmed Change: with an
# archive path, "configure terminal revert timer MINUTES" (1-120) archives the running config
# ("Rollback Confirmed Change: Backing up current running config to ...") and rolls back to it
# unless "configure confirm" comes in time. NAPALM's ios driver reads "Archive feature not
# enabled" (show archive), "%Please turn config archive on" and "No Rollback Confirmed Change
# pending" (show archive config rollback timer).

IOS_REVERT_TIMER = SafeNet(
    mechanism="revert-timer",
    label="IOS configure terminal revert timer (archive)",
    undo_after_loss_s=0,
    check_command="show archive",
    not_enabled="Archive feature not enabled",
    arm_command="configure terminal revert timer {minutes}",
    armed="Rollback Confirmed Change: Backing up",
    refused="%Please turn config archive on",
    confirm_command="configure confirm",
    pending_command="show archive config rollback timer",
    none_pending="No Rollback Confirmed Change pending",
    min_minutes=1,
    max_minutes=120,
)


PROFILE = PlatformProfile(
    name="cisco_ios",
    netmiko_platform="cisco_ios",
    napalm_platform="ios",
    config_extension="cfg",
    error_patterns=ERROR_PATTERNS,
    informational_patterns=INFORMATIONAL_PATTERNS,
    show_config_command="show running-config",
    has_enable=True,
    saves_config_explicitly=True,
    end_problem=end_problem,
    line_problem=line_problem,
    volatile_rules=VOLATILE_RULES,
    sanitize_rules=SANITIZE_RULES,
    secret_detectors=SECRET_DETECTORS,
    config_line_prompt=r"[^\s#>]+\([^)]*config[^)]*\)#[ \t]*$",
    exec_prompt=r"[^\s()#>]+#[ \t]*$",
    remediation_engine="netrawat.remediation.ios:IOSEngine",
    health_collectors=MappingProxyType(
        {
            "cli": "netrawat.tasks.collect_health_ios:collect_health_ios",
            "api": "netrawat.tasks.collect_health_ios:collect_health_ios",
        }
    ),
    audit_checks="netrawat.audit.checks_ios",
    napalm_over_ssh=True,
    version_in_config=r"^version (\S+)\s*$",
    factory_markers=FACTORY_MARKERS,
    identity_pattern=r"^hostname (\S+)",
    safe_net=IOS_REVERT_TIMER,
    release_probe="show version",
    release_probe_pattern=r"Cisco IOS Software, .*Version ([^,\s]+),",
)
