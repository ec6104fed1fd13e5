"""Playbook: scheduled preventive maintenance — drift, backup and health in one unattended run.

    report = run_preventive(fleet, PreventiveSettings())
    return report.exit_code

One run, under an automatic preventive id ``PM-YYYYMMDD-HHMM`` (local time, WIB; ``-2``,
``-3`` ... when that minute already has one):

1. Before anything connects: the ``notify`` section of the secrets file and every host's
   health configuration are checked (bad input: exit 2, nothing ran).
2. The ``preventive`` lock (a second preventive run on the same state directory is refused,
   exit 3) and one recap entry (playbook ``preventive``) with a line per host.
3. The steps, each the existing playbook filed under the same preventive id: **drift**
   (`run_diff` against the last backup: what changed since then; skipped when there is no
   backup yet), **backup** (`run_backup`: one commit), **health** (`run_health`: grades).
   Every step runs on every selected host, whatever an earlier step found; a step that cannot
   run (e.g. a manual backup holds its lock) is reported and the others still run.
4. A summary through the configured notifiers (`netrawat.notify`), Bahasa Indonesia by default.

Exit code: the worst of the steps (0 all good, 1 a host failed/drifted/is damaged or a
notification failed, 2/3 a step had bad input / could not run).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from netrawat.audit.report import AuditReport
from netrawat.configs.repo import ConfigRepo
from netrawat.errors import CannotRunError, NetrawatError
from netrawat.exitcodes import ExitCode
from netrawat.fleet import Fleet
from netrawat.health.model import Grade
from netrawat.health.report import HealthReport, verdict_key
from netrawat.inventory.filters import host_opd
from netrawat.notify import Delivery, NotifyConfig, compose, load_notify_config, send_all
from netrawat.notify.messages import ALL_STEPS, STEPS, RunSummary, StepLine
from netrawat.notify.summaries import device_lines
from netrawat.playbooks.audit import plan_hosts, run_audit
from netrawat.playbooks.backup import BackupReport, BackupSettings, run_backup
from netrawat.playbooks.diff import DiffReport, DiffSettings, run_diff
from netrawat.playbooks.health import host_configs, run_health
from netrawat.recap import Run, open_store, schema
from netrawat.recap.values import LOCAL_TZ
from netrawat.runlock import run_lock

LOCK_NAME = "preventive"
log = logging.getLogger("netrawat.preventive")


@dataclass(frozen=True)
class PreventiveSettings:
    """What a preventive run does."""

    steps: tuple[str, ...] = STEPS
    via: str = "auto"
    notify: bool = True
    preventive_id: str | None = None
    """Normally chosen by the run (`new_preventive_id`)."""


@dataclass
class PreventiveReport:
    """Everything one preventive run did, for the summary, ``--json`` and the exit code."""

    preventive_id: str
    run_id: str
    started: datetime
    ended: datetime | None = None
    drift: DiffReport | None = None
    backup: BackupReport | None = None
    health: HealthReport | None = None
    audit: AuditReport | None = None
    step_errors: dict[str, NetrawatError] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    deliveries: list[Delivery] = field(default_factory=list)
    notify_note: str = ""
    log_path: str = ""

    def drift_code(self) -> ExitCode:
        """Drift or a failed read is a finding; a host without a backup yet is not (the backup
        step of this very run makes its first one)."""
        if self.drift is None:
            return ExitCode.OK
        bad = self.drift.of("drift") + self.drift.of("failed")
        return ExitCode.HOSTS_FAILED if bad else ExitCode.OK

    def audit_code(self) -> ExitCode:
        """Baseline findings already reported by an earlier audit are not news every night:
        only new findings, or a device that could not be audited, count."""
        if self.audit is None:
            return ExitCode.OK
        failed = self.audit.counts()["failed"]
        return ExitCode.HOSTS_FAILED if self.audit.new_findings or failed else ExitCode.OK

    @property
    def exit_code(self) -> ExitCode:
        codes = [self.drift_code()]
        codes += [r.exit_code for r in (self.backup, self.health) if r is not None]
        codes.append(self.audit_code())
        codes += [e.exit_code for e in self.step_errors.values()]
        if any(not d.ok for d in self.deliveries):
            codes.append(ExitCode.HOSTS_FAILED)
        return ExitCode(max(codes, default=ExitCode.OK))

    def to_json(self) -> dict[str, Any]:
        return {
            "preventive_id": self.preventive_id,
            "run_id": self.run_id,
            "started": self.started.isoformat(),
            "ended": self.ended.isoformat() if self.ended else None,
            "drift": self.drift.to_json() if self.drift else None,
            "backup": self.backup.to_json() if self.backup else None,
            "health": self.health.to_json() if self.health else None,
            "audit": self.audit.to_json() if self.audit else None,
            "step_errors": {k: v.one_line() for k, v in self.step_errors.items()},
            "skipped": self.skipped,
            "notifications": [d.to_json() for d in self.deliveries],
            "notify_note": self.notify_note,
            "log": self.log_path,
            "exit_code": int(self.exit_code),
        }


# -- the preventive id -------------------------------------------------------------------------


def new_preventive_id(fleet: Fleet, now: datetime | None = None) -> str:
    """``PM-YYYYMMDD-HHMM`` of the local (WIB) start minute, made unique in the recap."""
    local = (now or datetime.now(UTC)).astimezone(LOCAL_TZ)
    base = f"PM-{local:%Y%m%d-%H%M}"
    runs = schema.runs
    store = open_store(fleet.state)
    try:
        with store.begin() as conn:
            query = sa.select(runs.c.preventive_id).where(runs.c.preventive_id.like(f"{base}%"))
            taken = set(conn.execute(query).scalars())
    finally:
        store.close()
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


# -- steps -------------------------------------------------------------------------------------


def _fresh(fleet: Fleet) -> None:
    """Every host takes part in the next step: Nornir skips hosts failed earlier otherwise;
    a failed host's sessions are dropped so the next step starts clean."""
    fleet.nornir.close_connections(on_good=False, on_failed=True)
    fleet.nornir.data.reset_failed_hosts()


