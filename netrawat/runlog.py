"""One log file per run in ``<state>/logs/``: what Nornir and netrawat log, tracebacks included.

Failed tasks are reported on stderr as one line per host; the full traceback of each goes here,
so a failure seen in cron mail can be looked into afterwards. Old logs are pruned
(the newest `KEEP_LOGS` stay).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

KEEP_LOGS = 200
LOGGERS = ("nornir", "netrawat")
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"


@dataclass
class RunLog:
    """An open run log; `close` detaches it."""

    path: Path
    handler: logging.Handler

    def close(self) -> None:
        for name in LOGGERS:
            logging.getLogger(name).removeHandler(self.handler)
        self.handler.close()


def open_run_log(logs_dir: Path) -> RunLog:
    """Start ``<logs_dir>/<UTC time>-<pid>.log`` (mode 0600) for the loggers in `LOGGERS`."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    path = logs_dir / f"{stamp}-{os.getpid()}.log"
    _prune(logs_dir)
    path.touch(mode=0o600)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.setLevel(logging.INFO)
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET or logger.level > logging.INFO:
            logger.setLevel(logging.INFO)
        logger.addHandler(handler)
    return RunLog(path=path, handler=handler)


def _prune(logs_dir: Path) -> None:
    logs = sorted(logs_dir.glob("*.log"))
    for old in logs[: max(0, len(logs) - KEEP_LOGS + 1)]:
        old.unlink(missing_ok=True)
