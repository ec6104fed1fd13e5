"""The OPDs (city agencies) of Kota Pontianak the lab fleet is modelled on.

Used when no example inventory (``inventory/groups.yaml``) is there to copy from. Contacts are
placeholders on a reserved domain: the lab must never mail a real office.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Opd:
    """One OPD: short code, full name, kind, and the group data written to groups.yaml."""

    code: str
    name: str
    kind: str  # dinas | badan | kecamatan | rsud | sekretariat
    data: dict[str, Any] = field(default_factory=dict)
    group_name: str = ""

    @property
    def group(self) -> str:
        """The inventory group of the OPD, e.g. ``opd_dinkes``."""
        return self.group_name or f"opd_{self.code}"

    @property
    def tag(self) -> str:
        """The hostname part, e.g. ``DINKES`` (``KEC-BARAT`` for ``kec_barat``)."""
        return self.code.upper().replace("_", "-")

    def group_data(self) -> dict[str, Any]:
        """The ``data`` of its inventory group."""
        base: dict[str, Any] = {
            "opd": self.code,
            "opd_name": self.name,
            "kind": self.kind,
            "address": "Kota Pontianak, Kalimantan Barat",
            "contact": {
                "name": f"Pengelola jaringan {self.tag}",
                "phone": "+62 561 000000",
                "email": f"jaringan.{self.code}@lab.netrawat.invalid",
            },
        }
        return {**base, **self.data}


BUILTIN_OPDS: tuple[Opd, ...] = tuple(
    Opd(code, name, kind)
    for code, name, kind in (
        ("diskominfo", "Dinas Komunikasi dan Informatika", "dinas"),
        ("dinkes", "Dinas Kesehatan", "dinas"),
        ("disdikbud", "Dinas Pendidikan dan Kebudayaan", "dinas"),
        ("dukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "dinas"),
        ("dishub", "Dinas Perhubungan", "dinas"),
        ("dlh", "Dinas Lingkungan Hidup", "dinas"),
        ("dinsos", "Dinas Sosial", "dinas"),
        ("dpmptsp", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "dinas"),
        ("bappeda", "Badan Perencanaan Pembangunan Daerah", "badan"),
        ("bkpsdm", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "badan"),
        ("bkd", "Badan Keuangan Daerah", "badan"),
        ("bpbd", "Badan Penanggulangan Bencana Daerah", "badan"),
        ("setda", "Sekretariat Daerah", "sekretariat"),
        ("setwan", "Sekretariat DPRD", "sekretariat"),
        ("rsud", "RSUD Sultan Syarif Mohamad Alkadrie", "rsud"),
        ("kec_kota", "Kecamatan Pontianak Kota", "kecamatan"),
        ("kec_barat", "Kecamatan Pontianak Barat", "kecamatan"),
        ("kec_selatan", "Kecamatan Pontianak Selatan", "kecamatan"),
        ("kec_tenggara", "Kecamatan Pontianak Tenggara", "kecamatan"),
        ("kec_timur", "Kecamatan Pontianak Timur", "kecamatan"),
        ("kec_utara", "Kecamatan Pontianak Utara", "kecamatan"),
    )
)
