"""Lab fleets: generation that looks like the city's network, fleet file checks, the inventory
written for ``--inventory DIR``."""

from __future__ import annotations

import stat
from collections import Counter
from pathlib import Path

import pytest
import yaml

from netrawat.inventory import load_inventory, load_secrets
from netrawat_lab.errors import LabInputError as InputError
from netrawat_lab.faults import parse_fault
from netrawat_lab.fleet import LabCredentials, Layout, generate_fleet
from netrawat_lab.fleetfile import check_loopback, load_fleet, save_fleet
from netrawat_lab.frominventory import fleet_from_inventory
from netrawat_lab.labinventory import write_inventory
from netrawat_lab.opds import BUILTIN_OPDS
from netrawat_lab.testing import private_slot, rehearsal_fleet

ROOT = Path(__file__).resolve().parents[1]


def _layout(block: int = 42) -> Layout:
    return Layout(block, LabCredentials.generate())


def test_generated_fleet_mixes_platforms_and_roles_per_opd() -> None:
    specs = generate_fleet(12, _layout())
    assert [s.hostname for s in specs[:4]] == [
        "RTR-DISKOMINFO",
        "AP-DISKOMINFO-1",
        "CR-DISKOMINFO",
        "RTR-DINKES",
    ]
    kinds = Counter((s.platform, s.role) for s in specs)
    assert kinds[("mikrotik_routeros", "router")] == 4
    assert kinds[("mikrotik_routeros", "ap")] == 6
    assert kinds[("cisco_ios", "router")] == 2
    assert [s.hostname for s in specs if s.api_port] == ["RTR-DISKOMINFO", "RTR-DISDIKBUD"]
    assert {s.opd for s in specs} == {"diskominfo", "dinkes", "disdikbud", "dukcapil"}


def test_generated_fleet_cycles_opds_with_unique_names_and_addresses() -> None:
    specs = generate_fleet(200, _layout(7))
    assert len({s.hostname for s in specs}) == 200
    assert len({s.address for s in specs}) == 200
    assert all(s.address.startswith("127.7.") for s in specs)
    assert {s.opd for s in specs} == {opd.code for opd in BUILTIN_OPDS}
    assert "RTR-DINKES-2" in {s.hostname for s in specs}


def test_seed_gives_each_opd_its_own_lan_and_wan() -> None:
    specs = generate_fleet(6, _layout())
    router, ap = specs[0].seed, specs[1].seed
    assert router["lan_address"] == "10.21.0.1"
    assert router["wan_gateway"] == "100.64.0.1"
    assert ap["ssid"] == "OPD-DISKOMINFO"
    assert specs[3].seed["lan_address"] == "10.21.1.1"


def test_every_device_shares_the_lab_credentials() -> None:
    creds = LabCredentials.generate()
    specs = generate_fleet(5, Layout(9, creds))
    assert {(s.username, s.password) for s in specs} == {(creds.username, creds.password)}
    assert [bool(s.enable_secret) for s in specs] == [False, False, True, False, False]
    assert LabCredentials.generate().password != creds.password


@pytest.mark.parametrize("address", ["10.0.0.1", "192.168.88.1", "0.0.0.0", "::1", "nonsense"])
def test_non_loopback_addresses_are_refused(address: str) -> None:
    with pytest.raises(InputError) as caught:
        check_loopback(address)
    assert "127." in caught.value.one_line()


def test_fleet_file_round_trip_is_private(tmp_path: Path) -> None:
    specs = rehearsal_fleet(private_slot())
    path = tmp_path / "fleet.yaml"
    save_fleet(path, specs)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_fleet(path) == specs


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"address": "10.1.1.1"}, "not a loopback"),
        ({"port": 22}, "not a port above 1024"),
        ({"api_port": 80}, "not a port above 1024"),
        ({"faults": {"melting": None}}, "unknown lab fault"),
        ({"faults": {"slow": "fast"}}, "whole number"),
        ({"colour": "red"}, "unknown fields"),
    ],
)
def test_fleet_file_errors_are_clear(
    tmp_path: Path, change: dict[str, object], message: str
) -> None:
    rows = yaml.safe_load(_saved(tmp_path))
    rows[0].update(change)
    (tmp_path / "fleet.yaml").write_text(yaml.safe_dump(rows))
    with pytest.raises(InputError, match=message):
        load_fleet(tmp_path / "fleet.yaml")


def test_duplicate_endpoints_are_refused(tmp_path: Path) -> None:
    rows = yaml.safe_load(_saved(tmp_path))
    rows[1]["address"] = rows[0]["address"]
    (tmp_path / "fleet.yaml").write_text(yaml.safe_dump(rows))
    with pytest.raises(InputError, match="repeats"):
        load_fleet(tmp_path / "fleet.yaml")


def _saved(tmp_path: Path) -> str:
    save_fleet(tmp_path / "fleet.yaml", rehearsal_fleet(private_slot()))
    return (tmp_path / "fleet.yaml").read_text()


def test_written_inventory_loads_and_gives_each_host_its_login(tmp_path: Path) -> None:
    specs = rehearsal_fleet(private_slot())
    write_inventory(tmp_path, specs)
    inventory = load_inventory(tmp_path)
    assert sorted(inventory.hosts) == sorted(s.hostname for s in specs)
    host = inventory.hosts["RTR-DINKES"]
    assert (host.hostname, host.port, host.platform) == (
        specs[0].address,
        specs[0].port,
        "mikrotik_routeros",
    )
    assert host["api_port"] == specs[0].api_port
    assert host["opd_name"] == "Dinas Kesehatan"
    assert stat.S_IMODE((tmp_path / "secrets.yaml").stat().st_mode) == 0o600
    secrets = load_secrets(None, tmp_path)
    creds = secrets.for_host(inventory.hosts["CR-DINKES"], env={})
    assert (creds.username, creds.password, creds.enable_secret) == (
        specs[2].username,
        specs[2].password,
        specs[2].enable_secret,
    )


