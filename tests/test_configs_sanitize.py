"""Sanitizing and the secret scan: tables of sent/received lines and the real captures."""

from __future__ import annotations

import pytest
from oxidized_captures import Session, sessions

from netrawat.configs.sanitize import PLACEHOLDER, sanitize
from netrawat.configs.secretscan import scan
from netrawat.platforms import PLATFORMS

RULES = {name: profile.sanitize_rules for name, profile in PLATFORMS.items()}

R = PLACEHOLDER
# rule name -> (platform, sent, received)
CASES: list[tuple[str, str, str, str]] = [
    (
        "routeros-secret-property",
        "mikrotik_routeros",
        "/interface pppoe-client add interface=vlan6 name=pppoe-out1 password=s3cr3t user=opd",
        f"/interface pppoe-client add interface=vlan6 name=pppoe-out1 password={R} user=opd",
    ),
    (
        "routeros-secret-property",
        "mikrotik_routeros",
        '/interface wifi security add name=sec passphrase="Dinkes 2026!" wps=disable',
        f"/interface wifi security add name=sec passphrase={R} wps=disable",
    ),
    (
        "routeros-secret-property",
        "mikrotik_routeros",
        "/interface wireless security-profiles add name=p wpa2-pre-shared-key=KotaPtk123",
        f"/interface wireless security-profiles add name=p wpa2-pre-shared-key={R}",
    ),
    (
        "routeros-secret-property",
        "mikrotik_routeros",
        "/ppp secret add name=kantor password=abc123 service=l2tp",
        f"/ppp secret add name=kantor password={R} service=l2tp",
    ),
    (
        "routeros-secret-property",
        "mikrotik_routeros",
        "/ip ipsec identity add peer=p secret=IPSECkey1",
        f"/ip ipsec identity add peer=p secret={R}",
    ),
    (
        "routeros-secret-property",
        "mikrotik_routeros",
        "/radius add address=10.0.0.5 secret=radiusS3cret service=wireless",
        f"/radius add address=10.0.0.5 secret={R} service=wireless",
    ),
    (
        "routeros-secret-property",
        "mikrotik_routeros",
        "/interface l2tp-client add connect-to=1.2.3.4 ipsec-secret=xyz12 name=l2",
        f"/interface l2tp-client add connect-to=1.2.3.4 ipsec-secret={R} name=l2",
    ),
    (
        "routeros-secret-property",
        "mikrotik_routeros",
        "/snmp set enabled=yes trap-community=kota-ptk",
        f"/snmp set enabled=yes trap-community={R}",
    ),
    (
        "routeros-secret-property",
        "mikrotik_routeros",
        '/interface wireguard add listen-port=13231 name=wg1 private-key="aGVsbG8="',
        f"/interface wireguard add listen-port=13231 name=wg1 private-key={R}",
    ),
    (
        "routeros-secret-property",
        "mikrotik_routeros",
        "/routing bgp connection add name=isp remote.address=1.2.3.4 tcp-md5-key=bgpK3y",
        f"/routing bgp connection add name=isp remote.address=1.2.3.4 tcp-md5-key={R}",
    ),
    (
        "routeros-secret-property",
        "mikrotik_routeros",
        '/system script add name=up source="/tool fetch url=http://x user=u password=p4ss"',
        f'/system script add name=up source="/tool fetch url=http://x user=u password={R}"',
    ),
    (
        "routeros-secret-property",
        "mikrotik_routeros",
        '/system script add name=up source="/tool fetch user=u password=\\"p4 ss\\" url=x"',
        f'/system script add name=up source="/tool fetch user=u password={R} url=x"',
    ),
    (
        "routeros-snmp-community-name",
        "mikrotik_routeros",
        "/snmp community add addresses=10.0.0.0/8 name=kota-ptk",
        f"/snmp community add addresses=10.0.0.0/8 name={R}",
    ),
    (
        "routeros-snmp-community-name",
        "mikrotik_routeros",
        "/snmp community\nset [ find default=yes ] disabled=yes name=public",
        f"/snmp community\nset [ find default=yes ] disabled=yes name={R}",
    ),
    ("ios-enable-secret", "cisco_ios", "enable secret 9 $9$abcdefgh", f"enable secret 9 {R}"),
    (
        "ios-enable-secret",
        "cisco_ios",
        "enable password level 7 7 0822",
        f"enable password level 7 7 {R}",
    ),
    (
        "ios-user-secret",
        "cisco_ios",
        "username admin privilege 15 secret 5 $1$xy$z",
        f"username admin privilege 15 secret 5 {R}",
    ),
    (
        "ios-user-secret",
        "cisco_ios",
        " mgmtuser username u password 0 A B secret 0 C D",
        f" mgmtuser username u password 0 {R} secret 0 {R}",
    ),
    (
        "ios-trailing-secret",
        "cisco_ios",
        " ppp chap hostname x secret 0 yz",
        f" ppp chap hostname x secret 0 {R}",
    ),
    (
        "ios-snmp-community",
        "cisco_ios",
        "snmp-server community kota-ro RO 5",
        f"snmp-server community {R} RO 5",
    ),
    (
        "ios-snmp-host-community",
        "cisco_ios",
        "snmp-server host 10.0.0.9 version 2c kota-tr",
        f"snmp-server host 10.0.0.9 version 2c {R}",
    ),
    ("ios-wifi-psk", "cisco_ios", " wpa-psk ascii 0 PskOPD2026", f" wpa-psk ascii 0 {R}"),
    (
        "ios-wifi-psk",
        "cisco_ios",
        " security wpa psk set-key ascii 0 WLAN SECR3T",
        f" security wpa psk set-key ascii 0 {R}",
    ),
    (
        "ios-isakmp-key",
        "cisco_ios",
        "crypto isakmp key IKEkey address 1.2.3.4",
        f"crypto isakmp key {R} address 1.2.3.4",
    ),
    (
        "ios-key",
        "cisco_ios",
        " server-private 10.0.0.1 key 7 ABCDEF12",
        f" server-private 10.0.0.1 key 7 {R}",
    ),
    ("ios-key", "cisco_ios", " key-string 7 0A1B2C", f" key-string 7 {R}"),
    ("ios-key", "cisco_ios", "radius-server key R4dius", f"radius-server key {R}"),
    ("ios-password", "cisco_ios", " password 7 0822455D0A16", f" password 7 {R}"),
    (
        "ios-password",
        "cisco_ios",
        " neighbor 1.2.3.4 password 0 bgpP4ss",
        f" neighbor 1.2.3.4 password 0 {R}",
    ),
]
UNTOUCHED = [
    ("mikrotik_routeros", "/ip ssh set always-allow-password-login=yes"),
    ("mikrotik_routeros", "/interface list add comment=defconf name=WAN"),
    ("mikrotik_routeros", '/interface wifi security add name=open passphrase=""'),
    ("mikrotik_routeros", "/ppp secret add name=kantor service=l2tp"),
    ("cisco_ios", "service password-encryption"),
    ("cisco_ios", "security passwords min-length 8"),
    ("cisco_ios", "key chain OSPF"),
    ("cisco_ios", " authentication key-management wpa version 2"),
    ("cisco_ios", "snmp-server host 10.42.0.36 vrf Mgmt-vrf informs version 3 auth oxidized"),
    ("cisco_ios", "password encryption aes"),
]


