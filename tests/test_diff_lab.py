"""`netrawat diff` against the device lab, through real SSH.

Drift: an out-of-band change (a lab fault, or a change typed over SSH) shows up as a unified
diff against the last backup, and nothing is committed. Compliance: a device with wrong NTP/DNS
is non-compliant with the right missing/extra lines; sending the generated remediation to the
device (netmiko, as the repair playbook will) makes it compliant, and the rollback undoes it.
"""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import fleet_args, inventory_copy, run_json, send_config

from netrawat.cli.main import run as cli
from netrawat.configs.repo import ConfigRepo
from netrawat.exitcodes import ExitCode
from netrawat.recap import open_store
from netrawat.recap.query import get_run
from netrawat.state import StateDir
from netrawat_lab.handle import Lab
from netrawat_lab.spec import DeviceSpec

pytestmark = pytest.mark.lab

TIMEOUT = 4


def _intended_data(lab: Lab) -> dict[str, dict[str, Any]]:
    """Per OPD group: the LAN/WAN/SSID data the lab's devices were seeded with."""
    data: dict[str, dict[str, Any]] = {}
    for spec in lab.specs:
        seed = spec.seed
        group = data.setdefault(f"opd_{spec.opd}", {})
        if spec.role == "router" and spec.platform == "mikrotik_routeros":
            lan = ipaddress.ip_interface(f"{seed['lan_address']}/{seed['lan_prefix']}")
            group["lan"] = {
                "subnet": str(lan.network),
                "gateway": str(lan.ip),
                "dhcp_pool": str(seed["dhcp_pool"]),
            }
            group["wan"] = {
                "address": f"{seed['wan_address']}/{seed['wan_prefix']}",
                "gateway": str(seed["wan_gateway"]),
            }
        if spec.role == "ap" and seed.get("ssid"):
            group["ssid"] = seed["ssid"]
    return data


@pytest.fixture
def inventory(lab: Lab, tmp_path: Path) -> Path:
    """The lab's inventory with short timeouts and the OPDs' intended LAN/WAN/SSID data."""
    copy = inventory_copy(lab, tmp_path / "inventory", TIMEOUT)
    groups = yaml.safe_load((copy / "groups.yaml").read_text())
    for name, extra in _intended_data(lab).items():
        groups[name]["data"].update(extra)
    (copy / "groups.yaml").write_text(yaml.safe_dump(groups))
    return copy


def netrawat(
    capsys: pytest.CaptureFixture[str], inventory: Path, state: StateDir, *args: str
) -> tuple[int, dict[str, Any], str]:
    """Run a fleet command with ``--json`` in-process: (exit code, JSON, stderr)."""
    return run_json(capsys, *args, *fleet_args(inventory, state.root))


