"""Playbook: security baseline audit — every selected device against its platform's rules.

    report = run_audit(fleet)              # or preventive_id=..., request=...
    return report.exit_code                # 0 compliant, 1 findings

1. Before any device is contacted: the baselines load and every host's ``audit_exceptions``
   are checked (an unknown rule or an exception without a written reason: exit 2). Then the
   ``audit`` lock (`LOCK_NAME`; a second audit on the same state directory: exit 3).
2. Per host (Nornir, in parallel): the configuration fetched live the backup way and verified,
   plus the extra output the platform's rules read (`netrawat.tasks.audit_facts`).
3. Each rule judged (`netrawat.audit.engine`); findings new since the host's last audit are
   marked; the recap gets one entry (playbook ``audit``) with a row per host: its findings
   (severity, evidence, the repair to run), exceptions with their reasons.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from nornir.core.inventory import Host
from nornir.core.task import MultiResult

from netrawat.audit.engine import Baseline, Exception_, audit_device, exceptions_for, load_baseline
from netrawat.audit.model import DeviceAudit
from netrawat.audit.report import AuditReport, summary_line
from netrawat.audit.store import previous_findings, save_findings
from netrawat.failures import classify, root_exception
from netrawat.fleet import Fleet
from netrawat.inventory.filters import host_opd
from netrawat.platforms import profile_for
from netrawat.processors.recap import HostEntry
from netrawat.runlock import run_lock
from netrawat.tasks.audit_facts import audit_facts

PLAYBOOK = "audit"
LOCK_NAME = "audit"
"""``<state>/locks/audit.lock``: one audit at a time per state directory (each run reads and
rewrites ``<state>/audit/<host>.json``, the findings "new since last time" are judged
against; a second run is refused, exit 3). It is not the backup lock: an audit may run
beside a backup."""


def plan_hosts(hosts: dict[str, Host]) -> dict[str, tuple[Baseline, dict[str, Exception_]]]:
    """Each host's baseline and exceptions; an `InputError` before any connection."""
    return {
        name: (
            baseline := load_baseline(profile_for(host.platform).name),
            exceptions_for(host, baseline),
        )
        for name, host in hosts.items()
    }


def _device(
    fleet: Fleet,
    plans: Mapping[str, tuple[Baseline, dict[str, Exception_]]],
    run_id: str,
    host: Host,
    multi: MultiResult,
) -> DeviceAudit:
    """One host audited, as soon as its facts are in (the recording processor calls it)."""
    device = _audit(fleet, plans[host.name], host, multi)
    save_findings(fleet.state.root, device, run_id)
    return device


def _audit(
    fleet: Fleet, plan: tuple[Baseline, dict[str, Exception_]], host: Host, multi: MultiResult
) -> DeviceAudit:
    baseline, exceptions = plan
    opd = host_opd(host)
    if multi.failed:
        failure = classify(root_exception(r.exception for r in multi), fleet.state.known_hosts)
        return DeviceAudit(host.name, opd, baseline.platform, error=failure.one_line())
    previous = previous_findings(fleet.state.root, host.name)
    return audit_device(
        baseline,
        multi[0].result,
        exceptions,
        host=host.name,
        opd=opd,
        role=host.get("role"),
        previous=previous,
    )


def _entry(device: DeviceAudit) -> HostEntry:
    """What the recap keeps of one audited host."""
    return HostEntry(
        device.host,
        device.opd,
        "ok" if device.compliant else "failed",
        grade=device.grade,
        error=device.error,
        details={
            "audit": device.status(),
            "findings": [r.to_json(device.host) for r in device.findings],
            "errors": {r.rule.id: r.message for r in device.errors},
            "excepted": {r.rule.id: r.reason for r in device.results if r.reason},
        },
    )


def run_audit(
    fleet: Fleet,
    *,
    request: str | None = None,
    preventive_id: str | None = None,
    open_request: bool = False,
) -> AuditReport:
    """Audit the selected hosts, record the run in the recap, return the report."""
    hosts = fleet.hosts
    plans = plan_hosts(hosts)
    commands = {name: plan[0].commands for name, plan in plans.items()}
    with (
        run_lock(fleet.state, LOCK_NAME),
        fleet.start_run(
            PLAYBOOK, request=request, preventive_id=preventive_id, open_request=open_request
        ) as run,
    ):
        describe = functools.partial(_device, fleet, plans, run.run_id)
        with fleet.recording(run, "audit", describe, _entry) as recorded:
            results = fleet.nornir.run(
                task=lambda task: audit_facts(task, commands=commands[task.host.name]),
                name="audit",
            )
        report = AuditReport(run_id=run.run_id, devices=recorded.outcomes_for(hosts, results))
        run.set_summary(f"security baseline: {summary_line(report)}")
    return report