def test_secrets_win_over_the_engineers_environment(tmp_path: Path) -> None:
    specs = rehearsal_fleet(private_slot())
    write_inventory(tmp_path, specs)
    inventory = load_inventory(tmp_path)
    env = {"NETRAWAT_USERNAME": "someone", "NETRAWAT_PASSWORD": "theirs"}
    creds = load_secrets(None, tmp_path).for_host(inventory.hosts["AP-DINKES-1"], env=env)
    assert (creds.username, creds.password) == (specs[1].username, specs[1].password)


def test_fleet_from_an_inventory_keeps_names_platforms_and_opds(tmp_path: Path) -> None:
    (tmp_path / "groups.yaml").write_text(
        yaml.safe_dump(
            {
                "opd_dinkes": {
                    "data": {"opd": "dinkes", "opd_name": "Dinas Kesehatan", "kind": "dinas"}
                },
                "opd_kec_barat": {
                    "data": {
                        "opd": "kec_barat",
                        "opd_name": "Kecamatan Pontianak Barat",
                        "kind": "kecamatan",
                    }
                },
            }
        )
    )
    (tmp_path / "hosts.yaml").write_text(
        yaml.safe_dump(
            {
                "RTR-DINKES": {
                    "hostname": "10.21.4.1",
                    "platform": "mikrotik_routeros",
                    "groups": ["opd_dinkes"],
                    "data": {"role": "router", "model": "RB5009UG+S+", "api_port": 8728},
                },
                "AP-DINKES-1": {
                    "hostname": "10.21.4.2",
                    "platform": "mikrotik_routeros",
                    "groups": ["opd_dinkes"],
                    "data": {"role": "ap"},
                },
                "RTR-KEC-BARAT": {
                    "hostname": "10.21.9.1",
                    "platform": "cisco_ios",
                    "groups": ["opd_kec_barat"],
                    "data": {"role": "router"},
                },
            }
        )
    )
    (tmp_path / "defaults.yaml").write_text(yaml.safe_dump({"data": {"dns_servers": ["10.9.9.9"]}}))
    specs, source = fleet_from_inventory(tmp_path, _layout())
    by_name = {s.hostname: s for s in specs}
    assert set(by_name) == {"RTR-DINKES", "AP-DINKES-1", "RTR-KEC-BARAT"}
    assert by_name["RTR-DINKES"].model == "RB5009UG+S+"
    assert by_name["RTR-DINKES"].api_port == 8728
    assert by_name["AP-DINKES-1"].api_port is None
    assert by_name["RTR-KEC-BARAT"].platform == "cisco_ios"
    assert by_name["RTR-KEC-BARAT"].opd == "kec_barat"
    assert all(s.address.startswith("127.42.") for s in specs)  # never the real addresses
    assert by_name["AP-DINKES-1"].seed["dns_servers"] == ["10.9.9.9"]
    assert [o.code for o in source.opds] == ["dinkes", "kec_barat"]


def test_lab_mirrors_the_example_inventory_with_intended_config(tmp_path: Path) -> None:
    example = ROOT / "inventory"
    specs, source = fleet_from_inventory(example, _layout(43))
    write_inventory(tmp_path, specs, source)
    original, lab = load_inventory(example), load_inventory(tmp_path)
    assert sorted(lab.hosts) == sorted(original.hosts)
    for name, host in lab.hosts.items():
        assert str(host.hostname).startswith("127.43.")
        assert host.platform == original.hosts[name].platform
        assert host["role"] == original.hosts[name]["role"]
        assert [g.name for g in host.groups] == [g.name for g in original.hosts[name].groups]
    by_name = {s.hostname: s for s in specs}
    router = next(h for h in original.hosts.values() if h["role"] == "router")
    seed = by_name[router.name].seed
    assert seed["lan_address"] == router["lan"]["gateway"]
    assert seed["wan_gateway"] == router["wan"]["gateway"]
    assert seed["ntp_servers"] == router["ntp_servers"]
    ap = next(h for h in original.hosts.values() if h["role"] == "ap")
    assert by_name[ap.name].seed["ssid"] == ap["ssid"]
    with_api = {n for n, h in original.hosts.items() if h.get("api_port")}
    assert {s.hostname for s in specs if s.api_port} == with_api


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("slow=500", ("slow", "500")),
        ("hang", ("hang", None)),
        ("wan-loss=40", ("wan-loss", "40")),
        ("unreachable=drop", ("unreachable", "drop")),
        ("interface-down=ether2", ("interface-down", "ether2")),
    ],
)
def test_fault_text_is_parsed(text: str, expected: tuple[str, str | None]) -> None:
    assert parse_fault(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "melting",
        "slow",
        "slow=fast",
        "high-cpu=150",
        "slow=99999999999999",
        "echo-wrap=0",
        "overheating=" + "9" * 5000,
        "unreachable=sometimes",
        "interface-down=ether2;reboot",
        "wrong-dns=a b",
    ],
)
def test_bad_fault_text_is_refused(text: str) -> None:
    with pytest.raises(InputError):
        parse_fault(text)
