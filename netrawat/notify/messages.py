"""The words of a notification: Bahasa Indonesia by default, English on request.

A playbook fills a `RunSummary` (numbers and device lines, no prose); `compose` writes the
message. Lists are cut at `MAX_DEVICES` lines so a bad night never floods the channel.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from netrawat.errors import InputError
from netrawat.notify.base import Message
from netrawat.recap.values import LOCAL_TZ

MAX_DEVICES = 25
GRADES = ("ok", "ringan", "sedang", "berat")

_WORDS: dict[str, tuple[str, str]] = {
    "preventive": ("Pemeliharaan preventif", "Preventive maintenance"),
    "health": ("Survei kesehatan jaringan", "Network health survey"),
    "when": ("Waktu", "When"),
    "devices": ("Perangkat", "Devices"),
    "escalate": ("Lapor Kabid (sedang/berat)", "Report to the Kabid (sedang/berat)"),
    "light": ("Perbaikan oleh seksi (ringan)", "Repair by the section (ringan)"),
    "unchecked": ("Belum terperiksa penuh", "Not fully checked"),
    "steps": ("Langkah", "Steps"),
    "errors": ("Galat", "Errors"),
    "log": ("Log", "Log"),
    "more": ("... dan {n} perangkat lain", "... and {n} more devices"),
    "all_ok": ("semua perangkat sehat", "every device healthy"),
    "to_kabid": ("{n} perangkat perlu lapor Kabid", "{n} device(s) to report to the Kabid"),
    "light_only": ("{n} perangkat rusak ringan", "{n} device(s) with light damage"),
    "key_changed": ("KUNCI SSH BERUBAH di {n} perangkat", "SSH HOST KEY CHANGED on {n} device(s)"),
    "unchecked_only": ("{n} perangkat belum terperiksa", "{n} device(s) not fully checked"),
    "step_failed": ("tidak berjalan", "did not run"),
    "step_drift": ("Perubahan konfigurasi sejak backup", "Config drift since the last backup"),
    "step_backup": ("Backup konfigurasi", "Config backup"),
    "step_health": ("Survei kesehatan", "Health survey"),
    "step_audit": ("Audit baseline keamanan", "Security baseline audit"),
    "count_compliant": ("patuh", "compliant"),
    "count_findings": ("ada temuan", "with findings"),
    "count_new": ("temuan baru", "new findings"),
    "step_errors": ("galat", "errors"),
    "grade_ok": ("sehat", "healthy"),
    "grade_ringan": ("ringan", "light"),
    "grade_sedang": ("sedang", "medium"),
    "grade_berat": ("berat", "heavy"),
    "grade_partial": ("belum lengkap", "not fully checked"),
    "grade_not_checked": ("tidak dapat diperiksa", "could not be checked"),
    "grade_host_key_changed": ("KUNCI SSH BERUBAH", "SSH HOST KEY CHANGED"),
    "grade_host_key_unknown": ("kunci SSH belum dikenal", "SSH host key unknown"),
    "count_partial": ("belum lengkap", "not fully checked"),
    "count_not_checked": ("tidak dapat diperiksa", "could not be checked"),
    "count_host_key_changed": ("KUNCI SSH BERUBAH", "SSH HOST KEY CHANGED"),
    "count_host_key_unknown": ("kunci SSH belum dikenal", "SSH host key unknown"),
    "count_changed": ("berubah", "changed"),
    "count_unchanged": ("tetap", "unchanged"),
    "count_failed": ("gagal", "failed"),
    "count_drift": ("berubah", "drifted"),
    "count_no-drift": ("sama", "no drift"),
    "count_no-backup": ("belum ada backup", "no backup yet"),
    "count_skipped": ("dilewati", "skipped"),
    "count_ok": ("sehat", "healthy"),
    "count_ringan": ("ringan", "light"),
    "count_sedang": ("sedang", "medium"),
    "count_berat": ("berat", "heavy"),
    "step_skipped": ("dilewati", "skipped"),
    "skip_no_backup": (
        "belum ada backup; pekerjaan ini membuat yang pertama",
        "no backup yet; this run makes the first",
    ),
    "skip_not_selected": ("tidak dipilih", "not selected"),
}


def word(key: str, lang: str, **values: object) -> str:
    """One phrase in ``lang`` (``id`` or ``en``)."""
    if lang not in ("id", "en"):
        raise InputError(f"unknown language {lang!r}", "use id or en")
    text = _WORDS[key][0 if lang == "id" else 1]
    return text.format(**values) if values else text


@dataclass(frozen=True)
class DeviceLine:
    """One device worth a line: damaged, or not fully checked."""

    host: str
    opd: str
    grade: str
    problems: str = ""
    escalate: bool = False
    complete: bool = True


STEPS = ("drift", "backup", "health")
"""The steps of a preventive run, in order."""
OPTIONAL_STEPS = ("audit",)
"""Steps a preventive run takes only when asked (``--audit``): the security baseline."""
ALL_STEPS = (*STEPS, *OPTIONAL_STEPS)


@dataclass(frozen=True)
class StepLine:
    """One step of the run: counts by status, or the error that stopped it."""

    step: str
    """drift | backup | health | audit"""
    counts: Mapping[str, int] = field(default_factory=dict)
    note: str = ""
    error: str = ""
    skipped: str = ""
    """Why the step did not run: ``no_backup`` or ``not_selected`` (see `_WORDS` skip_*)."""
    hosts: tuple[str, ...] = ()
    """Hosts worth naming, with what happened (``RTR-DINKES: drift +1 -1``)."""


@dataclass(frozen=True)
class RunSummary:
    """What a notification says about one run (no prose: `compose` writes it)."""

    kind: str
    """preventive | health"""
    reference: str
    """The preventive id, the request number, or the run id."""
    started: datetime
    ended: datetime
    devices: tuple[DeviceLine, ...]
    steps: tuple[StepLine, ...] = ()
    errors: tuple[str, ...] = ()
    log_path: str = ""

    def grade_counts(self) -> dict[str, int]:
        return {g: sum(1 for d in self.devices if d.grade == g) for g in GRADES}

    @property
    def escalations(self) -> list[DeviceLine]:
        return [d for d in self.devices if d.escalate]

    @property
    def light(self) -> list[DeviceLine]:
        return [d for d in self.devices if d.grade == "ringan" and not d.escalate]

    @property
    def unchecked(self) -> list[DeviceLine]:
        return [d for d in self.devices if not d.complete]


def _when(summary: RunSummary) -> str:
    start = summary.started.astimezone(LOCAL_TZ)
    end = summary.ended.astimezone(LOCAL_TZ)
    until = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%Y-%m-%d %H:%M}"
    return f"{start:%Y-%m-%d %H:%M}-{until} WIB"


def subject(summary: RunSummary, lang: str) -> str:
    """``[netrawat] <kind> <reference>: <the one thing to know>``."""
    if summary.escalations:
        state = word("to_kabid", lang, n=len(summary.escalations))
    elif summary.light:
        state = word("light_only", lang, n=len(summary.light))
    elif summary.unchecked:
        state = word("unchecked_only", lang, n=len(summary.unchecked))
    else:
        state = word("all_ok", lang)
    changed = [d for d in summary.devices if d.grade == "host_key_changed"]
    if changed:  # a security matter: first in the subject, whatever else happened
        state = f"{word('key_changed', lang, n=len(changed))}; {state}"
    if any(s.error for s in summary.steps) or summary.errors:
        state += f"; {word('step_errors', lang)}"
    return f"[netrawat] {word(summary.kind, lang)} {summary.reference}: {state}"


def _device_lines(devices: list[DeviceLine], lang: str) -> list[str]:
    lines = []
    for device in devices[:MAX_DEVICES]:
        known = f"grade_{device.grade}" in _WORDS
        grade = word(f"grade_{device.grade}", lang) if known else device.grade
        problems = " ".join(device.problems.split())[:300]
        lines.append(f"- {device.host} ({device.opd}) {grade}: {problems or '-'}")
    if len(devices) > MAX_DEVICES:
        lines.append(word("more", lang, n=len(devices) - MAX_DEVICES))
    return lines


def _step_head(step: StepLine, lang: str) -> str:
    name = word(f"step_{step.step}", lang)
    if step.error:
        return f"- {name}: {word('step_failed', lang)}: {' '.join(step.error.split())[:300]}"
    if step.skipped:
        return f"- {name}: {word('step_skipped', lang)} ({word(f'skip_{step.skipped}', lang)})"
    counts = ", ".join(
        f"{n} {word(f'count_{k}', lang) if f'count_{k}' in _WORDS else k}"
        for k, n in step.counts.items()
    )
    return f"- {name}: {counts or '-'}" + (f" ({step.note})" if step.note else "")


def _step_lines(step: StepLine, lang: str) -> list[str]:
    """The step's line, then one indented line per host it names (cut at `MAX_DEVICES`)."""
    lines = [_step_head(step, lang)]
    lines += [f"    {' '.join(h.split())[:300]}" for h in step.hosts[:MAX_DEVICES]]
    if len(step.hosts) > MAX_DEVICES:
        lines.append("    " + word("more", lang, n=len(step.hosts) - MAX_DEVICES))
    return lines


