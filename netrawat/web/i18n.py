"""Words of the console: Bahasa Indonesia (default) and English (the ``lang`` cookie)."""

from __future__ import annotations

LANGS = ("id", "en")

WORDS: dict[str, tuple[str, str]] = {
    "app": ("Konsol netrawat", "netrawat console"),
    "org": ("Diskominfo Kota Pontianak", "Diskominfo Kota Pontianak"),
    "dashboard": ("Dasbor", "Dashboard"),
    "devices": ("Perangkat", "Devices"),
    "device": ("Perangkat", "Device"),
    "requests": ("Permintaan", "Requests"),
    "request": ("Permintaan", "Request"),
    "runs": ("Pekerjaan", "Runs"),
    "run": ("Pekerjaan", "Run"),
    "report": ("Buku laporan", "Report book"),
    "search": ("Cari konfigurasi", "Config search"),
    "audit": ("Jejak audit", "Audit log"),
    "login": ("Masuk", "Log in"),
    "logout": ("Keluar", "Log out"),
    "username": ("Nama pengguna", "User name"),
    "password": ("Kata sandi", "Password"),
    "login_failed": ("Nama pengguna atau kata sandi salah.", "Wrong user name or password."),
    "rate_limited": (
        "Terlalu banyak percobaan gagal. Coba lagi nanti.",
        "Too many failed attempts. Try again later.",
    ),
    "session_ended": (
        "Sesi berakhir (tidak aktif terlalu lama). Silakan masuk lagi.",
        "Your session ended (idle too long). Please log in again.",
    ),
    "csrf_failed": (
        "Formulir kedaluwarsa atau tidak sah; muat ulang halaman.",
        "The form expired or is not valid; reload the page.",
    ),
    "forbidden": ("Peran Anda tidak boleh melakukan ini.", "Your role may not do this."),
    "not_found": ("Tidak ditemukan.", "Not found."),
    "opd": ("OPD", "OPD"),
    "role": ("Peran", "Role"),
    "platform": ("Platform", "Platform"),
    "grade": ("Tingkat kerusakan", "Damage grade"),
    "not_checked": ("Belum diperiksa", "Not checked"),
    "failed_checks": ("Pemeriksaan gagal", "Failed checks"),
    "last_backup": ("Cadangan terakhir", "Last backup"),
    "drift": ("Perubahan (drift)", "Drift"),
    "baseline": ("Baseline keamanan", "Security baseline"),
    "drill": ("Latihan pemulihan", "Restore drill"),
    "open_requests": ("Permintaan terbuka", "Open requests"),
    "escalations": ("Eskalasi menunggu Kabid", "Escalations waiting for the Kabid"),
    "none": ("Tidak ada.", "None."),
    "never": ("belum pernah", "never"),
    "config_history": ("Riwayat konfigurasi", "Config history"),
    "health_history": ("Riwayat kesehatan", "Health history"),
    "runs_touching": ("Pekerjaan pada perangkat ini", "Runs that touched it"),
    "compare": ("Bandingkan", "Compare"),
    "view": ("Lihat", "View"),
    "commit": ("Commit", "Commit"),
    "when": ("Waktu", "When"),
    "message": ("Pesan", "Message"),
    "checks": ("Pemeriksaan", "Checks"),
    "check": ("Pemeriksaan", "Check"),
    "status": ("Status", "Status"),
    "outcome": ("Hasil", "Outcome"),
    "hosts": ("Perangkat", "Hosts"),
    "log": ("Catatan jalan", "Log"),
    "operator": ("Pelaksana", "Operator"),
    "summary": ("Ringkasan", "Summary"),
    "started": ("Mulai", "Started"),
    "ended": ("Selesai", "Ended"),
    "start_run": ("Jalankan pekerjaan", "Start a run"),
    "playbook": ("Pekerjaan", "Playbook"),
    "target": ("Sasaran", "Target"),
    "host": ("Perangkat", "Host"),
    "or_opd": ("atau OPD", "or OPD"),
    "template": ("Templat perbaikan", "Repair template"),
    "variables": ("Variabel (NAMA=NILAI per baris)", "Variables (NAME=VALUE per line)"),
    "request_number": ("No. surat", "Request no."),
    "start": ("Jalankan", "Start"),
    "dry_run_note": (
        "Perbaikan selalu uji coba (dry run) dulu; penerapan adalah langkah kedua.",
        "A repair is always a dry run first; applying it is a second step.",
    ),
    "apply_repair": ("Terapkan perbaikan", "Apply the repair"),
    "apply_confirm": (
        "Saya sudah memeriksa uji coba dan ingin menerapkan perbaikan ini",
        "I checked the dry run and want to apply this repair",
    ),
    "queued": ("antre", "queued"),
    "running": ("berjalan", "running"),
    "done": ("selesai", "done"),
    "failed": ("gagal", "failed"),
    "interrupted": ("terputus", "interrupted"),
    "open_request": ("Buka permintaan", "Open a request"),
    "close_request": ("Tutup permintaan", "Close the request"),
    "received": ("Diterima", "Received"),
    "complaint": ("Keluhan", "Complaint"),
    "result": ("Hasil", "Result"),
    "note": ("Catatan", "Note"),
    "timeline": ("Linimasa", "Timeline"),
    "sop_steps": ("Langkah SOP", "SOP steps"),
    "step": ("Langkah", "Step"),
    "duration": ("Durasi", "Duration"),
    "overrun": ("Melewati target", "Overrun"),
    "open": ("terbuka", "open"),
    "closed": ("selesai", "closed"),
    "all": ("semua", "all"),
    "period": ("Periode", "Period"),
    "month": ("Bulan", "Month"),
    "from": ("Dari", "From"),
    "to": ("Sampai", "To"),
    "download": ("Unduh", "Download"),
    "show": ("Tampilkan", "Show"),
    "search_text": ("Teks atau pola", "Text or pattern"),
    "regex": ("Ekspresi reguler", "Regular expression"),
    "hits": ("Temuan", "Hits"),
    "line": ("Baris", "Line"),
    "no_hits": ("Tidak ada yang cocok.", "Nothing matches."),
    "action": ("Tindakan", "Action"),
    "from_where": ("Dari", "From"),
    "who": ("Siapa", "Who"),
    "via": ("Lewat", "Via"),
    "viewer_note": (
        "Peran viewer hanya dapat membaca.",
        "The viewer role can only read.",
    ),
    "progress": ("Kemajuan", "Progress"),
    "ok": ("baik", "ok"),
    "diff": ("Perbedaan", "Diff"),
    "language": ("English", "Bahasa Indonesia"),
    "devices_count": ("perangkat", "devices"),
    "jobs": ("Pekerjaan dari konsol", "Runs started from the console"),
    "open_run": ("Lihat hasil", "See the result"),
}


def check(lang: str | None) -> str:
    return lang if lang in LANGS else "id"


def translator(lang: str) -> Translator:
    return Translator(check(lang))


class Translator:
    """``t("dashboard")`` in the chosen language (the key itself when unknown)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.index = LANGS.index(lang)

    def __call__(self, key: str) -> str:
        pair = WORDS.get(key)
        return pair[self.index] if pair else key
