"""The report as flat typed tables (csv, xlsx): one row per request or run, typed cells.

Cells are Python values: `str`, `int`, `float` (hours), `bool`, `datetime` (local time, naive,
WIB) or `None`; each renderer writes them in its own way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from netrawat.recap import i18n
from netrawat.recap.query import RunEntry
from netrawat.recap.report import Report, RequestLine
from netrawat.recap.sop import SOP_STEPS
from netrawat.recap.values import LOCAL_TZ

Cell = str | int | float | bool | datetime | None


@dataclass(frozen=True)
class Table:
    """A titled table: header labels and typed rows."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[Cell]]


def local(value: datetime | None) -> datetime | None:
    """An aware datetime as naive local (WIB) time, whole seconds."""
    if value is None:
        return None
    return value.astimezone(LOCAL_TZ).replace(tzinfo=None, microsecond=0)


def hours(value: timedelta) -> float:
    """A duration in hours, two decimals."""
    return round(value.total_seconds() / 3600, 2)


def _join(items: tuple[str, ...]) -> str:
    return "; ".join(items)


def request_table(report: Report, lang: str) -> Table:
    """One row per request with its SOP steps as columns."""
    t = lambda key: i18n.text(lang, key)  # noqa: E731
    headers = [
        t("number"),
        t("opd"),
        t("received"),
        t("summary"),
        t("status"),
        t("grade"),
        t("actions"),
        t("result"),
        t("executor"),
        t("escalation"),
        t("commits"),
    ]
    for key in SOP_STEPS:
        name = t(f"step_{key}")
        headers += [
            f"{name}: {t('start')}",
            f"{name}: {t('duration')} ({t('unit_hour')})",
            f"{name}: {t('target')} ({t('unit_hour')})",
            f"{name}: {t('overrun')}",
        ]
    return Table(
        "requests", t("requests"), headers, [_request_row(line, lang) for line in report.requests]
    )


def _request_row(line: RequestLine, lang: str) -> list[Cell]:
    request = line.request
    row: list[Cell] = [
        request.number,
        request.opd,
        local(request.received_at),
        request.summary,
        i18n.label(lang, "status", request.status),
        i18n.label(lang, "grade", line.grade),
        _join(line.actions),
        i18n.label(lang, "result", request.result),
        _join(line.executors),
        _join(line.escalations),
        _join(line.commits),
    ]
    timed = {s.step.key: s for s in line.steps}
    for key, step in SOP_STEPS.items():
        found = timed.get(key)
        if found is None:
            row += [None, None, hours(step.target), None]
        else:
            row += [local(found.start), hours(found.duration), hours(step.target), found.overrun]
    return row


def run_table(key: str, runs: tuple[RunEntry, ...], lang: str) -> Table:
    """One row per run without a letter (preventive or other)."""
    t = lambda k: i18n.text(lang, k)  # noqa: E731
    headers = [
        t("id"),
        t("playbook"),
        t("opd"),
        t("start"),
        t("end"),
        f"{t('duration')} ({t('unit_hour')})",
        t("status"),
        t("hosts"),
        t("failed"),
        t("not_checked"),
        t("unverified"),
        t("grade"),
        t("actions"),
        t("executor"),
        t("escalation"),
        t("commits"),
    ]
    rows: list[list[Cell]] = []
    for run in runs:
        counts = run.outcome_counts()
        span = (run.ended_at - run.started_at) if run.ended_at else None
        rows.append(
            [
                run.preventive_id or run.run_id,
                run.playbook,
                ", ".join(run.opds),
                local(run.started_at),
                local(run.ended_at),
                hours(span) if span else None,
                i18n.label(lang, "run", run.status),
                len(run.hosts),
                counts.get("failed", 0),
                counts.get("not_checked", 0),
                counts.get("unverified", 0),
                i18n.label(lang, "grade", run.grade),
                _join(run.actions),
                run.operator,
                _join(run.item("escalation")),
                _join(run.commits),
            ]
        )
    return Table(key, t(key), headers, rows)


def totals_opd_table(report: Report, lang: str) -> Table:
    """Requests per OPD: counts, open/closed, overruns, per grade."""
    t = lambda k: i18n.text(lang, k)  # noqa: E731
    grades = ["ringan", "sedang", "berat", "ungraded"]
    headers = [t("opd"), t("requests"), t("closed"), t("open_count"), t("overruns")]
    headers += [i18n.label(lang, "grade", g) if g != "ungraded" else t(g) for g in grades]
    rows: list[list[Cell]] = [
        [opd, c["requests"], c["closed"], c["open"], c["overruns"], *(c[g] for g in grades)]
        for opd, c in report.totals_opd.items()
    ]
    return Table("totals_opd", t("totals_opd"), headers, rows)


def totals_grade_table(report: Report, lang: str) -> Table:
    """Requests per damage grade."""
    t = lambda k: i18n.text(lang, k)  # noqa: E731
    rows: list[list[Cell]] = [
        [i18n.label(lang, "grade", g) if g != "ungraded" else t(g), report.totals_grade[g]]
        for g in ("ringan", "sedang", "berat", "ungraded")
    ]
    return Table("totals_grade", t("totals_grade"), [t("grade"), t("count")], rows)


def baseline_table(report: Report, lang: str) -> Table:
    """The security baseline per OPD: devices by their latest audit of the period."""
    t = lambda k: i18n.text(lang, k)  # noqa: E731
    grades = ("berat", "sedang", "ringan")
    headers = [t("opd"), t("hosts"), t("compliant"), t("with_findings"), t("not_audited")]
    headers += [f"{t('findings')} {i18n.label(lang, 'grade', g)}" for g in grades]
    headers += [t("excepted"), t("rules_failing"), t("last_audit")]
    rows: list[list[Cell]] = [
        [
            b.opd,
            b.devices,
            b.compliant,
            b.with_findings,
            b.not_audited,
            *(b.severities[g] for g in grades),
            b.excepted,
            b.rule_summary(),
            local(b.last),
        ]
        for b in report.baseline
    ]
    return Table("baseline", t("baseline"), headers, rows)


def drills_table(report: Report, lang: str) -> Table:
    """Each device's last restore drill: did its backup restore exactly."""
    t = lambda k: i18n.text(lang, k)  # noqa: E731
    headers = [t("opd"), t("device"), t("result"), t("commit"), t("not_restorable")]
    headers += [t("differences"), t("last_drill")]
    rows: list[list[Cell]] = [
        [
            d.opd,
            d.host,
            i18n.text(lang, f"drill_{d.result}"),
            d.commit,
            d.not_restorable,
            d.differences,
            local(d.when),
        ]
        for d in report.drills
    ]
    return Table("drills", t("drills"), headers, rows)


def all_tables(report: Report, lang: str) -> list[Table]:
    """Every table of the report, in reading order (the baseline only when the period had an
    audit)."""
    tables = [
        request_table(report, lang),
        run_table("preventive", report.preventive, lang),
        run_table("other_runs", report.other_runs, lang),
        totals_opd_table(report, lang),
        totals_grade_table(report, lang),
    ]
    if report.baseline:
        tables.append(baseline_table(report, lang))
    if report.drills:
        tables.append(drills_table(report, lang))
    return tables
