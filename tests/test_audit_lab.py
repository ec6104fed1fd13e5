"""`netrawat audit` against the device lab over real SSH: a hardened RouterOS router is
compliant; telnet turned on out of band is a finding (new, berat, with its evidence and the
repair to run); the repair's dry run sends nothing, its apply fixes it; turned on again and
off again out of band, the audit follows; every RouterOS rule's deviation made by hand over
SSH is found, and only it. Exceptions need a written reason.

Tests that change the session lab's configuration put it back (`restored`); the ones that
change much use a private lab."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from helpers import fleet_args, inventory_copy, run_json, send_config

from netrawat.cli.main import run as cli
from netrawat.exitcodes import ExitCode
from netrawat_lab.handle import Lab
from netrawat_lab.testing import private_slot, rehearsal_fleet, start_test_lab

PrivateLab = Callable[..., Lab]

pytestmark = pytest.mark.lab

HOST = "RTR-DISDIKBUD"


def _audit(inventory: Path, state: Path, capsys: pytest.CaptureFixture[str], *hosts: str):
    args = [a for h in hosts for a in ("--host", h)]
    return run_json(capsys, "audit", *fleet_args(inventory, state), *args)


@pytest.fixture(scope="module")
def hardened_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """The rehearsal fleet seeded hardened (``seed["hardened"]``, as generated fleets are), in
    a lab of this module's own: the session lab keeps its factory services."""
    slot = private_slot()
    specs = rehearsal_fleet(slot)
    for spec in specs:
        spec.seed["hardened"] = True
    handle = start_test_lab(tmp_path_factory.mktemp("audit-lab"), specs, slot)
    yield handle
    handle.down()


@pytest.fixture
def restored(hardened_lab: Lab) -> Iterator[Lab]:
    """The hardened lab; after the test the services these tests turn on are off again (a
    configuration changed over SSH is not undone by clearing faults)."""
    yield hardened_lab
    hardened_lab.clear_all()
    send_config(
        hardened_lab.spec(HOST),
        ["/ip service set telnet disabled=yes", "/ip service set ftp disabled=yes"],
    )


def _findings(report: dict, host: str) -> dict[str, dict]:
    device = next(d for d in report["devices"] if d["host"] == host)
    return {r["rule"]: r for r in device["results"] if r["status"] == "fail"}


