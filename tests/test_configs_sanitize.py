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
    # -- every secret-bearing form (issue 15.2), one table row per form ------------------
    # RouterOS
    (
        "routeros-secret-property",
        "mikrotik_routeros",
        "/user add group=full name=opr password=Opr-2026",
        f"/user add group=full name=opr password={R}",
    ),
    (
        "routeros-secret-property",
        "mikrotik_routeros",
        "/interface pptp-client add connect-to=10.9.0.1 name=pptp1 password=PpTp-99 user=opd",
        f"/interface pptp-client add connect-to=10.9.0.1 name=pptp1 password={R} user=opd",
    ),
    (
        "routeros-secret-property",
        "mikrotik_routeros",
        "/interface sstp-client add connect-to=vpn.kota.go.id name=sstp1 password=Sstp-1 user=u",
        f"/interface sstp-client add connect-to=vpn.kota.go.id name=sstp1 password={R} user=u",
    ),
    (
        "routeros-secret-property",
        "mikrotik_routeros",
        "/interface ovpn-client add connect-to=10.9.0.2 name=ovpn1 password=0vpn! user=u",
        f"/interface ovpn-client add connect-to=10.9.0.2 name=ovpn1 password={R} user=u",
    ),
    (
        "routeros-secret-property",
        "mikrotik_routeros",
        "/interface l2tp-client add connect-to=10.9.0.3 name=l2tp1 password=L2tp-7 user=u",
        f"/interface l2tp-client add connect-to=10.9.0.3 name=l2tp1 password={R} user=u",
    ),
    (
        "routeros-secret-property",
        "mikrotik_routeros",
        "/snmp community add authentication-password=AuthP4ss encryption-password=EncP4ss "
        f"name={R} security=private",
        f"/snmp community add authentication-password={R} encryption-password={R} "
        f"name={R} security=private",
    ),
    (
        "routeros-secret-property",
        "mikrotik_routeros",
        '/system scheduler add name=sync on-event="/tool fetch url=ftp://10.0.0.9/x '
        'user=bk password=Sch3d mode=ftp" interval=1d',
        '/system scheduler add name=sync on-event="/tool fetch url=ftp://10.0.0.9/x '
        f'user=bk password={R} mode=ftp" interval=1d',
    ),
    (
        "routeros-secret-property",
        "mikrotik_routeros",
        "/interface wireless security-profiles add authentication-types=wpa2-psk mode=dynamic-keys "
        "name=opd wpa-pre-shared-key=Wpa1Key wpa2-pre-shared-key=Wpa2Key",
        "/interface wireless security-profiles add authentication-types=wpa2-psk mode=dynamic-keys "
        f"name=opd wpa-pre-shared-key={R} wpa2-pre-shared-key={R}",
    ),
    (
        "routeros-secret-property",
        "mikrotik_routeros",
        "/interface wireless security-profiles add management-protection-key=MgmtK name=m "
        "static-key-0=0123456789",
        f"/interface wireless security-profiles add management-protection-key={R} name=m "
        f"static-key-0={R}",
    ),
    (
        "routeros-secret-property",
        "mikrotik_routeros",
        "/ip ipsec peer add address=203.0.113.9/32 secret=PeerS3cret",
        f"/ip ipsec peer add address=203.0.113.9/32 secret={R}",
    ),
    (
        "routeros-secret-property",
        "mikrotik_routeros",
        '/interface wireguard peers add interface=wg1 preshared-key="cHNr" public-key="cHVi"',
        f'/interface wireguard peers add interface=wg1 preshared-key={R} public-key="cHVi"',
    ),
    (
        "routeros-secret-property",
        "mikrotik_routeros",
        "/routing ospf interface-template add area=backbone auth=md5 auth-key=OspfK3y",
        f"/routing ospf interface-template add area=backbone auth=md5 auth-key={R}",
    ),
    (
        "routeros-secret-property",
        "mikrotik_routeros",
        "/tool e-mail set address=10.0.0.25 from=noc@kota.go.id password=Ma1l user=noc",
        f"/tool e-mail set address=10.0.0.25 from=noc@kota.go.id password={R} user=noc",
    ),
    (
        "routeros-secret-property",
        "mikrotik_routeros",
        "/interface wifi security add authentication-key=WifiAuthK name=s2",
        f"/interface wifi security add authentication-key={R} name=s2",
    ),
    (
        "routeros-ntp-key",
        "mikrotik_routeros",
        "/system ntp key add key=NtpK3y key-id=1 type=sha1",
        f"/system ntp key add key={R} key-id=1 type=sha1",
    ),
    (
        "pem-private-key",
        "mikrotik_routeros",
        "/system note set note=x\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\nkqhkiG9w0B\n"
        "-----END PRIVATE KEY-----",
        f"/system note set note=x\n-----BEGIN PRIVATE KEY-----\n{R}\n-----END PRIVATE KEY-----",
    ),
    # IOS
    (
        "ios-fhrp-authentication",
        "cisco_ios",
        " standby 1 authentication Hsrp1",
        f" standby 1 authentication {R}",
    ),
    (
        "ios-fhrp-authentication",
        "cisco_ios",
        " vrrp 10 authentication text Vrrp10",
        f" vrrp 10 authentication text {R}",
    ),
    (
        "ios-key",
        "cisco_ios",
        " standby 2 authentication md5 key-string 7 0822455D0A16",
        f" standby 2 authentication md5 key-string 7 {R}",
    ),
    (
        "ios-fhrp-authentication",
        "cisco_ios",
        " glbp 1 authentication text Glbp1",
        f" glbp 1 authentication text {R}",
    ),
    (
        "ios-isis-password",
        "cisco_ios",
        " area-password IsisArea authenticate snp validate",
        f" area-password {R} authenticate snp validate",
    ),
    ("ios-isis-password", "cisco_ios", " domain-password IsisDom", f" domain-password {R}"),
    (
        "ios-isis-password",
        "cisco_ios",
        " isis password IsisIf level-1",
        f" isis password {R} level-1",
    ),
    (
        "ios-nhrp-authentication",
        "cisco_ios",
        " ip nhrp authentication NhrpK",
        f" ip nhrp authentication {R}",
    ),
    (
        "ios-key",
        "cisco_ios",
        " ip rip authentication string RipK3y",
        f" ip rip authentication string {R}",
    ),
    (
        "ios-key",
        "cisco_ios",
        "key chain EIGRP-KEYS\n key 1\n  key-string 7 0822455D0A16",
        f"key chain EIGRP-KEYS\n key 1\n  key-string 7 {R}",
    ),
    (
        "ios-key",
        "cisco_ios",
        " ip ospf message-digest-key 1 md5 7 0822455D0A16",
        f" ip ospf message-digest-key 1 md5 7 {R}",
    ),
    (
        "ios-key",
        "cisco_ios",
        " ip ospf authentication-key 7 0822455D0A16",
        f" ip ospf authentication-key 7 {R}",
    ),
    (
        "ios-key",
        "cisco_ios",
        "ntp authentication-key 1 md5 NtpK3y 7",
        f"ntp authentication-key 1 md5 {R} 7",
    ),
    (
        "ios-hmac-authentication",
        "cisco_ios",
        "  authentication mode hmac-sha-256 7 EigrpHmac",
        f"  authentication mode hmac-sha-256 7 {R}",
    ),
    (
        "ios-ipsec-spi-key",
        "cisco_ios",
        " ipv6 ospf authentication ipsec spi 500 sha1 7 0123456789ABCDEF0123",
        f" ipv6 ospf authentication ipsec spi 500 sha1 7 {R}",
    ),
    (
        "ios-key",
        "cisco_ios",
        "crypto keyring OPD\n  pre-shared-key address 203.0.113.9 key Psk-OPD",
        f"crypto keyring OPD\n  pre-shared-key address 203.0.113.9 key {R}",
    ),
    (
        "ios-key",
        "cisco_ios",
        "  pre-shared-key local 6 Ikev2L0cal",
        f"  pre-shared-key local 6 {R}",
    ),
    (
        "ios-key",
        "cisco_ios",
        "crypto isakmp client configuration group OPD\n key GroupK3y",
        f"crypto isakmp client configuration group OPD\n key {R}",
    ),
    (
        "ios-key",
        "cisco_ios",
        " server-private 111.111.111.111 key 7 ABCDEFGH1234",  # tests/captures asr920
        f" server-private 111.111.111.111 key 7 {R}",
    ),
    (
        "ios-key",
        "cisco_ios",
        "tacacs-server host 10.0.0.7 key 7 0822455D0A16",
        f"tacacs-server host 10.0.0.7 key 7 {R}",
    ),
    (
        "ios-key",
        "cisco_ios",
        " client 10.10.20.20 server-key 7 AAAAAAAAAABBBBBBBBBB",  # tests/captures C9200L
        f" client 10.10.20.20 server-key 7 {R}",
    ),
    (
        "ios-ipsec-session-cipher",
        "cisco_ios",
        " set session-key inbound esp 256 cipher 0123456789abcdef0123 authenticator 0a1b2c3d4e",
        f" set session-key inbound esp 256 cipher {R} authenticator {R}",
    ),
    (
        "ios-ipsec-session-authenticator",
        "cisco_ios",
        " set session-key outbound ah 257 authenticator 0a1b2c3d4e5f",
        f" set session-key outbound ah 257 authenticator {R}",
    ),
    (
        "ios-server-block-key",
        "cisco_ios",
        "tacacs server ISE\n address ipv4 10.0.0.5\n key 0 123456789",
        f"tacacs server ISE\n address ipv4 10.0.0.5\n key 0 {R}",
    ),
    (
        "ios-server-block-key",
        "cisco_ios",
        "radius server NPS\n address ipv4 10.0.0.6 auth-port 1812 acct-port 1813\n key 20262026",
        f"radius server NPS\n address ipv4 10.0.0.6 auth-port 1812 acct-port 1813\n key {R}",
    ),
    (
        "ios-snmp-community-map",
        "cisco_ios",
        "snmp mib community-map kota-ro context vrf-a",
        f"snmp mib community-map {R} context vrf-a",
    ),
    (
        "ios-snmp-user-auth",
        "cisco_ios",
        "snmp-server user noc NOC v3 auth sha AuthP4ss",
        f"snmp-server user noc NOC v3 auth sha {R}",
    ),
    (
        "ios-snmp-user-priv",
        "cisco_ios",
        "snmp-server user noc NOC v3 auth sha AuthP4ss priv aes 128 PrivP4ss",
        f"snmp-server user noc NOC v3 auth sha {R} priv aes 128 {R}",
    ),
    (
        "ios-password",
        "cisco_ios",
        " ppp chap password 7 0822455D0A16",
        f" ppp chap password 7 {R}",
    ),
    (
        "ios-password",
        "cisco_ios",
        " ppp pap sent-username opd password 0 PapP4ss",
        f" ppp pap sent-username opd password 0 {R}",
    ),
    (
        "ios-user-secret",
        "cisco_ios",
        " dot1x username dot1x-username password 0 DOT1XPASSW0RD",  # tests/captures C9800
        f" dot1x username dot1x-username password 0 {R}",
    ),
    (
        "ios-wep-key",
        "cisco_ios",
        " encryption key 1 size 128bit 7 0123456789ABCDEF01234567 transmit-key",
        f" encryption key 1 size 128bit 7 {R} transmit-key",
    ),
    (
        "ios-wifi-psk",
        "cisco_ios",
        " security wpa psk set-key hex 0 7df35f90c92ecff2a803e79577b85e978edc0a76404f6cfb534df8d9f",
        f" security wpa psk set-key hex 0 {R}",
    ),
    (
        "pem-private-key",
        "cisco_ios",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\nq1w2\n-----END RSA PRIVATE KEY-----",
        f"-----BEGIN RSA PRIVATE KEY-----\n{R}\n-----END RSA PRIVATE KEY-----",
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
    # -- what must stay (no over-sanitizing, issue 15.2) ------------------------------------
    ("cisco_ios", "key chain OSPF-KEYS\n key 1\n  accept-lifetime 00:00:00 Jan 1 2026 infinite"),
    ("cisco_ios", " standby 3 authentication md5 key-chain HSRP-KEYS"),
    ("cisco_ios", " ip authentication mode eigrp 1 md5"),
    ("cisco_ios", " ip authentication key-chain eigrp 1 EIGRP-KEYS"),
    ("cisco_ios", " ip ospf authentication message-digest"),
    ("cisco_ios", " isis authentication key-chain ISIS-KEYS"),
    ("cisco_ios", " ip rip authentication key-chain RIP-KEYS"),
    ("cisco_ios", " ip nhrp network-id 100"),
    ("cisco_ios", "ntp authenticate"),
    ("cisco_ios", "ntp trusted-key 1"),
    ("cisco_ios", " authentication pre-share"),
    ("cisco_ios", "crypto key pubkey-chain rsa"),
    ("cisco_ios", "aaa authentication login default group tacacs+ local"),
    (
        "cisco_ios",
        "crypto pki certificate chain TP-self-signed-1\n certificate self-signed 01\n"
        "  3082022B 30820194 A0030201 02020101\n  \tquit",
    ),
    ("cisco_ios", "ip ssh pubkey-chain\n  username noc\n   key-hash ssh-rsa 5E3A1C0D9B"),
    ("cisco_ios", " encryption mode ciphers aes-ccm"),
    ("cisco_ios", "tacacs server ISE\n address ipv4 10.0.0.5\n timeout 5"),
    ("mikrotik_routeros", "/interface wifi security add authentication-types=wpa2-psk name=s"),
    ("mikrotik_routeros", "/ip ipsec identity add auth-method=pre-shared-key peer=p"),
    ("mikrotik_routeros", '/interface wireguard peers add interface=wg1 public-key="cHVi"'),
    ("mikrotik_routeros", "/user group add name=ops policy=read,write,password,sensitive"),
    ("mikrotik_routeros", "/system identity set name=RTR-DINKES"),
    ("mikrotik_routeros", "/ip pool add name=dhcp-lan ranges=10.20.0.10-10.20.0.254"),
    ("mikrotik_routeros", "/system ntp client set enabled=yes"),
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


@pytest.mark.parametrize(
    ("text", "held", "lines"),
    [
        ("service password-encryption\nenable secret 5 <removed>\n", "password", []),
        ("ip domain name diskominfo.go.id\n", "diskominfo", []),
        ("/user add name=root\n", "root", []),  # shorter than 6: never searched
        ("Operator: root\n", "root", []),
        ('/system note set note="pw Rahasia-42"\n', "Rahasia-42", [1]),
        ("/tool fetch user=u password=Rahasia-42\\r\\n\n", "Rahasia-42", [1]),
        ("x\nRahasia-42\n", "Rahasia-42", [2]),
    ],
)
def test_known_credentials_match_whole_tokens_of_six_or_more(
    text: str, held: str, lines: list[int]
) -> None:
    """Issue 15.3: a held credential counts only as a whole token of 6+ characters."""
    assert [f.line for f in scan(text, "", [held]) if f.detector == "known-secret"] == lines
