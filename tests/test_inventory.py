"""Inventory loading, validation, credentials and filters (no device is contacted)."""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import fleet_spec
from inventory_factory import PASSWORD, base_groups, base_hosts, write_inventory
from nornir.core.inventory import Host
from nornir.core.task import Result, Task

from netrawat.cli.main import run
from netrawat.errors import CredentialsError, InputError, InventoryError
from netrawat.exitcodes import ExitCode
from netrawat.fleet import load_selection, open_fleet
from netrawat.fleetspec import FleetSpec
from netrawat.inventory.filters import host_opd
from netrawat.inventory.model import load_inventory
from netrawat.paths import EXAMPLE_INVENTORY
from netrawat.processors.progress import ProgressProcessor

ENV = ("NETRAWAT_USERNAME", "NETRAWAT_PASSWORD", "NETRAWAT_ENABLE_SECRET", "NETRAWAT_SECRETS")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No credentials or secrets file leak in from the engineer's environment."""
    for name in (*ENV, "NETRAWAT_INVENTORY", "NETRAWAT_STATE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


def extras(host: Host, connection: str) -> dict[str, Any]:
    """The connection extras Nornir will hand to the connection plugin."""
    value = host.get_connection_parameters(connection).extras
    assert value is not None
    return value


def options(inventory: Path, tmp_path: Path, **kwargs: Any) -> FleetSpec:
    return fleet_spec(inventory=inventory, state=tmp_path / "state", **kwargs)


# --- the example inventory ---------------------------------------------------------------


def test_example_inventory_models_the_pontianak_fleet() -> None:
    inventory = load_inventory(EXAMPLE_INVENTORY)
    opd_groups = {g.data["opd"]: g for g in inventory.groups.values() if "opd" in g.data}
    assert len(opd_groups) >= 20
    assert len(inventory.hosts) >= 60
    kecamatan = {code for code, g in opd_groups.items() if g.data["kind"] == "kecamatan"}
    assert len(kecamatan) == 6
    assert "Alkadrie" in opd_groups["rsud"].data["opd_name"]
    for wanted in ("dinkes", "disdikbud", "disdukcapil", "dishub", "diskominfo", "bappeda"):
        assert wanted in opd_groups
    for group in opd_groups.values():
        assert {"opd_name", "kind", "address", "contact", "lan", "ssid", "vlans"} <= set(group.data)
        assert {"name", "phone", "email"} <= set(group.data["contact"])
    platforms = Counter(h.platform for h in inventory.hosts.values())
    assert platforms["mikrotik_routeros"] > platforms["cisco_ios"] > 0
    roles = Counter(h.get("role") for h in inventory.hosts.values())
    assert roles["router"] >= 20 and roles["ap"] >= 30
    assert inventory.defaults.data["dns_servers"] and inventory.defaults.data["ntp_servers"]


def test_example_inventory_addresses_are_private_documentation_ones() -> None:
    inventory = load_inventory(EXAMPLE_INVENTORY)
    assert all(str(h.hostname).startswith("10.250.") for h in inventory.hosts.values())


def test_inventory_command_lists_example_fleet_as_json(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("NETRAWAT_USERNAME", "netops")
    monkeypatch.setenv("NETRAWAT_PASSWORD", PASSWORD)
    code = run(
        ["inventory", "--inventory", str(EXAMPLE_INVENTORY), "--state", str(tmp_path), "--json"]
    )
    assert code == ExitCode.OK
    listing = json.loads(capsys.readouterr().out)
    assert listing["count"] == len(listing["hosts"]) >= 60
    first = listing["hosts"][0]
    assert {"name", "opd", "role", "platform", "address", "port", "host_key"} <= set(first)
    assert PASSWORD not in json.dumps(listing)


def test_default_inventory_is_the_working_directory_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    write_inventory(tmp_path / "inventory")
    monkeypatch.chdir(tmp_path)
    nornir, _ = load_selection(fleet_spec(), tmp_path / "known_hosts")
    assert set(nornir.inventory.hosts) == set(base_hosts())


# --- validation: every error names file, host and key, and exits 2 -------------------------


def _set(path: str, value: object) -> Callable[[dict[str, Any]], None]:
    """A mutation of the RTR-DINKES entry: set ``a.b`` to value (None deletes it)."""

    def mutate(hosts: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target = hosts["RTR-DINKES"]
        for part in parents:
            target = target[part]
        if value is None:
            del target[last]
        else:
            target[last] = value

    return mutate


MUTATIONS: dict[str, Callable[[dict[str, Any]], None]] = {
    "platform": _set("platform", "juniper_junos"),
    "role": _set("data.role", "switch"),
    "address": _set("port", 10023),
    "no-opd": _set("groups", []),
    "unknown-group": _set("groups", ["opd_dinkes", "opd_nowhere"]),
    "credentials-in-inventory": _set("data.password", "hunter2"),
    "no-hostname": _set("hostname", None),
    "bad-port": _set("port", "ssh"),
    "two-opds": _set("groups", ["opd_dinkes", "opd_rsud"]),
    "opd-mismatch": _set("data.opd", "rsud"),
    "bad-hostname": _set("hostname", "10.0.0.1; /system reboot"),
}


def _break(case: str) -> tuple[dict[str, Any], dict[str, Any]]:
    hosts = base_hosts()
    MUTATIONS[case](hosts)
    return hosts, base_groups()


BROKEN = {
    # case: (file, host or group named, key named)
    "platform": ("hosts.yaml", "RTR-DINKES", "'platform'"),
    "role": ("hosts.yaml", "RTR-DINKES", "'data.role'"),
    "address": ("hosts.yaml", "AP-DINKES-01", "'hostname'"),
    "no-opd": ("hosts.yaml", "RTR-DINKES", "'groups'"),
    "unknown-group": ("hosts.yaml", "RTR-DINKES", "'groups'"),
    "credentials-in-inventory": ("hosts.yaml", "RTR-DINKES", "'data.password'"),
    "no-hostname": ("hosts.yaml", "RTR-DINKES", "'hostname'"),
    "bad-port": ("hosts.yaml", "RTR-DINKES", "'port'"),
    "two-opds": ("hosts.yaml", "RTR-DINKES", "'groups'"),
    "opd-mismatch": ("hosts.yaml", "RTR-DINKES", "'data.opd'"),
    "bad-hostname": ("hosts.yaml", "RTR-DINKES", "'hostname'"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_inventory_is_one_clear_line_and_exit_2(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hosts, groups = _break(case)
    inventory = write_inventory(tmp_path / "inv", hosts=hosts, groups=groups)
    code = run(["inventory", "--inventory", str(inventory), "--state", str(tmp_path / "s")])
    err = capsys.readouterr().err.strip()
    assert code == ExitCode.BAD_INPUT
    file, name, key = BROKEN[case]
    assert err.startswith("error: ") and "(hint: " in err and "\n" not in err
    assert not (tmp_path / "s").exists()  # nothing was created on bad input
    assert str(inventory / file) in err and name in err and key in err


def test_malformed_yaml_names_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inventory = write_inventory(tmp_path / "inv")
    (inventory / "groups.yaml").write_text("opd_x:\n  data: {opd: x\n", encoding="utf-8")
    assert run(["inventory", "--inventory", str(inventory)]) == ExitCode.BAD_INPUT
    err = capsys.readouterr().err
    assert f"{inventory / 'groups.yaml'}:" in err and "malformed YAML" in err


def test_duplicate_host_name_is_refused_not_merged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inventory = write_inventory(tmp_path / "inv")
    text = (inventory / "hosts.yaml").read_text(encoding="utf-8")
    block = text[text.index("RTR-DINKES:") :]
    (inventory / "hosts.yaml").write_text(text + block.replace("10022", "10099"), "utf-8")
    assert run(["inventory", "--inventory", str(inventory)]) == ExitCode.BAD_INPUT
    err = capsys.readouterr().err
    assert "hosts.yaml:" in err and "duplicate name" in err and "RTR-DINKES" in err


@pytest.mark.parametrize("name", ["../../etc/passwd", "RTR DINKES", "-rf", "RTR/DINKES"])
def test_unsafe_host_names_are_refused(name: str, tmp_path: Path) -> None:
    hosts = base_hosts()
    hosts[name] = hosts.pop("RTR-DINKES")
    with pytest.raises(InventoryError, match="not a safe name"):
        load_inventory(write_inventory(tmp_path / "inv", hosts=hosts))


def test_opd_code_must_be_a_short_code(tmp_path: Path) -> None:
    groups = base_groups()
    groups["opd_dinkes"]["data"]["opd"] = "Dinas Kesehatan"
    with pytest.raises(InventoryError, match=r"group opd_dinkes: key 'data\.opd'"):
        load_inventory(write_inventory(tmp_path / "inv", groups=groups))


def test_names_differing_only_in_case_are_duplicates(tmp_path: Path) -> None:
    hosts = base_hosts()
    hosts["rtr-dinkes"] = {**hosts["RTR-DINKES"], "port": 10099}
    with pytest.raises(InventoryError, match="duplicate name"):
        load_inventory(write_inventory(tmp_path / "inv", hosts=hosts))


def test_missing_inventory_directory_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(["inventory", "--inventory", str(tmp_path / "nowhere")])
    assert code == ExitCode.BAD_INPUT
    assert "--inventory" in capsys.readouterr().err


def test_group_inherited_platform_and_role_resolve(tmp_path: Path) -> None:
    hosts, groups = base_hosts(), base_groups()
    del hosts["RTR-RSUD"]["platform"]
    del hosts["RTR-RSUD"]["data"]["role"]
    groups["cisco"] = {"platform": "cisco_ios", "data": {"role": "router"}}
    inventory = load_inventory(write_inventory(tmp_path / "inv", hosts=hosts, groups=groups))
    assert inventory.hosts["RTR-RSUD"].platform == "cisco_ios"


# --- credentials ------------------------------------------------------------------------


def test_host_without_credentials_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = {"hosts": {"RTR-DINKES": {"username": "a", "password": "b"}}}
    inventory = write_inventory(tmp_path / "inv", secrets_doc=doc)
    assert run(["inventory", "--inventory", str(inventory)]) == ExitCode.BAD_INPUT
    err = capsys.readouterr().err
    assert "secrets.yaml" in err and "host AP-DINKES-01" in err and "'username'" in err


def test_group_readable_secrets_file_is_refused_with_chmod_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inventory = write_inventory(tmp_path / "inv")
    secrets_file = inventory / "secrets.yaml"
    secrets_file.chmod(0o640)
    assert run(["inventory", "--inventory", str(inventory)]) == ExitCode.BAD_INPUT
    assert f"chmod 600 {secrets_file}" in capsys.readouterr().err


def test_secrets_file_tracked_by_git_is_refused(tmp_path: Path) -> None:
    inventory = write_inventory(tmp_path / "inv")
    git = ["git", "-C", str(inventory)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "secrets.yaml"], check=True)
    with pytest.raises(CredentialsError, match="tracked by git"):
        load_selection(options(inventory, tmp_path), tmp_path / "known_hosts")


def test_explicit_secrets_file_must_exist(tmp_path: Path) -> None:
    inventory = write_inventory(tmp_path / "inv")
    opts = options(inventory, tmp_path, secrets=tmp_path / "missing.yaml")
    with pytest.raises(CredentialsError, match="not found"):
        load_selection(opts, tmp_path / "known_hosts")


def test_unknown_key_in_secrets_file_is_refused(tmp_path: Path) -> None:
    doc = {"defaults": {"username": "netops", "pasword": PASSWORD}}
    inventory = write_inventory(tmp_path / "inv", secrets_doc=doc)
    with pytest.raises(CredentialsError, match="unknown key 'pasword'"):
        load_selection(options(inventory, tmp_path), tmp_path / "known_hosts")


def test_env_credentials_without_secrets_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    inventory = write_inventory(tmp_path / "inv")
    (inventory / "secrets.yaml").unlink()
    monkeypatch.setenv("NETRAWAT_USERNAME", "envuser")
    monkeypatch.setenv("NETRAWAT_PASSWORD", "envpass")
    monkeypatch.setenv("NETRAWAT_ENABLE_SECRET", "envenable")
    nornir, _ = load_selection(options(inventory, tmp_path), tmp_path / "known_hosts")
    host = nornir.inventory.hosts["RTR-RSUD"]
    assert (host.username, host.password) == ("envuser", "envpass")
    assert extras(host, "netmiko")["secret"] == "envenable"
    napalm = extras(host, "napalm")
    assert napalm["optional_args"]["secret"] == "envenable"


def test_credential_precedence_host_over_group_over_env_over_defaults(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    doc = {
        "defaults": {"username": "fromdefaults", "password": "p0"},
        "groups": {"opd_rsud": {"password": "p-group"}},
        "hosts": {"AP-DINKES-01": {"username": "ap-user", "password": "p-host"}},
    }
    inventory = write_inventory(tmp_path / "inv", secrets_doc=doc)
    monkeypatch.setenv("NETRAWAT_USERNAME", "fromenv")
    nornir, _ = load_selection(options(inventory, tmp_path), tmp_path / "known_hosts")
    hosts = nornir.inventory.hosts
    assert (hosts["AP-DINKES-01"].username, hosts["AP-DINKES-01"].password) == (
        "ap-user",
        "p-host",
    )
    assert (hosts["RTR-RSUD"].username, hosts["RTR-RSUD"].password) == ("fromenv", "p-group")
    assert (hosts["RTR-DINKES"].username, hosts["RTR-DINKES"].password) == ("fromenv", "p0")


def test_user_config_secrets_file_is_the_last_resort(tmp_path: Path) -> None:
    inventory = write_inventory(tmp_path / "inv")
    moved = tmp_path / "home" / ".config" / "netrawat" / "secrets.yaml"
    moved.parent.mkdir(parents=True)
    (inventory / "secrets.yaml").rename(moved)
    _, found = load_selection(options(inventory, tmp_path), tmp_path / "known_hosts")
    assert found.path == moved


# --- connection options -------------------------------------------------------------------


def test_connection_options_are_strict_and_per_platform(tmp_path: Path) -> None:
    inventory = write_inventory(tmp_path / "inv")
    known = tmp_path / "state" / "known_hosts"
    nornir, _ = load_selection(options(inventory, tmp_path), known)
    rtr = nornir.inventory.hosts["RTR-DINKES"]
    assert rtr.get_connection_parameters("netmiko").platform == "mikrotik_routeros"
    netmiko = extras(rtr, "netmiko")
    assert netmiko["ssh_strict"] is True
    assert netmiko["system_host_keys"] is False
    assert netmiko["alt_host_keys"] is True
    assert netmiko["alt_key_file"] == str(known)
    napalm = rtr.get_connection_parameters("napalm")
    assert (napalm.platform, napalm.port) == ("ros", 18728)
    assert extras(rtr, "napalm")["optional_args"]["port"] == 18728
    ios = nornir.inventory.hosts["RTR-RSUD"]
    assert ios.get_connection_parameters("napalm").platform == "ios"
    assert extras(ios, "napalm")["optional_args"]["ssh_strict"] is True


def test_timeouts_come_from_inventory_data(tmp_path: Path) -> None:
    defaults = {"data": {"timeouts": {"connect": 5, "read": 90}}}
    inventory = write_inventory(tmp_path / "inv", defaults=defaults)
    nornir, _ = load_selection(options(inventory, tmp_path), tmp_path / "known_hosts")
    ssh = extras(nornir.inventory.hosts["RTR-DINKES"], "netmiko")
    assert (ssh["conn_timeout"], ssh["read_timeout_override"]) == (5.0, 90.0)


def test_bad_timeout_is_an_inventory_error(tmp_path: Path) -> None:
    inventory = write_inventory(tmp_path / "inv", defaults={"data": {"timeouts": {"read": -1}}})
    with pytest.raises(InventoryError, match=r"data\.timeouts\.read"):
        load_selection(options(inventory, tmp_path), tmp_path / "known_hosts")


# --- filters --------------------------------------------------------------------------


FILTERS: list[tuple[dict[str, tuple[str, ...]], set[str]]] = [
    ({}, {"RTR-DINKES", "AP-DINKES-01", "RTR-RSUD"}),
    ({"hosts": ("RTR-RSUD", "AP-DINKES-01")}, {"RTR-RSUD", "AP-DINKES-01"}),
    ({"opds": ("dinkes",)}, {"RTR-DINKES", "AP-DINKES-01"}),
    ({"opds": ("dinkes", "rsud"), "roles": ("router",)}, {"RTR-DINKES", "RTR-RSUD"}),
    ({"platforms": ("cisco_ios",)}, {"RTR-RSUD"}),
    ({"groups": ("cisco",)}, {"RTR-RSUD"}),
    ({"groups": ("opd_dinkes",), "roles": ("ap",)}, {"AP-DINKES-01"}),
    ({"hosts": ("RTR-*",)}, {"RTR-DINKES", "RTR-RSUD"}),
    ({"hosts": ("*-DINKES*", "RTR-RSUD"), "roles": ("router",)}, {"RTR-DINKES", "RTR-RSUD"}),
]


@pytest.mark.parametrize(("given", "expected"), FILTERS)
def test_filters_and_across_kinds_or_within(
    given: dict[str, tuple[str, ...]], expected: set[str], tmp_path: Path
) -> None:
    inventory = write_inventory(tmp_path / "inv")
    nornir, _ = load_selection(options(inventory, tmp_path, **given), tmp_path / "kh")
    assert set(nornir.inventory.hosts) == expected


@pytest.mark.parametrize(
    "given",
    [
        {"hosts": ("RTR-NOPE",)},
        {"hosts": ("SW-*",)},
        {"opds": ("dinkse",)},
        {"roles": ("switch",)},
        {"groups": ("x",)},
    ],
)
def test_unknown_filter_value_is_input_error(
    given: dict[str, tuple[str, ...]], tmp_path: Path
) -> None:
    inventory = write_inventory(tmp_path / "inv")
    with pytest.raises(InputError, match=r"no such|matches no host"):
        load_selection(options(inventory, tmp_path, **given), tmp_path / "kh")


def test_empty_selection_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inventory = write_inventory(tmp_path / "inv")
    code = run(["inventory", "--inventory", str(inventory), "--opd", "rsud", "--role", "ap"])
    assert code == ExitCode.BAD_INPUT
    assert "no host matches the filters --opd rsud --role ap" in capsys.readouterr().err


def test_open_fleet_gives_threaded_runner_state_and_opd(tmp_path: Path) -> None:
    inventory = write_inventory(tmp_path / "inv")
    with open_fleet(options(inventory, tmp_path, workers=7, opds=("dinkes",))) as fleet:
        assert fleet.nornir.runner is not None
        assert fleet.nornir.runner.num_workers == 7  # type: ignore[attr-defined]
        assert fleet.state.root == (tmp_path / "state").resolve()
        assert {host_opd(h) for h in fleet.hosts.values()} == {"dinkes"}
        assert fleet.pins.pinned == []
        attached = ["ProgressProcessor", "SessionCloser"]  # the bar; sessions end with the host
        assert [type(p).__name__ for p in fleet.nornir.processors] == attached
        fleet.add_processor(ProgressProcessor())
        assert len(fleet.nornir.processors) == len(attached) + 1


def _explode(task: Task) -> Result:
    raise RuntimeError(f"boom on {task.host.name}")


def test_task_tracebacks_go_to_the_run_log_not_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inventory = write_inventory(tmp_path / "inv")
    with open_fleet(options(inventory, tmp_path, hosts=("RTR-RSUD",))) as fleet:
        result = fleet.nornir.run(task=_explode)
        assert fleet.log is not None
        log_path = fleet.log.path
    assert result.failed_hosts.keys() == {"RTR-RSUD"}
    assert log_path.parent == (tmp_path / "state" / "logs").resolve()
    text = log_path.read_text(encoding="utf-8")
    assert "Traceback" in text and "boom on RTR-RSUD" in text
    assert "Traceback" not in capsys.readouterr().err
    assert oct(log_path.stat().st_mode & 0o777) == "0o600"
