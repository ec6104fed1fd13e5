"""`netrawat repair` against the device lab, through real SSH (and the RouterOS API for checks).

Each template fixes the fault it is for; a line failing mid-push and a failing post-check both
roll the device back to a configuration identical to the pre-change one (re-read and compared);
injection attempts are refused before any connection; a dry run sends nothing (the lab's own
history of received lines proves it); a device graded sedang/berat is not repaired without
--force, and the recap records the escalation.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import fleet_args, inventory_copy, run_json, send_config

from netrawat.cli.main import run as cli
from netrawat.configs.normalize import normalize
from netrawat.configs.repo import ConfigRepo
from netrawat.exitcodes import ExitCode
from netrawat.recap import open_store
from netrawat.recap.query import get_run
from netrawat.state import StateDir
from netrawat_lab.handle import Lab
from netrawat_lab.spec import DeviceSpec
from netrawat_lab.testing import private_slot, rehearsal_fleet, start_test_lab

pytestmark = pytest.mark.lab

TIMEOUT = 6
REQUEST = "045/112/Diskes/XI/2026"
ROS, IOS, AP = "RTR-DINKES", "CR-DINKES", "AP-DINKES-1"
ROS_PLATFORM = "mikrotik_routeros"
READ_ONLY = ("", "/system resource print", "/export terse show-sensitive", "quit", "exit")
"""What a dry run may send: the configuration read (RouterOS); IOS adds its session setup."""


@pytest.fixture(scope="module")
def rlab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """A lab of this module only: repairs change configurations other tests rely on."""
    slot = private_slot()
    handle = start_test_lab(tmp_path_factory.mktemp("repairlab"), rehearsal_fleet(slot), slot)
    yield handle
    handle.down()


@pytest.fixture
def inventory(rlab: Lab, tmp_path: Path) -> Path:
    """The lab's inventory with short timeouts."""
    return inventory_copy(rlab, tmp_path / "inventory", TIMEOUT)


@pytest.fixture
def clean(rlab: Lab) -> Iterator[Lab]:
    """The module's lab, every device back as seeded after the test (`Lab.reset_all`)."""
    yield rlab
    rlab.reset_all()


def netrawat(
    capsys: pytest.CaptureFixture[str], inventory: Path, state: StateDir, *args: str
) -> tuple[int, dict[str, Any], str]:
    """Run a command with ``--json`` in-process: (exit code, JSON, stderr)."""
    return run_json(capsys, *args, *fleet_args(inventory, state.root))


def apply(
    capsys: pytest.CaptureFixture[str], inventory: Path, state: StateDir, *args: str
) -> tuple[int, dict[str, Any], str]:
    return netrawat(
        capsys, inventory, state, "repair", *args, "--apply", "--request", REQUEST, "--open"
    )


def host_of(report: dict[str, Any], name: str) -> dict[str, Any]:
    return next(h for h in report["hosts"] if h["host"] == name)


def config(lab: Lab, host: str) -> str:
    """The device's configuration now, normalized (volatile lines dropped)."""
    return normalize(str(lab.snapshot(host)["config"]), lab.spec(host).platform).text


def send(spec: DeviceSpec, commands: list[str]) -> None:
    """Type configuration commands on a device over SSH, as an engineer would."""
    send_config(spec, commands)


def recorded(state: StateDir, run_id: str) -> str:
    """Everything the recap holds about one run, as text."""
    store = open_store(state)
    try:
        with store.begin() as conn:
            entry = get_run(conn, run_id)
    finally:
        store.close()
    assert entry is not None and entry.playbook == "repair"
    return json.dumps(dataclasses.asdict(entry), default=str)


def repaired(host: dict[str, Any], proven: tuple[str, ...] = ("pass",)) -> None:
    assert host["status"] == "repaired", host["reason"]
    assert host["changed"] is True
    assert host["diff"], "changed must come from a real diff"
    assert host["checks"] and all(c["status"] in proven for c in host["checks"]), host["checks"]


