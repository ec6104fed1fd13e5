"""Survey states from evidence only: not-checked is never ok and never a grade, in the report,
the recap fields and the notification; only damage found on evidence escalates."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from netrawat.health.collect_common import Session, run_section
from netrawat.health.config import build_config
from netrawat.health.engine import evaluate
from netrawat.health.model import DeviceFacts, DeviceHealth
from netrawat.health.report import HealthReport, recap_fields, verdict_key
from netrawat.notify.messages import RunSummary, compose
from netrawat.notify.summaries import device_lines, has_changed_host_key, has_damage_to_report

SECTIONS = ("identity", "resource", "health", "interfaces", "routes", "dns", "ntp", "dhcp")


def _device(facts: dict[str, Any], **kwargs: Any) -> DeviceHealth:
    config = build_config([], dns_servers=["10.0.0.53"], ntp_servers=[], expected_identity="R1")
    return evaluate(
        host="R1",
        opd="dinkes",
        role="router",
        platform="mikrotik_routeros",
        config=config,
        facts=cast(DeviceFacts, facts) if facts is not None else None,
        **kwargs,
    )


def _nothing_collected() -> dict[str, Any]:
    reason = "UnboundLocalError: cannot access local variable 'proc_total_mem'"
    errors = {s: {"error": reason, "raw": ""} for s in (*SECTIONS, "ping", "dns_ping")}
    return {"collected_via": "test", "errors": errors}


def _message(report: HealthReport) -> str:
    now = datetime.now(UTC)
    summary = RunSummary("health", "run", now, now, tuple(device_lines(report)))
    message = compose(summary, "id")
    return message.subject + "\n" + message.body


def test_nothing_checked_after_login_is_its_own_state_and_no_alert() -> None:
    device = _device(_nothing_collected())
    assert device.state == "not_checked" and device.graded is None
    assert device.verdict == "tidak dapat diperiksa" and verdict_key(device) == "not_checked"
    assert device.error is not None and "proc_total_mem" in device.error
    assert device.to_json()["grade"] is None
    report = HealthReport(devices=[device])
    assert report.exit_code == 1 and report.escalations == []
    assert not has_damage_to_report(report)
    fields = recap_fields(device, report)
    assert fields["outcome"] == "not_checked" and fields["grade"] is None
    text = _message(report)
    assert "tidak dapat diperiksa" in text and "sehat 0" in text and "Kabid" not in text


def test_damage_found_on_evidence_still_escalates_beside_not_checked() -> None:
    facts = _nothing_collected()
    del facts["errors"]["health"]
    facts["temperatures"], facts["sensor_states"] = {"cpu": 91.0}, {}
    device = _device(facts)
    assert device.state == "partial" and device.verdict == "sedang (belum lengkap)"
    report = HealthReport(devices=[device])
    assert report.escalations == [device] and has_damage_to_report(report)


def test_a_changed_host_key_is_loud_and_never_ok() -> None:
    device = _device(
        cast(Any, None), not_surveyed="SSH HOST KEY CHANGED for 127.0.0.1", host_key="changed"
    )
    assert device.state == "host_key_changed" and device.verdict == "KUNCI SSH BERUBAH"
    assert device.graded is None and not device.complete
    report = HealthReport(devices=[device])
    assert report.exit_code == 1 and report.escalations == []
    assert has_changed_host_key(report) and not has_damage_to_report(report)
    assert _message(report).startswith(
        "[netrawat] Survei kesehatan jaringan run: KUNCI SSH BERUBAH di 1 perangkat;"
    )


def test_a_section_failing_with_any_exception_is_recorded_and_reopens_the_session() -> None:
    opened: list[int] = []
    session: Session[int] = Session(lambda: opened.append(1) or len(opened), current=0)
    facts: DeviceFacts = {}

    def hangs() -> None:
        raise TimeoutError("The command echo was not detected")

    run_section(facts, "dns", hangs, session)
    assert facts["errors"]["dns"]["error"].startswith("TimeoutError: The command echo")
    assert session.source == 1 and session.reopened == 1  # a fresh session for the rest

    def refuses() -> None:
        raise KeyError("cpu")  # a complete answer the getter misread: same session

    run_section(facts, "resource", refuses, session)
    assert "resource" in facts["errors"] and session.reopened == 1
