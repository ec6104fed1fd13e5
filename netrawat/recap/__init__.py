"""The recap (SOP step 5, *Buku laporan*): requests, one entry per run, and the report.

Playbooks record their runs with `start_run` (see `netrawat.recap.recorder`) and the
`netrawat.processors.recap.RecapProcessor`.
"""

from netrawat.recap.recorder import HostRecord, Run, begin_run, start_run
from netrawat.recap.store import RecapStore, open_store

__all__ = ["HostRecord", "RecapStore", "Run", "begin_run", "open_store", "start_run"]
