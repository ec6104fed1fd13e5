"""Repair templates without a device: the library, variable validation (injection), rendering
guards, and the rollback computation (circular: change + rollback == unchanged, on a real
captured IOS running config and on RouterOS exports as the lab's devices print them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from nornir.core.inventory import Defaults, Group, Host, ParentGroups

from netrawat.configs.normalize import normalize
from netrawat.errors import InputError
from netrawat.remediation import apply_offline
from netrawat.remediation.ios import ios_sections, scoped_text
from netrawat.repair.library import all_templates, find_template, load_library
from netrawat.repair.model import HostRepair, Rollback
from netrawat.repair.plan import full_scope, plan_repair, rollback_commands
from netrawat.repair.render import render_repair
from netrawat.repair.variables import (
    RepairInputError,
    Variable,
    parse_assignments,
)

CAPTURES = Path(__file__).resolve().parent / "captures"
IOS_CAPTURE = CAPTURES / "oxidized" / "ios#C9200L-24P-4G_17.09.04a#output.txt"
ROS_EXPORT = """\
/interface bridge add comment=LAN name=bridge-lan
/interface ethernet set [ find default-name=ether1 ] comment="WAN uplink"
/ip pool add name=pool-lan ranges=10.21.0.100-10.21.0.200
/interface bridge port add bridge=bridge-lan interface=ether2
/interface bridge port add bridge=bridge-lan interface=ether3
/ip address add address=10.21.0.1/24 comment="LAN DINKES" interface=bridge-lan network=10.21.0.0
/ip dns set allow-remote-requests=yes servers=10.0.0.53,10.0.1.53
/ip route add comment="default via WAN" gateway=100.64.0.1
/system identity set name=RTR-DINKES
/system ntp client set enabled=yes servers=10.0.0.123
"""


def host(name: str, platform: str, role: str = "router", **data: object) -> Host:
    group = Group("opd_dinkes", data={"opd": "dinkes"})
    defaults = Defaults(
        data={"dns_servers": ["10.0.0.53", "10.0.1.53"], "ntp_servers": ["10.0.0.123"]}
    )
    made = Host(
        name,
        hostname="127.0.0.1",
        platform=platform,
        groups=ParentGroups([group]),
        data={"role": role, "opd": "dinkes", **data},
        defaults=defaults,
    )
    return made


# -- the library ------------------------------------------------------------------------------


def test_every_template_loads_and_declares_how_it_is_proven() -> None:
    templates = all_templates()
    assert {t.platform for t in templates} == {"mikrotik_routeros", "cisco_ios"}
    for template in templates:
        assert template.description
        assert template.checks or template.feature_checks, template.name
        if template.mode in ("commands", "intended"):
            assert template.source.strip(), template.name


def test_the_issue_s_repairs_exist_for_both_platforms() -> None:
    for platform in ("mikrotik_routeros", "cisco_ios"):
        names = set(load_library(platform))
        assert {
            "enable_interface",
            "restore_dns",
            "restore_ntp",
            "fix_dhcp",
            "apply_feature",
            "restore_backup",
        } <= names
    assert find_template("enable_wifi", "mikrotik_routeros") is not None


# -- variables --------------------------------------------------------------------------------

FORBIDDEN = ';[]`$"\\{}'


@pytest.mark.parametrize(
    ("kind", "raw", "value"),
    [
        ("ipv4", "10.0.0.53", "10.0.0.53"),
        ("ipv4_list", "10.0.0.53, 10.0.1.53", ["10.0.0.53", "10.0.1.53"]),
        ("ipv4_prefix", "10.21.0.0/24", "10.21.0.0/24"),
        ("ipv4_range", "10.21.0.100-10.21.0.200", "10.21.0.100-10.21.0.200"),
        ("interface", "GigabitEthernet0/1", "GigabitEthernet0/1"),
        ("name", "pool-lan", "pool-lan"),
        ("int", "42", 42),
        ("commit", "HEAD~2", "HEAD~2"),
    ],
)
def test_good_values_convert(kind: str, raw: str, value: object) -> None:
    assert Variable("v", kind).convert(raw, "H", FORBIDDEN) == value


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        ("interface", "ether3\n/system reset-configuration"),
        ("interface", "ether3;/system reset-configuration"),
        ("interface", "ether3 [/system reset]"),
        ("interface", "ether3\r"),
        ("ipv4", "10.0.0.1;/user add"),
        ("ipv4", "10.0.0.256"),
        ("ipv4_list", "10.0.0.1,$(x)"),
        ("ipv4_range", "10.0.0.9-10.0.0.1"),
        ("ipv4_prefix", "10.21.0.1/24"),
        ("name", "a b"),
        ("commit", "main; rm -rf /"),
        ("int", "1\x00"),
    ],
)
def test_unsafe_or_malformed_values_are_refused(kind: str, raw: str) -> None:
    with pytest.raises(RepairInputError) as caught:
        Variable("v", kind).convert(raw, "H", FORBIDDEN)
    assert caught.value.hint


def test_string_variables_need_a_pattern_and_match_it() -> None:
    var = Variable("ssid", "string", pattern="[A-Za-z0-9._ -]{1,32}")
    assert var.convert("OPD DINKES", "H", FORBIDDEN) == "OPD DINKES"
    for bad in ('x";/system reset;"', "x`y`", "a" * 33):
        with pytest.raises(RepairInputError):
            var.convert(bad, "H", FORBIDDEN)


def test_assignments() -> None:
    assert parse_assignments(["a=1", "b=x=y"]) == {"a": "1", "b": "x=y"}
    for bad in (["a"], ["=1"], ["a=1", "a=2"]):
        with pytest.raises(RepairInputError):
            parse_assignments(bad)


# -- rendering --------------------------------------------------------------------------------


def test_inventory_values_feed_defaults_and_are_checked_too() -> None:
    template = find_template("restore_dns", "mikrotik_routeros")
    assert template is not None
    rendered = render_repair(template, host("RTR-DINKES", "mikrotik_routeros"), {})
    assert rendered.intended == "/ip dns set servers=10.0.0.53,10.0.1.53\n"
    assert rendered.sources == {"servers": "inventory dns_servers"}
    bad = host("RTR-X", "mikrotik_routeros", dns_servers=["10.0.0.53\n/system reset"])
    with pytest.raises(InputError):
        render_repair(template, bad, {})


def test_unknown_and_missing_variables_are_input_errors() -> None:
    template = find_template("enable_interface", "cisco_ios")
    assert template is not None
    ios = host("CR-DINKES", "cisco_ios")
    with pytest.raises(RepairInputError, match="required"):
        render_repair(template, ios, {})
    with pytest.raises(RepairInputError, match="unknown variable"):
        render_repair(template, ios, {"interface": "Vlan1", "extra": "1"})
    rendered = render_repair(template, ios, {"interface": "Vlan1"})
    assert rendered.lines == ["interface Vlan1", " no shutdown"]


@pytest.mark.parametrize(
    ("platform", "text"),
    [
        ("mikrotik_routeros", "ip dns set servers=1.1.1.1\n"),
        ("mikrotik_routeros", "/ip dns set servers=1.1.1.1; /system reset-configuration\n"),
        ("cisco_ios", "ntp server 10.0.0.1\nend\n"),
        ("cisco_ios", "do reload\n"),
    ],
)
def test_rendered_lines_that_would_escape_are_refused(
    tmp_path: Path, platform: str, text: str
) -> None:
    folder = tmp_path / platform / "repair"
    folder.mkdir(parents=True)
    (folder / "bad.yaml").write_text("description: bad\nchecks: [dns]\n")
    (folder / "bad.j2").write_text(text)
    template = find_template("bad", platform, tmp_path)
    assert template is not None
    with pytest.raises(RepairInputError, match="refusing rendered line"):
        render_repair(template, host("H1", platform), {})


# -- plans and rollbacks ----------------------------------------------------------------------


def test_an_engine_repair_of_a_right_device_sends_nothing() -> None:
    template = find_template("restore_ntp", "mikrotik_routeros")
    assert template is not None
    rendered = render_repair(template, host("RTR-DINKES", "mikrotik_routeros"), {})
    assert plan_repair(rendered, ROS_EXPORT).commands == []
    wrong = ROS_EXPORT.replace("servers=10.0.0.123", "servers=10.99.99.123")
    plan = plan_repair(rendered, wrong)
    assert plan.commands == ["/system ntp client set servers=10.0.0.123"]
    assert "+/system ntp client set enabled=yes servers=10.0.0.123" in plan.expected_diff


ROS_CHANGES = [
    ROS_EXPORT.replace("servers=10.0.0.53,10.0.1.53", "servers=8.8.8.8"),
    ROS_EXPORT.replace("10.21.0.100-10.21.0.200", "10.21.0.150-10.21.0.160"),
    ROS_EXPORT + "/interface ethernet set [ find default-name=ether3 ] disabled=yes\n",
    ROS_EXPORT.replace("/interface bridge port add bridge=bridge-lan interface=ether3\n", ""),
    ROS_EXPORT + "/ip dns static add address=10.0.0.9 name=x.test\n",
]


@pytest.mark.parametrize("changed", ROS_CHANGES)
def test_routeros_rollback_undoes_the_change(changed: str) -> None:
    commands = rollback_commands("mikrotik_routeros", ROS_EXPORT, changed)
    assert commands
    back = apply_offline("mikrotik_routeros", changed, commands)
    assert rollback_commands("mikrotik_routeros", ROS_EXPORT, back) == []


def _ios_capture() -> str:
    return normalize(IOS_CAPTURE.read_text(encoding="utf-8"), "cisco_ios").text


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("ip name-server 10.42.0.1 10.42.0.2", "ip name-server 10.99.99.53"),
        ("interface Vlan2\n", "interface Vlan2\n shutdown\n"),
    ],
)
def test_ios_rollback_on_a_real_running_config(old: str, new: str) -> None:
    pre = _ios_capture()
    assert old in pre
    changed = pre.replace(old, new, 1)
    commands = rollback_commands("cisco_ios", pre, changed)
    assert commands
    scope = full_scope("cisco_ios", pre, changed)  # the whole capture has a banner
    back = apply_offline("cisco_ios", scoped_text(changed, scope), commands)  # hier_config
    want = apply_offline("cisco_ios", scoped_text(pre, scope), [])  # cannot read
    assert ios_sections(back) == ios_sections(want)


def test_secrets_in_command_lines_never_reach_output_or_the_recap() -> None:
    outcome = HostRepair(
        "RTR-X",
        "dinkes",
        "mikrotik_routeros",
        "apply_feature",
        commands=["/snmp community add addresses=10.0.0.0/16 name=s3cr3tcomm"],
        sent=["/snmp community add addresses=10.0.0.0/16 name=s3cr3tcomm"],
        rollback=Rollback(
            "check failed", sent=["/snmp community remove [ find where name=s3cr3tcomm ]"]
        ),
    )
    text = str(outcome.to_json())
    assert "s3cr3tcomm" not in text
    assert "name=<removed>" in text
    assert outcome.commands[0].endswith("s3cr3tcomm"), "only the shown copy is sanitized"


def test_cli_refuses_bad_usage_before_reading_anything(capsys: pytest.CaptureFixture[str]) -> None:
    from netrawat.cli.main import run as cli

    for args, words in (
        (["repair", "restore_dns", "--apply", "--request", "1/X/2026"], "whole fleet"),
        (["repair", "no_such_template", "--host", "X"], "no repair template"),
        (["repair"], "which repair"),
        (["repair", "restore_dns", "--host", "X", "--var", "novalue"], "NAME=VALUE"),
    ):
        assert cli(args) == 2
        err = capsys.readouterr().err
        assert words in err and "hint:" in err, err


# -- missing values (issue 15.5) --------------------------------------------------------------


def _bare(platform: str, role: str) -> Host:
    """A host of ``platform`` with no OPD data and no city-wide defaults at all."""
    return Host(
        f"BARE-{role}",
        hostname="127.0.0.1",
        platform=platform,
        groups=ParentGroups([Group("opd_x", data={"opd": "x"})]),
        data={"role": role, "opd": "x", "lan": {"subnet": None, "gateway": None}},
        defaults=Defaults(data={"dns_servers": None}),
    )


@pytest.mark.parametrize("template", all_templates(), ids=lambda t: f"{t.platform}-{t.name}")
@pytest.mark.parametrize("role", ["router", "ap"])
def test_no_template_renders_a_missing_value(template: object, role: str) -> None:
    """Every template, on a host without the inventory data it may need: refused (exit 2)
    or rendered without a None/empty value; never ``ranges=None``."""
    from netrawat.repair.library import RepairTemplate

    assert isinstance(template, RepairTemplate)
    bare = _bare(template.platform, role)
    try:
        rendered = render_repair(template, bare, {})
    except InputError as exc:
        assert exc.exit_code == 2 and exc.hint
        return
    text = "\n".join(rendered.lines) + rendered.intended
    assert "None" not in text, text


def test_fix_dhcp_without_lan_data_is_refused_naming_the_key() -> None:
    template = find_template("fix_dhcp", "mikrotik_routeros")
    assert template is not None
    with pytest.raises(RepairInputError) as caught:
        render_repair(template, _bare("mikrotik_routeros", "router"), {})
    assert "ranges" in caught.value.message and "lan.dhcp_pool" in caught.value.hint