def by_host(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {h["host"]: h for h in report["hosts"]}


def features_of(host: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["feature"]: f for f in host["features"]}


def send(spec: DeviceSpec, commands: list[str]) -> str:
    """Type configuration commands on a device over SSH, as an engineer (or repair) would."""
    return send_config(spec, commands)


def test_drift_shows_an_out_of_band_change_and_commits_nothing(
    clean_lab: Lab, inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report, _ = netrawat(capsys, inventory, state, "diff")
    assert code == ExitCode.HOSTS_FAILED
    assert {h["status"] for h in report["hosts"]} == {"no-backup"}

    code, _, _ = netrawat(capsys, inventory, state, "backup")
    assert code == ExitCode.OK
    repo = ConfigRepo(state.configs)
    head = repo.head()

    code, report, _ = netrawat(capsys, inventory, state, "diff")
    assert code == ExitCode.OK, report
    assert {h["status"] for h in report["hosts"]} == {"no-drift"}  # secrets, timestamps: no noise
    assert report["baseline_commit"] == head

    with clean_lab.faulted("RTR-DINKES", "wrong-dns"):
        code, report, _ = netrawat(
            capsys, inventory, state, "diff", "--request", "DIFF/1", "--open"
        )
    assert code == ExitCode.HOSTS_FAILED
    hosts = by_host(report)
    assert [n for n, h in hosts.items() if h["status"] == "drift"] == ["RTR-DINKES"]
    drift = hosts["RTR-DINKES"]
    assert (drift["added"], drift["removed"]) == (1, 1)
    body = [line for line in drift["diff"].splitlines() if line[:1] in "+-"]
    assert body[0].startswith("--- a/dinkes/RTR-DINKES.rsc (backup ")
    assert body[1] == "+++ b/dinkes/RTR-DINKES.rsc (live)"
    assert body[2] == "-/ip dns set allow-remote-requests=yes servers=10.0.0.53,10.0.1.53"
    assert body[3] == "+/ip dns set allow-remote-requests=yes servers=8.8.8.8"

    assert repo.head() == head  # nothing committed
    md, html = (Path(p) for p in report["reports"])
    assert md.name.endswith(".md") and "servers=8.8.8.8" in md.read_text()
    assert "<removed>" not in drift["diff"] and html.stat().st_mode & 0o077 == 0
    store = open_store(state)
    try:
        with store.begin() as conn:
            entry = get_run(conn, report["run_id"])
    finally:
        store.close()
    assert entry is not None and entry.playbook == "diff" and entry.request == "DIFF/1"
    assert {h.host: h.outcome for h in entry.hosts}["RTR-DINKES"] == "changed"


def test_drift_shows_a_change_typed_over_ssh(
    clean_lab: Lab, inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = netrawat(capsys, inventory, state, "backup", "--host", "CR-DISDIKBUD")
    assert code == ExitCode.OK
    spec = clean_lab.spec("CR-DISDIKBUD")
    send(spec, ["logging host 10.0.0.14"])
    try:
        code, report, err = netrawat(capsys, inventory, state, "diff", "--host", "CR-DISDIKBUD")
    finally:
        send(spec, ["no logging host 10.0.0.14"])
    assert code == ExitCode.HOSTS_FAILED, err
    host = by_host(report)["CR-DISDIKBUD"]
    assert host["status"] == "drift" and (host["added"], host["removed"]) == (1, 0)
    assert "+logging host 10.0.0.14" in host["diff"].splitlines()


def test_clean_lab_is_compliant_on_every_feature_it_has_data_for(
    clean_lab: Lab, inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report, _ = netrawat(capsys, inventory, state, "diff", "--against", "intended")
    assert code == ExitCode.OK, json.dumps(report, indent=1)[:3000]
    hosts = by_host(report)
    checked = {
        n: sorted(f for f, r in features_of(h).items() if r["status"] == "compliant")
        for n, h in hosts.items()
    }
    assert checked["RTR-DINKES"] == ["dhcp", "dns", "identity", "interfaces", "ntp", "routing"]
    assert checked["AP-DINKES-1"] == ["dns", "identity", "ntp", "wireless"]
    assert checked["CR-DINKES"] == ["dns", "hostname", "ntp", "routing"]
    skipped = features_of(hosts["RTR-DINKES"])["clock"]
    assert skipped["status"] == "skipped" and "timezone" in skipped["reason"]


def test_wrong_ntp_and_dns_are_non_compliant_and_the_remediation_fixes_them(
    clean_lab: Lab, inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    lab = clean_lab
    lab.fault("RTR-DINKES", "wrong-ntp")
    lab.fault("CR-DINKES", "wrong-dns")
    code, report, _ = netrawat(capsys, inventory, state, "diff", "--against", "intended")
    assert code == ExitCode.HOSTS_FAILED
    hosts = by_host(report)
    assert {n for n, h in hosts.items() if h["status"] == "non-compliant"} == {
        "RTR-DINKES",
        "CR-DINKES",
    }
    ntp = features_of(hosts["RTR-DINKES"])["ntp"]
    assert ntp["status"] == "non-compliant"
    assert ntp["missing"] == ["/system ntp client set enabled=yes servers=10.0.0.123"]
    assert ntp["extra"] == ["/system ntp client set enabled=yes servers=10.99.99.123"]
    assert ntp["remediation"] == ["/system ntp client set servers=10.0.0.123"]
    assert features_of(hosts["RTR-DINKES"])["dns"]["status"] == "compliant"
    dns = features_of(hosts["CR-DINKES"])["dns"]
    assert dns["missing"] == ["ip name-server 10.0.0.53", "ip name-server 10.0.1.53"]
    assert dns["extra"] == ["ip name-server 10.99.99.53"]
    assert dns["remediation"][0] == "no ip name-server 10.99.99.53"

    send(lab.spec("RTR-DINKES"), ntp["remediation"])
    send(lab.spec("CR-DINKES"), dns["remediation"])
    code, fixed, _ = netrawat(capsys, inventory, state, "diff", "--against", "intended")
    assert code == ExitCode.OK, [h for h in fixed["hosts"] if h["status"] != "compliant"]

    send(lab.spec("RTR-DINKES"), ntp["rollback"])
    send(lab.spec("CR-DINKES"), dns["rollback"])
    code, back, _ = netrawat(
        capsys,
        inventory,
        state,
        "diff",
        "--against",
        "intended",
        "--feature",
        "ntp",
        "--feature",
        "dns",
    )
    assert code == ExitCode.HOSTS_FAILED
    again = by_host(back)
    assert features_of(again["RTR-DINKES"])["ntp"]["missing"] == ntp["missing"]
    assert features_of(again["CR-DINKES"])["dns"]["extra"] == dns["extra"]
    assert set(features_of(again["RTR-DINKES"])) == {"ntp", "dns"}


def test_unsafe_inventory_value_stops_the_run_before_any_connection(
    clean_lab: Lab, inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    defaults = yaml.safe_load((inventory / "defaults.yaml").read_text())
    defaults["data"]["ntp_servers"] = ["10.0.0.123;/system reset-configuration"]
    (inventory / "defaults.yaml").write_text(yaml.safe_dump(defaults))
    clean_lab.history("RTR-DINKES", reset=True)
    code, report, err = netrawat(
        capsys, inventory, state, "diff", "--against", "intended", "--host", "RTR-DINKES"
    )
    assert code == ExitCode.BAD_INPUT and report == {}
    assert "host RTR-DINKES: key 'ntp_servers[0]'" in err and "hint:" in err
    assert clean_lab.history("RTR-DINKES") == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--against", "startup"], "--against 'startup' is not known"),
        (["--against", "intended", "--feature", "ntpp"], "--feature 'ntpp' is not known"),
        (["--feature", "ntp"], "--feature applies to --against intended"),
    ],
)
def test_bad_options_exit_2(
    inventory: Path,
    state: StateDir,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    code, _, err = netrawat(capsys, inventory, state, "diff", *args)
    assert code == ExitCode.BAD_INPUT and message in err


def test_an_unreachable_device_fails_alone(
    clean_lab: Lab, inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    with clean_lab.faulted("RTR-DISDIKBUD", "unreachable"):
        code, report, _ = netrawat(capsys, inventory, state, "diff", "--against", "intended")
    assert code == ExitCode.HOSTS_FAILED
    statuses = {name: host["status"] for name, host in by_host(report).items()}
    assert statuses.pop("RTR-DISDIKBUD") == "failed"
    assert set(statuses.values()) == {"compliant"}
    assert by_host(report)["RTR-DISDIKBUD"]["reason"]
    assert report["counts"] == {"compliant": 4, "non-compliant": 0, "failed": 1}


def test_feature_filter_and_features_a_platform_lacks(
    clean_lab: Lab, inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report, _ = netrawat(
        capsys,
        inventory,
        state,
        "diff",
        "--against",
        "intended",
        "--feature",
        "wireless",
        "--opd",
        "dinkes",
        "--no-report",
    )
    assert code == ExitCode.OK and report["reports"] == []
    hosts = by_host(report)
    assert features_of(hosts["AP-DINKES-1"])["wireless"]["status"] == "compliant"
    ios = features_of(hosts["CR-DINKES"])["wireless"]
    assert (ios["status"], ios["reason"]) == ("skipped", "not a feature of cisco_ios")
    assert features_of(hosts["RTR-DINKES"])["wireless"]["reason"] == "not for role router"


def test_human_output_has_the_table_the_features_and_the_remediation(
    clean_lab: Lab, inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    with clean_lab.faulted("RTR-DINKES", "wrong-dns"):
        code = cli(
            [
                *("diff", "--against", "intended", "--host", "RTR-DINKES", "--no-report"),
                *("--inventory", str(inventory), "--state", str(state.root), "--trust-new-hosts"),
            ]
        )
    out = capsys.readouterr()
    assert code == ExitCode.HOSTS_FAILED and out.out == ""
    err = " ".join(out.err.split())
    for expected in (
        "RTR-DINKES",
        "non-compliant: dns",
        "features",
        "missing: /ip dns set allow-remote-requests=yes servers=10.0.0.53,10.0.1.53",
        "extra: /ip dns set allow-remote-requests=yes servers=8.8.8.8",
        "remediation: /ip dns set servers=10.0.0.53,10.0.1.53",
        "0 compliant, 1 non-compliant, 0 failed",
    ):
        assert expected in err, expected