class StepCrashed(CannotRunError):
    """A step stopped on an unexpected error (a bug): the other steps still run, the run log
    keeps the traceback."""


def _step(report: PreventiveReport, name: str, action: Callable[[], None]) -> None:
    log.info("preventive %s: step %s starts", report.preventive_id, name)
    try:
        action()
    except NetrawatError as exc:
        log.warning("preventive %s: step %s: %s", report.preventive_id, name, exc.one_line())
        report.step_errors[name] = exc
    except Exception as exc:  # an unattended run reports a crashed step and goes on
        log.exception("preventive %s: step %s crashed", report.preventive_id, name)
        report.step_errors[name] = StepCrashed(
            f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}",
            "the traceback is in the run log; please report it",
        )


def _run_steps(fleet: Fleet, settings: PreventiveSettings, report: PreventiveReport) -> None:
    pm = report.preventive_id
    repo = ConfigRepo(fleet.state.configs)
    has_backup = (repo.root / ".git").is_dir() and repo.head() is not None

    def drift() -> None:
        report.drift = run_diff(fleet, DiffSettings(against="backup", preventive_id=pm))

    def backup() -> None:
        report.backup = run_backup(fleet, BackupSettings(preventive_id=pm))

    def health() -> None:
        report.health = run_health(fleet, preventive_id=pm, via=settings.via)

    def audit() -> None:
        report.audit = run_audit(fleet, preventive_id=pm)

    actions = {"drift": drift, "backup": backup, "health": health, "audit": audit}
    for name in ALL_STEPS:
        if name not in settings.steps and name not in STEPS:
            continue  # an optional step not asked for is not "skipped"
        if name not in settings.steps:
            report.skipped[name] = "not selected"
        elif name == "drift" and not has_backup:
            report.skipped[name] = "no backup yet: this run makes the first one"
        else:
            _fresh(fleet)
            _step(report, name, actions[name])


# -- recording and notifying -------------------------------------------------------------------


def _host_status(report: PreventiveReport, name: str) -> dict[str, str]:
    """What each step found for host ``name`` (steps that did not run are absent)."""
    status: dict[str, str] = {}
    for step, hosts in (
        ("drift", report.drift.hosts if report.drift else []),
        ("backup", report.backup.hosts if report.backup else []),
    ):
        for host in hosts:
            if host.host == name:
                status[step] = host.status
    for device in report.health.devices if report.health else []:
        if device.host == name:
            status["health"] = verdict_key(device)
    for audited in report.audit.devices if report.audit else []:
        if audited.host == name:
            status["audit"] = audited.status()
    return status


def _record(run: Run, fleet: Fleet, report: PreventiveReport) -> None:
    devices = {d.host: d for d in report.health.devices} if report.health else {}
    for name, host in sorted(fleet.hosts.items()):
        status = _host_status(report, name)
        device = devices.get(name)
        graded = device.graded if device is not None else None
        bad = (
            bool({"failed", "drift"} & set(status.values()))
            or (graded or Grade.OK) > Grade.OK
            or (device is not None and device.state in ("unreachable", "host_key_changed"))
        )
        unchecked = device is not None and not device.complete
        run.host(
            name,
            opd=host_opd(host),
            outcome="failed" if bad else ("not_checked" if unchecked else "ok"),
            grade=graded.label if graded is not None and graded is not Grade.OK else None,
            details=status,
        )
    for name, exc in report.step_errors.items():
        run.add_error(f"{name}: {exc.one_line()}")
    for delivery in report.deliveries:
        if not delivery.ok:
            run.add_error(f"notification {delivery.notifier}: {delivery.error}")
    worst = report.health.worst.label if report.health else "not surveyed"
    run.set_summary(
        f"preventive {report.preventive_id}: {len(fleet.hosts)} device(s), worst grade {worst}"
    )


