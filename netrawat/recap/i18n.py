"""Words of the report in Bahasa Indonesia (default) and English."""

from __future__ import annotations

from datetime import timedelta

from netrawat.errors import InputError

LANGS = ("id", "en")

_TEXT: dict[str, tuple[str, str]] = {
    # titles and sections
    "title": ("Buku Laporan Pemeliharaan Komponen Jaringan", "Network Maintenance Report Book"),
    "org": ("Diskominfo Kota Pontianak", "Diskominfo Kota Pontianak"),
    "period": ("Periode", "Period"),
    "generated": ("Dibuat", "Generated"),
    "requests": ("Permintaan perbaikan", "Repair requests"),
    "preventive": ("Pemeliharaan preventif", "Preventive maintenance"),
    "other_runs": ("Pekerjaan lain (tanpa surat)", "Other runs (no letter)"),
    "totals_opd": ("Rekap per OPD", "Totals per OPD"),
    "totals_grade": ("Rekap per tingkat kerusakan", "Totals per damage grade"),
    "none": ("Tidak ada.", "None."),
    "baseline": ("Baseline keamanan per OPD", "Security baseline per OPD"),
    "compliant": ("Patuh", "Compliant"),
    "with_findings": ("Ada temuan", "With findings"),
    "not_audited": ("Tidak teraudit", "Not audited"),
    "findings": ("Temuan", "Findings"),
    "excepted": ("Pengecualian", "Exceptions"),
    "rules_failing": ("Aturan dilanggar", "Rules failing"),
    "last_audit": ("Audit terakhir", "Last audit"),
    "drills": ("Latihan pemulihan backup per perangkat", "Restore drills per device"),
    "device": ("Perangkat", "Device"),
    "commit": ("Commit", "Commit"),
    "not_restorable": ("Tidak dapat dipulihkan dari git", "Not restorable from git"),
    "differences": ("Baris berbeda", "Lines differing"),
    "last_drill": ("Latihan terakhir", "Last drill"),
    "drill_restored": ("pulih persis", "restored exactly"),
    "drill_differs": ("berbeda", "differs"),
    "drill_failed": ("gagal", "failed"),
    # columns
    "number": ("No. surat", "Request no."),
    "opd": ("OPD", "OPD"),
    "received": ("Diterima", "Received"),
    "summary": ("Keluhan", "Complaint"),
    "status": ("Status", "Status"),
    "grade": ("Tingkat kerusakan", "Damage grade"),
    "actions": ("Tindakan", "Actions"),
    "result": ("Hasil", "Result"),
    "executor": ("Pelaksana", "Executor"),
    "escalation": ("Eskalasi", "Escalation"),
    "steps": ("Langkah SOP", "SOP steps"),
    "step": ("Langkah", "Step"),
    "start": ("Mulai", "Start"),
    "end": ("Selesai", "End"),
    "duration": ("Durasi", "Duration"),
    "target": ("Target", "Target"),
    "overrun": ("Melewati target", "Overrun"),
    "id": ("ID", "ID"),
    "playbook": ("Pekerjaan", "Playbook"),
    "hosts": ("Perangkat", "Devices"),
    "failed": ("Gagal", "Failed"),
    "not_checked": ("Tidak dapat diperiksa", "Not checked"),
    "unverified": ("Belum terverifikasi", "Not verified"),
    "count": ("Jumlah", "Count"),
    "closed": ("Selesai", "Closed"),
    "open_count": ("Masih terbuka", "Still open"),
    "overruns": ("Melewati target", "Overruns"),
    "kind": ("Jenis", "Kind"),
    "commits": ("Commit cadangan", "Backup commits"),
    "runs": ("Pekerjaan", "Runs"),
    "opened_by": ("Dibuka oleh", "Opened by"),
    "closed_by": ("Ditutup oleh", "Closed by"),
    "note": ("Catatan", "Note"),
    "errors": ("Galat", "Errors"),
    "yes": ("ya", "yes"),
    "no": ("tidak", "no"),
    "in_progress": ("berjalan", "in progress"),
    "ungraded": ("belum dinilai", "not graded"),
    "kind_request": ("permintaan", "request"),
    "kind_preventive": ("preventif", "preventive"),
    "kind_other": ("lain", "other"),
    # SOP steps
    "step_receipt": ("1. Penerimaan laporan", "1. Receipt of the report"),
    "step_survey": ("2. Survei & penilaian kerusakan", "2. Survey and grading"),
    "step_repair": ("3. Perbaikan/pengadaan", "3. Repair/procurement"),
    "step_light_repair": ("4. Perbaikan kerusakan ringan", "4. Light repair"),
    "step_report": ("5. Laporan & rekapitulasi", "5. Report and recap"),
    # grades
    "grade_ringan": ("ringan", "light"),
    "grade_sedang": ("sedang", "medium"),
    "grade_berat": ("berat", "heavy"),
    # request status and results
    "status_open": ("terbuka", "open"),
    "status_closed": ("selesai", "closed"),
    "result_restored": ("pulih", "restored"),
    "result_escalated": ("dieskalasi ke Kabid", "escalated to Kabid"),
    "result_procurement": ("pengadaan", "procurement"),
    "result_unresolved": ("belum teratasi", "unresolved"),
    "result_cancelled": ("dibatalkan", "cancelled"),
    # run status
    "run_ok": ("berhasil", "ok"),
    "run_failed": ("ada yang gagal", "some failed"),
    "run_incomplete": ("belum tuntas", "incomplete"),
    "run_crashed": ("galat", "crashed"),
    "run_interrupted": ("terputus", "interrupted"),
    "run_running": ("berjalan", "running"),
    # request timeline events
    "event_received": ("surat diterima", "letter received"),
    "event_opened": ("didaftarkan", "registered"),
    "event_run_started": ("pekerjaan dimulai", "run started"),
    "event_run_ok": ("pekerjaan berhasil", "run ok"),
    "event_run_failed": ("pekerjaan, ada yang gagal", "run, some failed"),
    "event_run_incomplete": ("pekerjaan belum tuntas", "run incomplete"),
    "event_run_crashed": ("pekerjaan galat", "run crashed"),
    "event_run_interrupted": ("pekerjaan terputus", "run interrupted"),
    "event_run_running": ("pekerjaan berjalan", "run in progress"),
    "event_escalation": ("eskalasi ke Kabid", "escalated to Kabid"),
    "event_closed": ("ditutup", "closed"),
    "when": ("Waktu (WIB)", "When (WIB)"),
    "event": ("Kejadian", "Event"),
    "operator": ("Petugas", "Operator"),
    "detail": ("Keterangan", "Detail"),
    # duration units
    "unit_day": ("hr", "d"),
    "unit_hour": ("j", "h"),
    "unit_minute": ("m", "min"),
}


def check_lang(lang: str) -> str:
    """``lang`` if supported, else a clear error."""
    value = lang.strip().lower()
    if value not in LANGS:
        raise InputError(f"unknown language {lang!r}", "use --lang id (default) or --lang en")
    return value


def text(lang: str, key: str) -> str:
    """The word ``key`` in ``lang``; an unknown key shows as itself (never a crash)."""
    pair = _TEXT.get(key)
    if pair is None:
        return key
    return pair[LANGS.index(lang)]


def label(lang: str, prefix: str, value: str | None) -> str:
    """A translated value (``grade``/``status``/``result``/``run``/``step``) or ``-``."""
    if value is None:
        return "-"
    return text(lang, f"{prefix}_{value}") if f"{prefix}_{value}" in _TEXT else value


def duration(lang: str, value: timedelta) -> str:
    """``1 hr 2 j 5 m`` / ``1 d 2 h 5 min``: short, human, whole minutes."""
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} {text(lang, 'unit_day')}")
    if hours:
        parts.append(f"{hours} {text(lang, 'unit_hour')}")
    if mins or not parts:
        parts.append(f"{mins} {text(lang, 'unit_minute')}")
    return " ".join(parts)