def test_telnet_on_out_of_band_is_a_finding_and_off_again_clean(
    restored: Lab, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inventory = inventory_copy(restored, tmp_path / "inventory", 5)
    state = tmp_path / "state"
    code, report, err = _audit(inventory, state, capsys, HOST, "RTR-DINKES", "AP-DINKES-1")
    assert code == ExitCode.OK, (err, report)
    assert report["counts"] == {"compliant": 3, "findings": 0, "failed": 0}
    api = {r["rule"]: r for r in report["devices"][1]["results"]}["ros-api-off"]
    assert report["devices"][1]["host"] == "RTR-DINKES" and api["status"] == "not-applicable"

    spec = restored.spec(HOST)
    send_config(spec, ["/ip service set telnet disabled=no"])
    code, report, _ = _audit(inventory, state, capsys, HOST)
    assert code == ExitCode.HOSTS_FAILED
    findings = _findings(report, HOST)
    assert list(findings) == ["ros-telnet-off"]
    telnet = findings["ros-telnet-off"]
    assert telnet["severity"] == "berat" and telnet["new"] is True
    assert telnet["evidence"] == ["(no /ip service line for telnet: default)"]
    assert telnet["remediation"] == (
        f"netrawat repair audit_service_off --host {HOST} --var service=telnet"
    )

    code, again, _ = _audit(inventory, state, capsys, HOST)
    assert _findings(again, HOST)["ros-telnet-off"]["new"] is False  # known since last run

    restored.history(HOST, reset=True)
    code, dry, _ = run_json(
        capsys,
        "repair",
        "audit_service_off",
        *fleet_args(inventory, state),
        "--host",
        HOST,
        "--var",
        "service=telnet",
    )
    assert code == ExitCode.OK, dry
    assert not any("ip service" in line for line in restored.history(HOST))  # dry run
    code, applied, err = run_json(
        capsys,
        "repair",
        "audit_service_off",
        *fleet_args(inventory, state),
        "--host",
        HOST,
        "--var",
        "service=telnet",
        "--apply",
        "--request",
        "077/AUDIT/XII/2026",
        "--open",
    )
    assert code == ExitCode.OK, (err, applied)
    code, report, _ = _audit(inventory, state, capsys, HOST)
    assert code == ExitCode.OK and _findings(report, HOST) == {}

    send_config(spec, ["/ip service set telnet disabled=no"])
    assert _audit(inventory, state, capsys, HOST)[0] == ExitCode.HOSTS_FAILED
    send_config(spec, ["/ip service set telnet disabled=yes"])
    code, report, _ = _audit(inventory, state, capsys, HOST)
    assert code == ExitCode.OK and report["counts"]["compliant"] == 1

    send_config(spec, ["/ip service set telnet disabled=no"])  # the month ends with a finding
    assert _audit(inventory, state, capsys, HOST)[0] == ExitCode.HOSTS_FAILED
    capsys.readouterr()
    assert cli(["recap", "--state", str(state), "--lang", "en"]) == ExitCode.OK
    book = capsys.readouterr().out
    section = book[book.index("## Security baseline per OPD") :]
    assert "| disdikbud | 1 | 0 | 1 | 0 | 1 | 0 | 0 | 0 | ros-telnet-off x1 |" in section
    assert "| dinkes | 2 | 2 | 0 | 0 | 0 | 0 | 0 | 0 |  |" in section  # its one audit


def test_exception_needs_a_written_reason_and_shows_it(
    restored: Lab, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inventory = inventory_copy(restored, tmp_path / "inventory", 5)
    state = tmp_path / "state"
    hosts = yaml.safe_load((inventory / "hosts.yaml").read_text())
    hosts[HOST]["data"]["audit_exceptions"] = {"ros-telnet-off": "ok"}
    (inventory / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    restored.history(HOST, reset=True)
    code, _, err = _audit(inventory, state, capsys, HOST)
    assert code == ExitCode.BAD_INPUT and "has no written reason" in err
    assert restored.history(HOST) == []  # refused before any device

    reason = "perangkat lama SIMPUS hanya bisa telnet (surat 045/112/Diskes/XI/2026)"
    hosts[HOST]["data"]["audit_exceptions"] = {"ros-telnet-off": reason}
    (inventory / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    send_config(restored.spec(HOST), ["/ip service set telnet disabled=no"])
    code, report, _ = _audit(inventory, state, capsys, HOST)
    assert code == ExitCode.OK
    telnet = {r["rule"]: r for r in report["devices"][0]["results"]}["ros-telnet-off"]
    assert telnet["status"] == "excepted" and telnet["reason"] == reason
    assert telnet["message"] == f"host {HOST}"


def test_preventive_audit_step_names_only_new_findings(
    restored: Lab, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inventory = inventory_copy(restored, tmp_path / "inventory", 5)
    state = tmp_path / "state"
    args = (*fleet_args(inventory, state), "--host", HOST, "--step", "health", "--no-notify")
    code, report, _ = run_json(capsys, "preventive", *args)
    assert code == ExitCode.OK and report["audit"] is None  # audit only when asked
    assert "audit" not in report["skipped"]

    send_config(restored.spec(HOST), ["/ip service set ftp disabled=no"])
    code, report, _ = run_json(capsys, "preventive", *args, "--audit")
    assert code == ExitCode.HOSTS_FAILED  # a new finding
    assert report["audit"]["counts"]["findings"] == 1

    code, again, _ = run_json(capsys, "preventive", *args, "--audit")
    assert code == ExitCode.OK  # the same finding again is not news
    device = again["audit"]["devices"][0]
    assert device["status"] == "findings" and device["new_findings"] == []


def test_notification_names_new_findings_in_both_languages() -> None:
    from datetime import UTC, datetime

    from netrawat.notify.messages import RunSummary, StepLine, compose

    line = StepLine(
        "audit",
        {"findings": 1, "new": 1},
        hosts=(f"{HOST}: ros-ftp-off (sedang) Layanan FTP dimatikan",),
    )
    now = datetime(2026, 12, 1, 19, 0, tzinfo=UTC)
    summary = RunSummary("preventive", "PM-20261202-0200", now, now, (), (line,))
    body = compose(summary, "id").body
    assert "- Audit baseline keamanan: 1 ada temuan, 1 temuan baru\n" in body
    assert f"    {HOST}: ros-ftp-off (sedang) Layanan FTP dimatikan" in body
    assert (
        "- Security baseline audit: 1 with findings, 1 new findings" in compose(summary, "en").body
    )


def test_ios_findings_fixed_by_their_repairs(
    private_lab: PrivateLab, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The lab's IOS seed lacks password encryption and login block-for (as many city routers
    do): the audit finds them, `audit_ios_setting` fixes each, the audit then passes them."""
    lab = private_lab()
    inventory = inventory_copy(lab, tmp_path / "inventory", 5)
    state = tmp_path / "state"
    code, report, _ = _audit(inventory, state, capsys, "CR-DINKES")
    assert code == ExitCode.HOSTS_FAILED
    found = _findings(report, "CR-DINKES")
    assert {"ios-password-encryption", "ios-login-block"} <= set(found)
    assert "ios-vty-ssh-only" not in found and "ios-enable-secret" not in found
    for setting in ("password-encryption", "login-block"):
        code, applied, err = run_json(
            capsys,
            "repair",
            "audit_ios_setting",
            *fleet_args(inventory, state),
            "--host",
            "CR-DINKES",
            "--var",
            f"setting={setting}",
            "--apply",
            "--request",
            "078/AUDIT/XII/2026",
            "--open",
        )
        assert code == ExitCode.OK, (err, applied)
    code, report, _ = _audit(inventory, state, capsys, "CR-DINKES")
    left = _findings(report, "CR-DINKES")
    assert "ios-password-encryption" not in left and "ios-login-block" not in left


DEVIATIONS = {
    "ros-ftp-off": "/ip service set ftp disabled=no",
    "ros-mgmt-services-restricted": '/ip service set winbox address=""',
    "ros-no-admin-user": "/user add name=admin group=full password=Admin-12345-x",
    "ros-mac-server-lan": "/tool mac-server set allowed-interface-list=all",
    "ros-mac-winbox-lan": "/tool mac-server mac-winbox set allowed-interface-list=all",
    "ros-discovery-lan": "/ip neighbor discovery-settings set discover-interface-list=all",
    "ros-bandwidth-server-off": "/tool bandwidth-server set enabled=yes",
    "ros-ssh-strong-crypto": "/ip ssh set strong-crypto=no",
    "ros-romon-off": "/tool romon set enabled=yes",
    "ros-snmp-not-public": "/snmp community set [ find default=yes ] disabled=no",
    "ros-ntp-city": "/system ntp client set enabled=no",
    "ros-remote-logging": "/system logging remove [ find action=remote ]",
    "ros-input-firewall": '/ip firewall filter remove [ find comment="drop all not from LAN" ]',
}
"""Per RouterOS rule: a change an engineer could make by hand that breaks it."""


def test_each_routeros_rule_finds_its_deviation_made_over_ssh(
    private_lab: PrivateLab, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    specs = rehearsal_fleet(private_slot())
    for spec in specs:
        spec.seed["hardened"] = True
    lab = private_lab(specs)
    inventory = inventory_copy(lab, tmp_path / "inventory", 5)
    state = tmp_path / "state"
    assert _audit(inventory, state, capsys, HOST)[0] == ExitCode.OK
    send_config(lab.spec(HOST), list(DEVIATIONS.values()))
    code, report, _ = _audit(inventory, state, capsys, HOST)
    assert code == ExitCode.HOSTS_FAILED
    found = _findings(report, HOST)
    # without its last drop the input chain lets the WAN reach the open resolver as well
    assert set(found) == {*DEVIATIONS, "ros-dns-not-open"}
    assert all(f["new"] for f in found.values())
    assert "name=admin group=full" in found["ros-no-admin-user"]["evidence"][0]  # print terse