def _drift_line(drift: DiffReport) -> StepLine:
    counts = {k: v for k, v in drift.counts().items() if v}
    hosts = [f"{h.host}: drift +{h.added} -{h.removed}" for h in drift.of("drift")]
    hosts += [f"{h.host}: {h.reason}" for h in drift.of("failed")]
    return StepLine("drift", counts, hosts=tuple(hosts))


def _backup_line(backup: BackupReport) -> StepLine:
    counts = {s: len(backup.of(s)) for s in ("changed", "unchanged", "failed")}
    note = f"commit {backup.commit[:12]}" if backup.commit else ""
    hosts = tuple(f"{h.host}: {h.reason}" for h in backup.of("failed"))
    hosts += tuple(f"OS {upgrade}" for upgrade in backup.upgrades)
    return StepLine("backup", {k: v for k, v in counts.items() if v}, note, hosts=hosts)


def _health_line(health: HealthReport) -> StepLine:
    counts: dict[str, int] = {g.label: 0 for g in Grade}
    for device in health.devices:
        key = verdict_key(device)
        counts[key] = counts.get(key, 0) + 1
    return StepLine("health", {k: v for k, v in counts.items() if v})


def _audit_line(audit: AuditReport) -> StepLine:
    counts = {k: v for k, v in audit.counts().items() if v}
    if audit.new_findings:
        counts["new"] = len(audit.new_findings)
    hosts = [
        f"{d.host}: {r.rule.id} ({r.rule.severity}) {r.rule.title_id}"
        for d, r in audit.new_findings
    ]
    hosts += [f"{d.host}: {d.error}" for d in audit.devices if d.error]
    return StepLine("audit", counts, hosts=tuple(hosts))


def step_lines(report: PreventiveReport) -> list[StepLine]:
    """The steps for the notification, in the order they ran, naming the hosts that drifted
    or whose backup failed (health's hosts are listed by grade above the steps)."""
    done: dict[str, StepLine | None] = {
        "drift": _drift_line(report.drift) if report.drift else None,
        "backup": _backup_line(report.backup) if report.backup else None,
        "health": _health_line(report.health) if report.health else None,
        "audit": _audit_line(report.audit) if report.audit else None,
    }
    lines = []
    for name in ALL_STEPS:
        if name in report.skipped:
            why = "no_backup" if report.skipped[name].startswith("no backup") else "not_selected"
            lines.append(StepLine(name, skipped=why))
        elif name in report.step_errors:
            lines.append(StepLine(name, error=report.step_errors[name].one_line()))
        elif (line := done[name]) is not None:
            lines.append(line)
    return lines


def summary_of(report: PreventiveReport) -> RunSummary:
    """The notification content of a preventive run."""
    return RunSummary(
        kind="preventive",
        reference=report.preventive_id,
        started=report.started,
        ended=report.ended or datetime.now(UTC),
        devices=tuple(device_lines(report.health)) if report.health else (),
        steps=tuple(step_lines(report)),
        log_path=report.log_path,
    )


def wants_notification(config: NotifyConfig, report: PreventiveReport) -> bool:
    """``preventive: always`` / ``problems`` (anything but exit 0) / ``never``."""
    if config.preventive == "never":
        return False
    return config.preventive == "always" or report.exit_code != ExitCode.OK


def _notify(config: NotifyConfig, report: PreventiveReport, settings: PreventiveSettings) -> None:
    if not settings.notify:
        report.notify_note = "notifications turned off for this run (--no-notify)"
    elif not config.notifiers:
        report.notify_note = "no notifier configured (notify: in the secrets file)"
    elif not wants_notification(config, report):
        report.notify_note = f"nothing to report (notify.preventive: {config.preventive})"
    else:
        report.ended = datetime.now(UTC)
        report.deliveries = send_all(config, compose(summary_of(report), config.language))


def run_preventive(fleet: Fleet, settings: PreventiveSettings) -> PreventiveReport:
    """Run the whole preventive maintenance (see module docstring) and return its report."""
    config = load_notify_config(fleet.secrets.raw, fleet.secrets.path)
    if "health" in settings.steps:
        host_configs(fleet.hosts, settings.via)  # bad health overrides: exit 2 before any step
    if "audit" in settings.steps:
        plan_hosts(fleet.hosts)  # bad audit exceptions: exit 2 before any step
    with run_lock(fleet.state, LOCK_NAME):
        pm = settings.preventive_id or new_preventive_id(fleet)
        with fleet.start_run(
            "preventive",
            preventive_id=pm,
            options={"steps": list(settings.steps), "via": settings.via},
        ) as run:
            report = PreventiveReport(pm, run.run_id, run.started_at)
            report.log_path = fleet.log_path
            _run_steps(fleet, settings, report)
            report.ended = datetime.now(UTC)
            _notify(config, report, settings)
            _record(run, fleet, report)
    log.info("preventive %s: exit code %d", pm, report.exit_code)
    return report
