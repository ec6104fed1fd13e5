"""Playbook: health survey (SOP step 2) — collect, grade ringan/sedang/berat, record the recap.

Other playbooks (preventive maintenance, the demo) call `run_health(fleet, ...)`. A run holds
the ``health`` lock (`LOCK_NAME`); its state files (per-host snapshots, the run report) are
written atomically.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from nornir.core.inventory import Host
from nornir.core.task import MultiResult

from netrawat.errors import InputError
from netrawat.failures import classify, root_exception
from netrawat.fleet import Fleet
from netrawat.health.config import HealthConfig
from netrawat.health.engine import evaluate
from netrawat.health.inventory_layers import config_for_host
from netrawat.health.model import DeviceFacts, DeviceHealth
from netrawat.health.report import ESCALATION, HealthReport, recap_fields
from netrawat.health.store import load_snapshot, save_snapshot, snapshot_of
from netrawat.hostkeys import explain
from netrawat.inventory.filters import host_opd
from netrawat.platforms import profile_for
from netrawat.processors.recap import HostEntry
from netrawat.runlock import run_lock
from netrawat.state import write_owner_only
from netrawat.tasks.collect_health import collect_health, path_for

LOCK_NAME = "health"
"""``<state>/locks/health.lock``: one health run at a time per state directory (each run reads
and rewrites the per-host counter snapshots; a second run is refused, exit 3)."""


def host_configs(hosts: Mapping[str, Host], via: str) -> dict[str, HealthConfig]:
    """Every selected host's health configuration; raises InventoryError before any connection."""
    configs = {}
    for name, host in hosts.items():
        has_api = bool(host.get("api_port"))
        path_for(str(host.platform), has_api, via)  # validates via/platform
        if via == "api" and profile_for(host.platform).api_only_with_port and not has_api:
            raise InputError(
                f"host {name} has no api_port: the RouterOS API path cannot reach it",
                "use --via auto (API where enabled, CLI elsewhere) or --via cli",
            )
        configs[name] = config_for_host(host)
    return configs


def failure_message(exc: BaseException | None, known_hosts: Path) -> tuple[str, bool]:
    """One line saying why a host could not be surveyed, and whether that is damage to grade
    (unreachable, login refused) rather than a set-up problem (SSH host key to check)."""
    failure = classify(exc, known_hosts)
    if failure.kind == "host-key":
        return failure.one_line(), False
    return failure.reason, True


def host_key_kind(exc: BaseException | None, known_hosts: Path) -> Literal["changed", "unknown"]:
    """Whether a refused host key CHANGED or is merely not pinned yet."""
    hostkey = explain(exc, known_hosts) if exc is not None else None
    return "changed" if hostkey is not None and hostkey.changed else "unknown"


def _grade_host(
    fleet: Fleet, configs: Mapping[str, HealthConfig], host: Host, multi: MultiResult
) -> DeviceHealth:
    """One host graded, as soon as its survey is done (the recording processor calls it)."""
    config = configs[host.name]
    facts: DeviceFacts | None = None if multi.failed else multi[0].result
    unreachable = not_surveyed = None
    host_key: Literal["changed", "unknown"] | None = None
    if facts is None:
        exc = root_exception(r.exception for r in multi)
        message, graded = failure_message(exc, fleet.state.known_hosts)
        unreachable, not_surveyed = (message, None) if graded else (None, message)
        if not graded:
            host_key = host_key_kind(exc, fleet.state.known_hosts)
    previous = load_snapshot(fleet.state.health, host.name)
    health = evaluate(
        host=host.name,
        opd=host_opd(host),
        role=str(host.get("role")),
        platform=str(host.platform),
        config=config,
        facts=facts,
        unreachable=unreachable,
        not_surveyed=not_surveyed,
        host_key=host_key,
        previous=previous,
    )
    snapshot = snapshot_of(facts, previous) if facts else None
    if snapshot is not None and "interfaces" not in (facts or {}).get("errors", {}):
        save_snapshot(fleet.state.health, host.name, snapshot)
    return health


def _entry(device: DeviceHealth) -> HostEntry:
    """What the recap keeps of one surveyed host; sedang/berat graded from evidence is
    escalated to the Kabid."""
    fields = recap_fields(device, HealthReport(devices=[]))
    escalation = None
    if fields["details"]["escalate"]:
        problems = "; ".join(r.message for r in device.failed)[:300]
        escalation = f"{ESCALATION}: {device.host} ({device.opd}) {device.grade.label}: {problems}"
    return HostEntry(device.host, escalation=escalation, **fields)


def _write_report(fleet: Fleet, report: HealthReport) -> Path:
    runs = fleet.state.health / "runs"
    runs.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = report.run_id or datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-health")
    path = runs / f"{name}.json"
    report.report_path = str(path)
    write_owner_only(path, json.dumps(report.to_json(), indent=2))
    return path


def run_health(
    fleet: Fleet,
    *,
    request: str | None = None,
    preventive_id: str | None = None,
    open_request: bool = False,
    via: str = "auto",
    options: Mapping[str, Any] | None = None,
) -> HealthReport:
    """Survey and grade the selected hosts, record the run in the recap, return the report."""
    hosts = fleet.hosts
    configs = host_configs(hosts, via)
    describe = functools.partial(_grade_host, fleet, configs)
    with (
        run_lock(fleet.state, LOCK_NAME),
        fleet.start_run(
            "health",
            request=request,
            preventive_id=preventive_id,
            open_request=open_request,
            options={"via": via, **(options or {})},
        ) as run,
    ):
        with fleet.recording(run, "health", describe, _entry) as recorded:
            results = fleet.nornir.run(task=collect_health, configs=configs, via=via, name="health")
        devices = recorded.outcomes_for(hosts, results)
        report = HealthReport(devices=devices, run_id=run.run_id, request=request)
        run.add_report(_write_report(fleet, report))
        worst = report.worst.label
        unchecked = f", {len(report.incomplete)} not fully checked" if report.incomplete else ""
        run.set_summary(f"{len(devices)} device(s) surveyed, worst grade {worst}{unchecked}")
    return report
