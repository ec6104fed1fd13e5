"""Benchmark: recap recording throughput and report build time on SQLite (or --db URL).

    .venv/bin/python bench/bench_recap.py [--hosts 2000] [--workers 20] [--processes 2]

Records ``--hosts`` host outcomes per process from ``--workers`` threads (as Nornir's threaded
runner does through RecapProcessor), in ``--processes`` processes writing at once, then builds
and renders the month's report. Prints one JSON line of figures.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from netrawat.recap import open_store, start_run
from netrawat.recap.render import render_html, render_xlsx
from netrawat.recap.report import build_report, choose_period
from netrawat.state import StateDir


def _writer(root: str, db: str | None, hosts: int, workers: int, index: int) -> float:
    store = open_store(StateDir(Path(root)), db)
    started = time.perf_counter()
    with (
        start_run(
            None, playbook="backup", preventive_id=f"PM-20261123-{index:04d}", store=store
        ) as run,
        ThreadPoolExecutor(workers) as pool,
    ):
        list(
            pool.map(
                lambda n: run.host(
                    f"R{index}-{n}",
                    opd=f"opd{n % 40}",
                    outcome="ok",
                    actions=["backup"],
                    commit=f"{n:07x}",
                ),
                range(hosts),
            )
        )
    store.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hosts", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=20)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--db", default=None)
    args = parser.parse_args()
    root = tempfile.mkdtemp(prefix="netrawat-bench-recap-")
    StateDir.resolve(Path(root))
    open_store(StateDir(Path(root)), args.db).close()
    started = time.perf_counter()
    with multiprocessing.Pool(args.processes) as pool:
        times = pool.starmap(
            _writer, [(root, args.db, args.hosts, args.workers, i) for i in range(args.processes)]
        )
    wall = time.perf_counter() - started
    store = open_store(StateDir(Path(root)), args.db)
    began = time.perf_counter()
    report = build_report(store, choose_period(None, None, None))
    render_html(report, "id")
    render_xlsx(report, "id", Path(root) / "rekap.xlsx")
    report_s = time.perf_counter() - began
    store.close()
    shutil.rmtree(root, ignore_errors=True)
    total = args.hosts * args.processes
    print(
        json.dumps(
            {
                "host_records": total,
                "processes": args.processes,
                "threads": args.workers,
                "wall_s": round(wall, 2),
                "records_per_s": round(total / wall),
                "slowest_process_s": round(max(times), 2),
                "report_build_render_s": round(report_s, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
