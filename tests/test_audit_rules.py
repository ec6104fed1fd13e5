"""Every baseline rule with a passing and a failing configuration, on real captured configs
(tests/captures: Oxidized's RouterOS 7.10-7.18 and IOS XE exports, NAPALM's IOS running config,
ntc-templates' ``/system resource print``), changed only by the lines a rule is about.
A meta-test fails any rule without both cases, as ntc-templates does for its templates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from nornir.core.inventory import Defaults, Group, Host, ParentGroups

from netrawat.audit.engine import audit_device, exceptions_for, load_baseline
from netrawat.audit.model import AuditFacts
from netrawat.errors import InputError
from netrawat.repair.library import find_template

CAPTURES = Path(__file__).parent / "captures"
OXIDIZED = CAPTURES / "oxidized"
RESOURCE = CAPTURES / "ntc-templates/tests/mikrotik_routeros/system_resource_print"
NAPALM_IOS = CAPTURES / "napalm/test/ios/mocked_data/test_get_config/normal/show_running_config.txt"

ROS, IOS = "mikrotik_routeros", "cisco_ios"
L009 = "routeros#L009UiGS_7.15.2#output.txt"  # a defconf router with office additions
RB5009 = "routeros#RB5009UPr+S+_7.18.2#output.txt"  # defconf
CHR = "routeros#CHR_7.10.1#output.txt"  # a bare CHR: no firewall at all
ASR = "ios#asr920_16.8.1b#output.txt"
C9200 = "ios#C9200L-24P-4G_17.09.04a#output.txt"
C9800 = "ios#C9800-L-F-K9_17.06.05#output.txt"
CITY = {"ntp_servers": ["10.0.0.123"], "syslog_server": "10.0.0.14"}
MGMT = {"management_network": "10.0.0.0/16"}
USERS_ADMIN = ' 0 ;;; system default user\n   name="admin" group=full address=""\n'
USERS_NAMED = " 0 name=noc-diskominfo group=full address=10.0.0.0/16\n 1 name=noc-ro group=read\n"
OFF = "/ip service\nset telnet disabled=yes\nset ftp disabled=yes\nset www disabled=yes\n"
OFF += "set api disabled=yes\nset api-ssl disabled=yes\n"


def _config(capture: str) -> str:
    path = NAPALM_IOS if capture == "napalm" else OXIDIZED / capture
    return path.read_text(encoding="utf-8")


CASES: list[tuple[str, str, str, str, str, dict[str, Any]]] = [
    # (rule, expected, platform, capture, lines added, inventory data)
    ("ros-telnet-off", "fail", ROS, L009, "", {}),
    ("ros-telnet-off", "pass", ROS, L009, "/ip service\nset telnet disabled=yes\n", {}),
    ("ros-ftp-off", "fail", ROS, RB5009, "", {}),
    ("ros-ftp-off", "pass", ROS, RB5009, OFF, {}),
    ("ros-www-off", "fail", ROS, CHR, "", {}),
    ("ros-www-off", "pass", ROS, CHR, OFF, {}),
    ("ros-api-off", "fail", ROS, L009, "", {}),
    ("ros-api-off", "pass", ROS, L009, OFF, {}),
    ("ros-api-off", "not-applicable", ROS, L009, "", {"api_port": 8728}),
    ("ros-api-ssl-off", "fail", ROS, L009, "", {}),
    ("ros-api-ssl-off", "pass", ROS, L009, OFF, {}),
    ("ros-mgmt-services-restricted", "fail", ROS, L009, "", MGMT),
    (
        "ros-mgmt-services-restricted",
        "pass",
        ROS,
        L009,
        OFF + "set ssh address=10.0.4.0/24\nset winbox address=10.0.0.0/16\n",
        MGMT,
    ),
    (
        "ros-mgmt-services-restricted",
        "fail",
        ROS,
        L009,
        OFF + "set ssh address=0.0.0.0/0\nset winbox address=10.0.0.0/16\n",
        MGMT,
    ),
    ("ros-no-admin-user", "fail", ROS, L009, "", {}),
    ("ros-no-admin-user", "pass", ROS, RB5009, "", {}),
    ("ros-mac-server-lan", "pass", ROS, L009, "", {}),
    ("ros-mac-server-lan", "fail", ROS, CHR, "", {}),
    ("ros-mac-winbox-lan", "pass", ROS, RB5009, "", {}),
    ("ros-mac-winbox-lan", "fail", ROS, CHR, "", {}),
    ("ros-discovery-lan", "pass", ROS, L009, "", {}),
    ("ros-discovery-lan", "fail", ROS, CHR, "", {}),
    ("ros-bandwidth-server-off", "fail", ROS, L009, "", {}),
    ("ros-bandwidth-server-off", "pass", ROS, L009, "/tool bandwidth-server\nset enabled=no\n", {}),
    ("ros-dns-not-open", "pass", ROS, L009, "", {}),
    ("ros-dns-not-open", "pass", ROS, CHR, "", {}),
    ("ros-dns-not-open", "fail", ROS, CHR, "/ip dns\nset allow-remote-requests=yes\n", {}),
    ("ros-input-firewall", "pass", ROS, L009, "", {}),
    ("ros-input-firewall", "fail", ROS, RB5009, "", {}),  # defconf: no management accept
    ("ros-input-firewall", "fail", ROS, CHR, "", {}),
    ("ros-ssh-strong-crypto", "fail", ROS, CHR, "", {}),
    ("ros-ssh-strong-crypto", "pass", ROS, CHR, "/ip ssh\nset strong-crypto=yes\n", {}),
    ("ros-romon-off", "pass", ROS, L009, "", {}),
    ("ros-romon-off", "fail", ROS, L009, "/tool romon\nset enabled=yes\n", {}),
    ("ros-snmp-not-public", "fail", ROS, L009, "", {}),  # SNMP on, public untouched
    ("ros-snmp-not-public", "pass", ROS, RB5009, "", {}),  # SNMP off
    (
        "ros-snmp-not-public",
        "pass",
        ROS,
        L009,
        "/snmp community\nset [ find default=yes ] disabled=yes\n",
        {},
    ),
    (
        "ros-snmp-not-public",
        "fail",
        ROS,
        L009,
        "/snmp community\nset [ find default=yes ] name=public\n",
        {},
    ),
    ("ros-ntp-city", "fail", ROS, L009, "", CITY),
    (
        "ros-ntp-city",
        "pass",
        ROS,
        L009,
        "/system ntp client\nset enabled=yes\n/system ntp client servers\nadd address=10.0.0.123\n",
        CITY,
    ),
    (
        "ros-ntp-city",
        "fail",
        ROS,
        L009,
        "/system ntp client\nset enabled=yes servers=pool.ntp.org\n",
        CITY,
    ),
    ("ros-remote-logging", "fail", ROS, L009, "", CITY),
    (
        "ros-remote-logging",
        "pass",
        ROS,
        L009,
        "/system logging action\nset 3 remote=10.0.0.14\n"
        "/system logging\nadd action=remote topics=info\n",
        CITY,
    ),
    (
        "ros-remote-logging",
        "fail",
        ROS,
        L009,
        "/system logging action\nset 3 remote=10.0.0.14\n",  # an action no rule uses
        CITY,
    ),
    ("ros-version-supported", "fail", ROS, RESOURCE.name + "_1", "", {}),
    ("ros-version-supported", "pass", ROS, RESOURCE.name + "_3", "", {}),
    ("ios-vty-ssh-only", "pass", IOS, ASR, "", {}),
    ("ios-vty-ssh-only", "fail", IOS, "napalm", "", {}),
    ("ios-ssh-v2", "pass", IOS, C9200, "", {}),
    ("ios-ssh-v2", "fail", IOS, ASR, "", {}),
    ("ios-enable-secret", "pass", IOS, C9200, "", {}),
    ("ios-enable-secret", "fail", IOS, ASR, "", {}),  # type 5 (MD5)
    ("ios-enable-secret", "fail", IOS, "napalm", "", {}),  # enable password
    ("ios-password-encryption", "pass", IOS, ASR, "", {}),
    ("ios-password-encryption", "fail", IOS, "napalm", "", {}),
    ("ios-login-block", "pass", IOS, ASR, "", {}),
    ("ios-login-block", "fail", IOS, C9200, "", {}),
    ("ios-exec-timeout", "fail", IOS, ASR, "", {}),  # 20 minutes
    ("ios-exec-timeout", "pass", IOS, "napalm", "", {}),  # the 10-minute default
    ("ios-no-http-server", "fail", IOS, C9800, "", {}),
    ("ios-no-http-server", "pass", IOS, ASR, "", {}),
    ("ios-snmp-not-default", "fail", IOS, C9200, "", {}),
    ("ios-snmp-not-default", "pass", IOS, ASR, "", {}),
    ("ios-remote-logging", "pass", IOS, ASR, "", {"syslog_server": "111.111.111.111"}),
    ("ios-remote-logging", "fail", IOS, ASR, "", CITY),
    ("ios-remote-logging", "fail", IOS, C9200, "", CITY),
    ("ios-ntp-city", "pass", IOS, ASR, "", {"ntp_servers": ["111.111.111.111"]}),
    ("ios-ntp-city", "fail", IOS, C9200, "", CITY),
]


def _facts(platform: str, capture: str, added: str, data: dict[str, Any]) -> AuditFacts:
    if capture.startswith(RESOURCE.name):
        number = capture.rsplit("_", 1)[1]
        resource = (RESOURCE / f"mikrotik_routeros_system_resource_print_{number}.raw").read_text()
        return AuditFacts(platform, _config(L009), {"/system resource print": resource}, data)
    config = _config(capture) + added
    users = USERS_ADMIN if capture == L009 else USERS_NAMED
    return AuditFacts(platform, config, {"/user print terse": users}, data)


@pytest.mark.parametrize(("rule", "expected", "platform", "capture", "added", "data"), CASES)
def test_rule_on_real_configs(
    rule: str, expected: str, platform: str, capture: str, added: str, data: dict[str, Any]
) -> None:
    audit = audit_device(
        load_baseline(platform),
        _facts(platform, capture, added, data),
        {},
        host="X",
        opd="dinkes",
        role="router",
    )
    result = {r.rule.id: r for r in audit.results}[rule]
    assert result.status == expected, (result.message, result.evidence)
    if expected == "fail":
        assert result.message and result.new  # never audited before: every finding is new


def test_every_rule_has_a_passing_and_a_failing_case() -> None:
    covered = {(rule, expected) for rule, expected, *_ in CASES}
    for platform in (ROS, IOS):
        for rule in load_baseline(platform).rules:
            assert (rule.id, "pass") in covered and (rule.id, "fail") in covered, rule.id


def test_every_rule_is_titled_in_both_languages_and_its_repair_exists() -> None:
    for platform in (ROS, IOS):
        for rule in load_baseline(platform).rules:
            assert rule.title_id and rule.title_en and rule.title_id != rule.title_en, rule.id
            fix = rule.remediation
            if fix.template:
                template = find_template(fix.template, platform)
                assert template is not None, (rule.id, fix.template)
                declared = {v.name: v for v in template.variables}
                for name, value in fix.variables.items():
                    variable = declared[name]
                    assert not variable.choices or value in variable.choices, (rule.id, value)
            else:
                assert len(fix.manual) > 20, rule.id


def test_evidence_never_shows_a_secret_and_findings_are_marked_new_once() -> None:
    facts = _facts(IOS, C9200, "", CITY)
    first = audit_device(load_baseline(IOS), facts, {}, host="X", opd="o")
    snmp = {r.rule.id: r for r in first.results}["ios-snmp-not-default"]
    assert snmp.evidence == ("snmp-server community <removed> RW 5",)
    secret = {r.rule.id: r for r in first.results}["ios-enable-secret"]
    assert all("$9$" not in line for line in secret.evidence)
    ids = frozenset(r.rule.id for r in first.findings)
    again = audit_device(load_baseline(IOS), facts, {}, host="X", opd="o", previous=ids)
    assert again.findings and not again.new_findings
    assert first.grade == "berat"


def _host(data: dict[str, Any], group_data: dict[str, Any]) -> Host:
    group = Group("opd_dinkes", data=group_data)
    return Host("RTR-X", platform=ROS, data=data, groups=ParentGroups([group]), defaults=Defaults())


def test_exceptions_need_a_reason_and_a_known_rule_host_over_group() -> None:
    baseline = load_baseline(ROS)
    why = "aplikasi SIMPUS memakai API (surat 045/112/Diskes/XI/2026)"
    host = _host(
        {"audit_exceptions": {"ros-api-off": why}},
        {"audit_exceptions": {"ros-api-off": "group reason, overridden", "ros-romon-off": why}},
    )
    found = exceptions_for(host, baseline)
    assert found["ros-api-off"].reason == why and found["ros-api-off"].source == "host RTR-X"
    assert found["ros-romon-off"].source == "group opd_dinkes"
    with pytest.raises(InputError, match="no written reason"):
        exceptions_for(_host({"audit_exceptions": {"ros-api-off": " "}}, {}), baseline)
    with pytest.raises(InputError, match="unknown rule"):
        exceptions_for(_host({"audit_exceptions": {"ros-telnet": why}}, {}), baseline)
    with pytest.raises(InputError, match="must map rule ids"):
        exceptions_for(_host({"audit_exceptions": ["ros-api-off"]}, {}), baseline)


def test_example_fleet_carries_realistic_gaps_per_opd() -> None:
    """The lab built from the example inventory (as `netrawat lab up` / the demo build it):
    Bappeda's router is compliant, Dinkes kept telnet and admin, a kecamatan office more;
    judged on each lab device's own export and user list (no SSH needed for this)."""
    from netrawat.paths import EXAMPLE_INVENTORY
    from netrawat_lab.fleet import LabCredentials, Layout
    from netrawat_lab.frominventory import fleet_from_inventory
    from netrawat_lab.routeros.actions import ACTIONS
    from netrawat_lab.routeros.commands import Session, run_line
    from netrawat_lab.routeros.device import RouterOSDevice

    specs, _ = fleet_from_inventory(Path(EXAMPLE_INVENTORY), Layout(9, LabCredentials.generate()))
    routers = {s.opd: s for s in specs if s.platform == ROS and s.role == "router"}
    baseline = load_baseline(ROS)
    found = {}
    for opd in ("bappeda", "dinkes", "kec_barat"):
        spec = routers[opd]
        device = RouterOSDevice(spec)
        session = Session(spec.username)
        output = {
            c: "\n".join(run_line(device, session, c, ACTIONS).lines)
            for c in ("/export terse", "/user print terse", "/system resource print")
        }
        data = CITY | MGMT | ({"api_port": spec.api_port} if spec.api_port else {})
        facts = AuditFacts(ROS, output.pop("/export terse"), output, data)
        audit = audit_device(baseline, facts, {}, host=spec.hostname, opd=opd, role="router")
        found[opd] = sorted(r.rule.id for r in audit.findings)
    assert found["bappeda"] == []
    assert found["dinkes"] == ["ros-no-admin-user", "ros-telnet-off"]
    assert found["kec_barat"] == [
        "ros-mac-server-lan",
        "ros-mac-winbox-lan",
        "ros-no-admin-user",
        "ros-snmp-not-public",
        "ros-telnet-off",
    ]