def test_every_rule_has_a_case() -> None:
    names = {rule.name for rules in RULES.values() for rule in rules}
    assert names == {case[0] for case in CASES}


@pytest.mark.parametrize(("name", "platform", "sent", "received"), CASES)
def test_rule_replaces_only_the_secret(name: str, platform: str, sent: str, received: str) -> None:
    result = sanitize(sent, platform)
    assert result.text == received
    assert result.hits[name] >= 1
    if not sent.startswith("/snmp community\n"):  # non-terse: only the sanitizer knows menus
        assert scan(sent, platform), "the scan must catch the unsanitized line"
    assert scan(result.text, platform) == []


@pytest.mark.parametrize(("platform", "line"), UNTOUCHED)
def test_non_secrets_are_untouched(platform: str, line: str) -> None:
    result = sanitize(line, platform)
    assert (result.text, result.removed) == (line, 0)
    assert scan(line, platform) == []


def test_sanitizing_twice_changes_nothing() -> None:
    for _, platform, sent, _ in CASES:
        once = sanitize(sent, platform).text
        assert sanitize(once, platform).text == once
        assert sanitize(once, platform).removed == 0


@pytest.mark.parametrize("session", sessions(), ids=lambda s: s.name)
def test_captures_keep_no_secret(session: Session) -> None:
    result = sanitize(session.config, session.platform)
    for secret in session.must_not_store:
        assert secret not in result.text
    assert scan(result.text, session.platform) == []
    assert len(result.text.splitlines()) == len(session.config.splitlines())


def test_captures_with_secrets_are_caught_by_the_scan() -> None:
    secretive = [s for s in sessions() if s.must_not_store or "password=" in s.config]
    assert len(secretive) >= 3
    for session in secretive:
        findings = scan(session.config, session.platform)
        assert findings, session.name
        for finding in findings:  # a finding never carries the secret
            assert all(secret not in finding.describe() for secret in session.must_not_store)


def test_known_secret_is_found_anywhere() -> None:
    text = '/system note set note="admin pw is Rahasia-42"\n'
    assert scan(text, "mikrotik_routeros") == []
    findings = scan(text, "mikrotik_routeros", known_secrets=["Rahasia-42", "", "ab"])
    assert [(f.line, f.detector) for f in findings] == [(1, "known-secret")]
