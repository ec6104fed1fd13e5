"""The recap (SOP step 5, *Buku laporan*): requests, one entry per run, and the report.

Playbooks record their runs with `start_run` (see `netrawat.recap.recorder`) and the
`netrawat.processors.recap.RecapProcessor`.

The names below load their module on first use, so that importing a light submodule such as
`netrawat.recap.values` keeps `netrawat --help` fast. `RecapStore`/`open_store` load
SQLAlchemy; the recorder loads it only when its run needs it (see `netrawat.recap.recorder`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netrawat.lazy import lazy_attributes

if TYPE_CHECKING:
    from netrawat.recap.recorder import HostRecord, Run, begin_run, start_run
    from netrawat.recap.store import RecapStore, open_store

__all__ = ["HostRecord", "RecapStore", "Run", "begin_run", "open_store", "start_run"]

__getattr__ = lazy_attributes(
    __name__,
    {
        "HostRecord": "netrawat.recap.recorder",
        "Run": "netrawat.recap.recorder",
        "begin_run": "netrawat.recap.recorder",
        "start_run": "netrawat.recap.recorder",
        "RecapStore": "netrawat.recap.store",
        "open_store": "netrawat.recap.store",
    },
)