def compose(summary: RunSummary, lang: str = "id") -> Message:
    """The message of ``summary`` in ``lang``."""
    counts = summary.grade_counts()
    graded = ", ".join(f"{word(f'grade_{g}', lang)} {counts[g]}" for g in GRADES)
    ungraded = Counter(d.grade for d in summary.devices if d.grade not in GRADES)
    graded += "".join(
        f", {word(f'grade_{k}', lang) if f'grade_{k}' in _WORDS else k} {n}"
        for k, n in sorted(ungraded.items())
    )
    body = [
        f"{word(summary.kind, lang)} {summary.reference}",
        f"{word('when', lang)}: {_when(summary)}",
        f"{word('devices', lang)}: {len(summary.devices)} ({graded})",
    ]
    sections = (
        ("escalate", summary.escalations),
        ("light", summary.light),
        ("unchecked", summary.unchecked),
    )
    for key, devices in sections:
        if devices:
            body += ["", f"{word(key, lang)}:", *_device_lines(devices, lang)]
    if summary.steps:
        body += ["", f"{word('steps', lang)}:"]
        body += [line for step in summary.steps for line in _step_lines(step, lang)]
    if summary.errors:
        body += ["", f"{word('errors', lang)}:", *(f"- {e[:300]}" for e in summary.errors)]
    if summary.log_path:
        body += ["", f"{word('log', lang)}: {summary.log_path}"]
    return Message(subject=subject(summary, lang), body="\n".join(body) + "\n")