# -- dry run ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [ROS, IOS])
def test_dry_run_shows_commands_and_diff_and_sends_nothing(
    clean: Lab, inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    clean.fault(name, "wrong-dns")
    before = config(clean, name)
    clean.history(name, reset=True)
    code, report, _ = netrawat(capsys, inventory, state, "repair", "restore_dns", "--host", name)
    assert code == ExitCode.OK
    host = host_of(report, name)
    assert host["status"] == "dry-run"
    assert host["commands"] and host["expected_diff"]
    assert any("10.0.1.53" in line for line in host["commands"])
    assert host["sent"] == []
    received = clean.history(name)
    config_lines = [
        line
        for line in received
        if "dns" in line or "name-server" in line or line.startswith("configure")
    ]
    assert config_lines == [], f"a dry run sent configuration: {config_lines}"
    assert config(clean, name) == before
    assert ConfigRepo(state.configs).head() is None, "a dry run takes no backup"


def test_apply_needs_a_request_number(
    inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = netrawat(
        capsys, inventory, state, "repair", "restore_dns", "--host", ROS, "--apply"
    )
    assert code == ExitCode.BAD_INPUT
    assert "--request" in err


# -- each template fixes its fault ------------------------------------------------------------


@pytest.mark.parametrize("name", [ROS, IOS])
def test_restore_dns_fixes_wrong_dns_with_backups_and_recap(
    clean: Lab, inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    clean.fault(name, "wrong-dns")
    code, report, _ = apply(capsys, inventory, state, "restore_dns", "--host", name)
    assert code == ExitCode.OK, [(h["status"], h["reason"], h["checks"]) for h in report["hosts"]]
    host = host_of(report, name)
    repaired(host)
    assert "10.0.1.53" in config(clean, name)
    repo = ConfigRepo(state.configs)
    assert report["backup_before"] and report["backup_after"]
    assert report["backup_before"] != report["backup_after"]
    assert repo.head() == report["backup_after"]
    run = recorded(state, report["run_id"])
    for fact in ("restore_dns", report["backup_before"], report["backup_after"], "10.0.1.53"):
        assert fact in run


@pytest.mark.parametrize("name", [ROS, IOS])
def test_restore_ntp_fixes_wrong_ntp(
    clean: Lab, inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    clean.fault(name, "wrong-ntp")
    code, report, _ = apply(capsys, inventory, state, "restore_ntp", "--host", name)
    assert code == ExitCode.OK, [(h["status"], h["reason"], h["checks"]) for h in report["hosts"]]
    repaired(host_of(report, name))
    assert "10.99.99.123" not in config(clean, name)


@pytest.mark.parametrize(
    ("name", "interface", "down"),
    [
        (ROS, "ether3", ["/interface disable ether3"]),
        (IOS, "Vlan1", ["interface Vlan1", "shutdown"]),
    ],
)
def test_enable_interface_brings_back_a_disabled_interface(
    rlab: Lab,
    inventory: Path,
    state: StateDir,
    capsys: pytest.CaptureFixture[str],
    name: str,
    interface: str,
    down: list[str],
) -> None:
    send(rlab.spec(name), down)
    code, report, _ = apply(
        capsys,
        inventory,
        state,
        "enable_interface",
        "--host",
        name,
        "--var",
        f"interface={interface}",
    )
    assert code == ExitCode.OK, [(h["status"], h["reason"], h["checks"]) for h in report["hosts"]]
    repaired(host_of(report, name))
    assert not disabled_interfaces(config(rlab, name))
    assert "\n shutdown" not in config(rlab, name)


def disabled_interfaces(text: str) -> list[str]:
    """The interface lines of a RouterOS export that are disabled (services and SNMP
    communities off by the security baseline are not interfaces)."""
    lines = text.splitlines()
    return [line for line in lines if line.startswith("/interface") and "disabled=yes" in line]


def test_enable_wifi_fixes_a_disabled_radio(
    clean: Lab, inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    clean.fault(AP, "radio-disabled")
    code, report, _ = apply(capsys, inventory, state, "enable_wifi", "--host", AP)
    assert code == ExitCode.OK, [(h["status"], h["reason"], h["checks"]) for h in report["hosts"]]
    repaired(host_of(report, AP))
    assert not disabled_interfaces(config(clean, AP))


def test_fix_dhcp_restores_the_pool_and_gateway(
    rlab: Lab, inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    right = config(rlab, ROS)
    send(
        rlab.spec(ROS),
        [
            "/ip pool set pool-lan ranges=10.21.0.150-10.21.0.160",
            "/ip dhcp-server network set [ find where address=10.21.0.0/24 ] gateway=10.21.0.254",
        ],
    )
    code, report, _ = apply(
        capsys,
        inventory,
        state,
        "fix_dhcp",
        "--host",
        ROS,
        "--var",
        "ranges=10.21.0.100-10.21.0.200",
        "--var",
        "network=10.21.0.0/24",
        "--var",
        "gateway=10.21.0.1",
    )
    assert code == ExitCode.OK, [(h["status"], h["reason"], h["checks"]) for h in report["hosts"]]
    repaired(host_of(report, ROS))
    assert config(rlab, ROS) == right


def test_ios_fix_dhcp_restores_the_default_router(
    rlab: Lab, inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    right = config(rlab, IOS)
    send(rlab.spec(IOS), ["ip dhcp pool LAN-DINKES", " default-router 10.21.0.254"])
    code, report, _ = apply(
        capsys,
        inventory,
        state,
        "fix_dhcp",
        "--host",
        IOS,
        "--var",
        "pool=LAN-DINKES",
        "--var",
        "network=10.21.0.0/24",
        "--var",
        "gateway=10.21.0.1",
    )
    assert code == ExitCode.OK, [(h["status"], h["reason"], h["checks"]) for h in report["hosts"]]
    repaired(host_of(report, IOS), proven=("pass", "skip"))  # IOS: no DHCP lease facts
    assert config(rlab, IOS) == right


def test_apply_feature_reapplies_an_intended_feature(
    clean: Lab, inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    clean.fault(ROS, "wrong-ntp")
    code, report, _ = apply(
        capsys, inventory, state, "apply_feature", "--host", ROS, "--var", "feature=ntp"
    )
    assert code == ExitCode.OK, [(h["status"], h["reason"], h["checks"]) for h in report["hosts"]]
    host = host_of(report, ROS)
    repaired(host)
    assert [c["check"] for c in host["checks"]] == ["ntp"]


@pytest.mark.parametrize("name", [ROS, IOS])
def test_restore_backup_converges_to_a_chosen_commit(
    clean: Lab, inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    good = config(clean, name)
    code, backup, _ = netrawat(capsys, inventory, state, "backup", "--host", name)
    assert code == ExitCode.OK
    commit = backup["commit"]
    clean.fault(name, "wrong-dns")
    clean.fault(name, "wrong-ntp")
    code, report, _ = apply(
        capsys, inventory, state, "restore_backup", "--host", name, "--var", f"commit={commit[:10]}"
    )
    assert code == ExitCode.OK, [(h["status"], h["reason"], h["checks"]) for h in report["hosts"]]
    repaired(host_of(report, name))
    assert config(clean, name) == good


# -- rollback ---------------------------------------------------------------------------------


FAILING = {
    "mikrotik_routeros": "/ip dns set servers=10.9.9.9\n/ip dns set no-such-property=1\n",
    "cisco_ios": "ip name-server 10.9.9.9\nip name-servr 10.9.9.8\n",
}


@pytest.fixture
def failing_library(tmp_path: Path) -> Path:
    """A template library whose only repair has a second line the device refuses."""
    root = tmp_path / "templates"
    for platform, text in FAILING.items():
        folder = root / platform / "repair"
        folder.mkdir(parents=True)
        (folder / "half_bad.yaml").write_text("description: fails on line 2\nchecks: [dns]\n")
        (folder / "half_bad.j2").write_text(text)
    return root


@pytest.mark.parametrize("name", [ROS, IOS])
def test_a_line_failing_mid_push_rolls_back_to_the_identical_config(
    clean: Lab, inventory: Path, state: StateDir, failing_library: Path, name: str
) -> None:
    from helpers import fleet_spec

    from netrawat.fleet import open_fleet
    from netrawat.playbooks.repair import RepairSettings, run_repair

    before = config(clean, name)
    options = fleet_spec(inventory=inventory, state=state.root, hosts=(name,), trust_new_hosts=True)
    settings = RepairSettings(
        template="half_bad",
        apply=True,
        request=REQUEST,
        open_request=True,
        templates_root=failing_library,
    )
    with open_fleet(options) as fleet:
        report = run_repair(fleet, settings)
    host = report.hosts[0]
    assert host.status == "rolled-back", host.reason
    assert len(host.sent) == 2 and host.failed_line == host.sent[1]
    assert host.device_error
    assert host.rollback is not None and host.rollback.verified
    assert host.rollback.sent, "the first line had changed the device: undone"
    assert report.exit_code == ExitCode.HOSTS_FAILED
    assert config(clean, name) == before
    assert "10.9.9.9" not in config(clean, name)


@pytest.mark.parametrize("name", [ROS, IOS])
def test_a_failing_post_check_rolls_back(
    clean: Lab, inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    before = config(clean, name)
    code, report, _ = apply(
        capsys, inventory, state, "restore_dns", "--host", name, "--var", "servers=10.9.9.9"
    )
    assert code == ExitCode.HOSTS_FAILED
    host = host_of(report, name)
    assert host["status"] == "rolled-back"
    assert "post-check failed: dns" in host["reason"]
    assert host["rollback"]["verified"] is True
    assert host["changed"] is False, "net change after a verified rollback: none"
    assert config(clean, name) == before
    assert report["backup_after"], "the state after the rollback is backed up too"


# -- injection, escalation --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "value"),
    [
        ("enable_interface", "interface=ether3\n/system reset-configuration"),
        ("enable_interface", "interface=ether3;/system reset-configuration"),
        ("enable_interface", "interface=ether3 [/system reset-configuration]"),
        ("restore_dns", "servers=10.0.0.53;/user add name=x"),
        ("restore_dns", "servers=10.0.0.53\r/user add name=x"),
        ("enable_wifi", 'ssid=x";/system reset-configuration;"'),
        ("enable_wifi", "ssid=x$(/system reset-configuration)"),
        ("nope", "a=b"),
    ],
)
def test_injection_attempts_are_refused_before_any_connection(
    rlab: Lab,
    inventory: Path,
    state: StateDir,
    capsys: pytest.CaptureFixture[str],
    template: str,
    value: str,
) -> None:
    host = AP if template == "enable_wifi" else ROS
    rlab.history(host, reset=True)
    code, _, err = apply(capsys, inventory, state, template, "--host", host, "--var", value)
    assert code == ExitCode.BAD_INPUT, err
    assert err.startswith("error: ") and "hint:" in err
    assert rlab.history(host) == []


def test_an_unsafe_inventory_value_is_refused(
    rlab: Lab, inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    defaults = yaml.safe_load((inventory / "defaults.yaml").read_text())
    defaults["data"]["dns_servers"] = ["10.0.0.53\n/system reset-configuration"]
    (inventory / "defaults.yaml").write_text(yaml.safe_dump(defaults))
    rlab.history(ROS, reset=True)
    code, _, err = apply(capsys, inventory, state, "restore_dns", "--host", ROS)
    assert code == ExitCode.BAD_INPUT, err
    assert rlab.history(ROS) == []


def test_a_device_graded_sedang_is_not_repaired_without_force(
    clean: Lab, inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    clean.fault(ROS, "overheating")
    clean.fault(ROS, "wrong-dns")
    code, health, _ = netrawat(capsys, inventory, state, "health", "--host", ROS)
    assert health["devices"][0]["grade"] in ("sedang", "berat")
    before = config(clean, ROS)
    code, report, _ = apply(capsys, inventory, state, "restore_dns", "--host", ROS)
    assert code == ExitCode.HOSTS_FAILED
    host = host_of(report, ROS)
    assert host["status"] == "blocked" and "--force" in host["reason"]
    assert host["escalation"].startswith("lapor Kabid")
    assert config(clean, ROS) == before
    code, forced, _ = apply(capsys, inventory, state, "restore_dns", "--host", ROS, "--force")
    assert code == ExitCode.OK, forced
    host = host_of(forced, ROS)
    repaired(host)
    assert "repaired anyway with --force" in host["escalation"]
    assert "lapor Kabid" in recorded(state, forced["run_id"])


def test_list_shows_every_template(
    inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli(["repair", "--list", "--json"])
    assert code == ExitCode.OK
    listed = json.loads(capsys.readouterr().out)
    names = {(t["platform"], t["name"]) for t in listed}
    for platform in ("mikrotik_routeros", "cisco_ios"):
        for name in (
            "enable_interface",
            "restore_dns",
            "restore_ntp",
            "fix_dhcp",
            "apply_feature",
            "restore_backup",
        ):
            assert (platform, name) in names
    assert ("mikrotik_routeros", "enable_wifi") in names
    assert all(t["checks"] or t["mode"] == "feature" for t in listed)


def test_one_unreachable_device_does_not_spoil_the_others(
    clean: Lab, inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    clean.fault(ROS, "wrong-dns")
    clean.fault(IOS, "wrong-dns")
    clean.fault("CR-DISDIKBUD", "unreachable")
    code, report, _ = apply(
        capsys,
        inventory,
        state,
        "restore_dns",
        "--host",
        ROS,
        "--host",
        IOS,
        "--host",
        "CR-DISDIKBUD",
    )
    assert code == ExitCode.HOSTS_FAILED
    repaired(host_of(report, ROS))
    repaired(host_of(report, IOS))
    down = host_of(report, "CR-DISDIKBUD")
    assert down["status"] == "failed" and "pre-change backup failed" in down["reason"]
    assert down["sent"] == []
    assert report["backup_before"] and report["backup_after"]


def test_restore_backup_rebuilds_a_reset_routeros_box_except_its_secrets(
    clean: Lab, inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    good = config(clean, ROS)
    code, backup, _ = netrawat(capsys, inventory, state, "backup", "--host", ROS)
    assert code == ExitCode.OK
    clean.fault(ROS, "config-reset")
    code, health, _ = netrawat(capsys, inventory, state, "health", "--host", ROS)
    assert health["devices"][0]["grade"] == "berat"
    code, report, _ = apply(
        capsys,
        inventory,
        state,
        "restore_backup",
        "--host",
        ROS,
        "--var",
        f"commit={backup['commit']}",
        "--force",
    )
    assert code == ExitCode.OK, [(h["status"], h["reason"]) for h in report["hosts"]]
    host = host_of(report, ROS)
    repaired(host)
    assert (
        host["not_restored"] == [line for line in host["not_restored"] if "<removed>" in line]
        and host["not_restored"]
    ), "the SNMP community holds a secret: listed, not restored"
    restored = config(clean, ROS)
    missing = [line for line in good.splitlines() if line not in restored.splitlines()]
    assert [line.split(" name=")[0] for line in missing] == [
        "/snmp community add addresses=10.0.0.0/16"
    ]
    assert "lapor Kabid" in host["escalation"] and "--force" in host["escalation"]


def test_restore_backup_rebuilds_a_reset_ios_box_identical_except_its_secrets(
    clean: Lab, inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    good = config(clean, IOS)
    code, backup, _ = netrawat(capsys, inventory, state, "backup", "--host", IOS)
    assert code == ExitCode.OK
    clean.fault(IOS, "config-reset")
    assert "hostname Router" in config(clean, IOS)
    code, report, _ = apply(
        capsys,
        inventory,
        state,
        "restore_backup",
        "--host",
        IOS,
        "--var",
        f"commit={backup['commit']}",
        "--force",
    )
    host = host_of(report, IOS)
    assert code == ExitCode.OK, (host["status"], host["reason"], host["rollback"])
    repaired(host, proven=("pass", "skip"))
    assert any(c.startswith("banner motd ") for c in host["commands"]), "banners are restored"
    restored = config(clean, IOS)
    missing = [line for line in good.splitlines() if line not in restored.splitlines()]
    assert missing == [line for line in good.splitlines() if "snmp-server community" in line]
    assert host["not_restored"] and all("<removed>" in x for x in host["not_restored"])
    extra = [line for line in restored.splitlines() if line not in good.splitlines()]
    assert extra == [], "nothing of the factory configuration is left over"
    repo = ConfigRepo(state.configs)
    path = "dinkes/CR-DINKES.cfg"
    stored = [
        repo.git("cat-file", "blob", f"{c}:{path}")
        for c in (backup["commit"], report["backup_after"])
    ]
    secretless = stored[0].replace("snmp-server community <removed> RO\n!\n", "")
    assert stored[1] == secretless, "the backup after: the pre-reset one but its SNMP community"


def test_routeros_builtin_port_drift_is_undone_and_redone_exactly_over_ssh(clean: Lab) -> None:
    """Circular on the lab: a built-in port changed by hand (disabled, comment, MTU) →
    the exact remediation back to the good config → identical; its rollback → the changed
    config again, identical."""
    from netrawat.remediation import remediate
    from netrawat.repair.plan import full_scope

    good = config(clean, ROS)
    send(
        clean.spec(ROS),
        [
            "/interface ethernet set [ find default-name=ether3 ] "
            "comment=rusak disabled=yes mtu=1400"
        ],
    )
    changed = config(clean, ROS)
    assert "default-name=ether3 ] comment=rusak disabled=yes mtu=1400" in changed
    fix = remediate(
        ROS_PLATFORM, changed, good, full_scope(ROS_PLATFORM, changed, good), exact=True
    )
    assert fix.commands == [
        '/interface ethernet set [ find where default-name=ether3 ] comment="" disabled=no mtu=1500'
    ]
    send(clean.spec(ROS), fix.commands)
    assert config(clean, ROS) == good
    send(clean.spec(ROS), fix.rollback)
    assert config(clean, ROS) == changed
    send(clean.spec(ROS), fix.commands)
