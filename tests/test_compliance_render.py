"""Intended configuration rendering: every example-inventory host, StrictUndefined, and the
validation of inventory values that go into config lines (no device involved)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from nornir.core.inventory import Host

from netrawat.compliance.features import load_features
from netrawat.compliance.render import IntendedDataError, render_intended
from netrawat.inventory.model import load_inventory
from netrawat.paths import EXAMPLE_INVENTORY
from netrawat.tasks.render_intended import template_context

INVENTORY = load_inventory(EXAMPLE_INVENTORY)


def _render(host: Host, **override: Any) -> Any:
    features = load_features(str(host.platform))
    context = {**template_context(host), **override}
    return render_intended(features, features.features, context, host.name, host.get("role"))


@pytest.mark.parametrize("name", sorted(INVENTORY.hosts))
def test_every_example_host_renders_its_features(name: str) -> None:
    host = INVENTORY.hosts[name]
    intended = _render(host)
    assert intended.rendered, intended.skipped
    for feature, text in intended.rendered.items():
        assert text.endswith("\n") and "\n\n" not in text, feature
    assert "dns" in intended.rendered and "ntp" in intended.rendered


def test_routeros_router_renders_city_values() -> None:
    intended = _render(INVENTORY.hosts["RTR-DINKES"])
    assert intended.rendered["dns"] == (
        "/ip dns set allow-remote-requests=yes servers=10.0.0.53,10.0.1.53\n"
    )
    assert intended.rendered["ntp"] == (
        "/system ntp client set enabled=yes servers=10.0.0.123,10.0.1.123\n"
    )
    assert intended.rendered["identity"] == "/system identity set name=RTR-DINKES\n"
    assert "wireless" in intended.skipped and "not for role router" in intended.skipped["wireless"]


def test_ap_renders_its_ssid_on_every_radio() -> None:
    host = next(h for h in INVENTORY.hosts.values() if h.get("role") == "ap")
    intended = _render(host)
    ssid = host.get("ssid")
    assert intended.rendered["wireless"].splitlines() == [
        f"/interface wifi set [ find default-name=wifi{n} ] configuration.ssid={ssid}"
        for n in (1, 2)
    ]
    assert "routing" in intended.skipped


def test_ios_renders_one_line_per_server() -> None:
    host = next(h for h in INVENTORY.hosts.values() if h.platform == "cisco_ios")
    intended = _render(host)
    assert intended.rendered["ntp"] == "ntp server 10.0.0.123\nntp server 10.0.1.123\n"
    assert intended.rendered["clock"] == "clock timezone WIB 7 0\n"


def test_feature_without_inventory_data_is_skipped_not_failed() -> None:
    host = INVENTORY.hosts["RTR-DINKES"]
    intended = _render(host, ntp_servers=[], timezone=None)
    assert intended.skipped["ntp"] == "no inventory data: ntp_servers"
    assert intended.skipped["clock"] == "no inventory data: timezone"


BAD_VALUES = [
    (
        "mikrotik_routeros",
        "dns_servers",
        ["10.0.0.53", "1.1.1.1\n/user add name=x"],
        "dns_servers[1]",
    ),
    (
        "mikrotik_routeros",
        "dns_servers",
        ["10.0.0.53;/system reset-configuration"],
        "dns_servers[0]",
    ),
    ("mikrotik_routeros", "ssid", "OPD [/system reboot]", "ssid"),
    ("mikrotik_routeros", "ssid", "OPD $(x)", "ssid"),
    (
        "mikrotik_routeros",
        "lan",
        {"subnet": "10.0.0.0/24", "gateway": "10.0.0.1`", "dhcp_pool": "a"},
        "lan.gateway",
    ),
    ("cisco_ios", "ntp_servers", ["10.0.0.123\rntp server 6.6.6.6"], "ntp_servers[0]"),
    ("cisco_ios", "syslog_server", "10.0.0.14 ?", "syslog_server"),
]


@pytest.mark.parametrize(("platform", "key", "value", "where"), BAD_VALUES)
def test_unsafe_inventory_value_is_refused_naming_host_and_key(
    platform: str, key: str, value: Any, where: str
) -> None:
    role = "ap" if key == "ssid" else "router"
    host = next(
        h for h in INVENTORY.hosts.values() if h.platform == platform and h.get("role") == role
    )
    with pytest.raises(IntendedDataError) as caught:
        _render(host, **{key: copy.deepcopy(value)})
    line = caught.value.one_line()
    assert f"host {host.name}" in line and repr(where) in line
    assert "\n" not in line and "hint:" in line


def test_key_missing_inside_a_template_is_an_error_not_an_empty_value() -> None:
    host = INVENTORY.hosts["RTR-DINKES"]
    lan = {k: v for k, v in host.get("lan").items() if k != "dhcp_pool"}
    with pytest.raises(IntendedDataError) as caught:
        _render(host, lan=lan)
    assert "RTR-DINKES" in caught.value.message and "dhcp" in caught.value.message


def test_routeros_6_gets_its_sntp_client_properties() -> None:
    host = INVENTORY.hosts["RTR-DINKES"]
    v6 = _render(host, os_version="6.48.6").rendered["ntp"]
    assert (
        v6 == "/system ntp client set enabled=yes primary-ntp=10.0.0.123 secondary-ntp=10.0.1.123\n"
    )
    one = _render(host, os_version="6.49", ntp_servers=["10.0.0.123"]).rendered["ntp"]
    assert one.endswith("secondary-ntp=0.0.0.0\n")
