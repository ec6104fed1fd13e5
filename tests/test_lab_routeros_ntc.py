"""The lab's RouterOS output parsed by ntc-templates side by side with real captures.

For each command the real captures of the ntc-templates repository parse into some fields;
the lab's output must give the same fields. Where a template breaks on RouterOS 7.16 output
(``system resource print`` with the ISO ``build-time``, v7 ``ping`` times like ``818us``),
the lab must break it the same way.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import textfsm
from ntc_templates.parse import parse_output
from routeros_fakes import cli, make_device

ROOT = Path(__file__).resolve().parents[1]
CAPTURES = ROOT / "tests" / "captures" / "ntc-templates" / "tests" / "mikrotik_routeros"
PLATFORM = "mikrotik_routeros"


def _fields(rows: list[dict[str, object]]) -> set[str]:
    return {key for row in rows for key, value in row.items() if value not in ("", [])}


def _real_fields(template: str, captures: str) -> set[str]:
    fields: set[str] = set()
    raws = sorted((CAPTURES / template.replace(" ", "_")).glob(captures))
    assert raws, f"no capture for {template}"
    for raw in raws:
        fields |= _fields(parse_output(platform=PLATFORM, command=template, data=raw.read_text()))
    return fields


# (ntc command, lab command, capture glob: the v7 ones where the repo has them)
SAME_FIELDS = [
    ("ip address print", "/ip address print", "*print_[345].raw"),
    ("system identity print", "/system identity print", "*.raw"),
    ("system routerboard print", "/system routerboard print", "*.raw"),
    ("interface print detail", "/interface print detail", "*_01.raw"),
    (
        "interface print terse without-paging",
        "/interface print terse without-paging",
        "*paging2.raw",
    ),
    ("ip arp print without-paging", "/ip arp print without-paging", "*2.raw"),
    ("ip dhcp-server lease print", "/ip dhcp-server lease print where dynamic", "*print2.raw"),
    ("ip firewall address-list print terse", "/ip firewall address-list print terse", "*IPv4.raw"),
    ("log print detail without-paging", "/log print detail without-paging", "*.raw"),
    (
        "interface ethernet monitor name once",
        "/interface ethernet monitor ether1,ether3 once",
        "*.raw",
    ),
]


@pytest.mark.parametrize(("template", "command", "captures"), SAME_FIELDS)
def test_lab_output_parses_into_the_fields_of_real_captures(
    template: str, command: str, captures: str
) -> None:
    device = make_device(extra_lines=20)
    for message in ("user admin logged in via ssh", "config changed by admin", "ether2 link up"):
        device.live.add_log("system,info", message)  # the template drops the first entry
    lab_rows = parse_output(platform=PLATFORM, command=template, data=cli(device, command))
    assert lab_rows, f"the template found nothing in the lab's {command!r}"
    real = _real_fields(template, captures)
    lab = _fields(lab_rows)
    assert real <= lab | _optional(template), f"missing {sorted(real - lab)}"


_SFP = (
    "rx_loss",
    "tx_fault",
    "type",
    "connector_type",
    "link_length_50um",
    "link_length_62um",
    "vendor_name",
    "vendor_part_number",
    "vendor_revision",
    "vendor_serial",
    "manufacturing_date",
    "wavelength",
    "temperature",
    "supply_voltage",
    "tx_bias_current",
    "tx_power",
    "rx_power",
)
"""SFP module readings: the lab's ports are copper."""


def _optional(template: str) -> set[str]:
    """Fields real captures happen to have that this device has no reason to show."""
    return {
        "interface print detail": {"description", "dynamic", "last_link_down_time", "vrf"},
        "interface print terse without-paging": {
            "dynamic",
            "fast_path",
            "last_link_down_time",
            "vrf",
            "status",
            "comment",
        },
        "ip address print": {"flags"},
        "ip firewall address-list print terse": {"timeout", "dynamic", "flags"},
        "ip dhcp-server lease print": {"rate_limit"},
        "log print detail without-paging": {"month", "day", "year"},
        "interface ethernet monitor name once": {f"sfp_{k}" for k in _SFP}
        | {"sfp_module_present", "supported", "eeprom", "eeprom_checksum"},
    }.get(template, set())


def test_v7_comment_lines_break_the_lease_template_as_on_real_routers() -> None:
    output = cli(make_device(), "/ip dhcp-server lease print")
    assert ";;; printer" in output
    with pytest.raises(textfsm.TextFSMError):
        parse_output(platform=PLATFORM, command="ip dhcp-server lease print", data=output)


@pytest.mark.parametrize(
    ("template", "command"),
    [("system resource print", "/system resource print"), ("ping", "/ping 100.64.4.1 count=3")],
)
def test_templates_that_break_on_7_16_break_on_the_lab_too(template: str, command: str) -> None:
    for raw in sorted((CAPTURES / template.replace(" ", "_")).glob("*.raw")):
        assert parse_output(platform=PLATFORM, command=template, data=raw.read_text())
    with pytest.raises(textfsm.TextFSMError):
        parse_output(platform=PLATFORM, command=template, data=cli(make_device(), command))


def test_resource_fields_match_the_real_7_16_capture_key_for_key() -> None:
    from test_lab_routeros_model import OXIDIZED

    text = (OXIDIZED / "routeros#CHR_7.16#simulation.yaml").read_text()
    block = text.split('"/system resource print\\n": |-', 1)[1].split('"/system package', 1)[0]
    real_keys = [
        line.split(":", 1)[0].strip().replace("\\x20", "").strip()
        for line in block.splitlines()
        if ":" in line
    ]
    lab_keys = [
        line.split(":", 1)[0].strip()
        for line in cli(make_device(), "/system resource print").splitlines()
    ]
    assert [k for k in lab_keys if k in real_keys] == real_keys
    assert set(lab_keys) - set(real_keys) <= {"bad-blocks"}  # RouterBOARDs have it, CHR not
