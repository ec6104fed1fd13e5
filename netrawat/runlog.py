"""One log file per run in ``<state>/logs/``: what Nornir and netrawat log, tracebacks included.

Failed tasks are reported on stderr as one line per host; the full traceback of each goes here,
so a failure seen in cron mail can be looked into afterwards. Old logs are pruned
(the newest `KEEP_LOGS` stay).
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

KEEP_LOGS = 200
LOGGERS = ("nornir", "netrawat", "paramiko")
LEVELS = {"paramiko": logging.WARNING}
"""paramiko logs every session at INFO; only its warnings and errors (the "Error reading SSH
protocol banner" traceback of a device that accepts TCP and never answers) are worth keeping."""
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"


for _name in LOGGERS:
    # without a handler Python's last resort prints warnings on stderr: paramiko's transport
    # thread would put a traceback there for one unanswering device (a per-host failure that
    # the playbook already reports in one line)
    logging.getLogger(_name).addHandler(logging.NullHandler())


class _RunLogHandler(logging.FileHandler):
    """A file handler that never writes ``--- Logging error ---`` blocks on stderr (a full
    disk): the run goes on and its own checks report what could not be written."""

    write_failed = False

    def handleError(self, record: logging.LogRecord) -> None:
        self.write_failed = True


LAST_LOG: list[Path] = []
"""The run log this process opened last (a crash's traceback is appended to it)."""


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
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
    LAST_LOG[:] = [path]
    handler = _RunLogHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.setLevel(logging.INFO)
    for name in LOGGERS:
        logger = logging.getLogger(name)
        level = LEVELS.get(name, logging.INFO)
        if logger.level == logging.NOTSET or logger.level > level:
            logger.setLevel(level)
        logger.addHandler(handler)
    return RunLog(path=path, handler=handler)


def _prune(logs_dir: Path) -> None:
    logs = sorted(logs_dir.glob("*.log"))
    for old in logs[: max(0, len(logs) - KEEP_LOGS + 1)]:
        old.unlink(missing_ok=True)


def write_crash(text: str) -> Path:
    """Append a crash's traceback to this process's run log, or, without one, write it to a
    new owner-only file in the temporary directory; the path written (OSError if none could
    be)."""
    if LAST_LOG and LAST_LOG[0].is_file():
        path = LAST_LOG[0]
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        return path
    fd, name = tempfile.mkstemp(prefix="netrawat-crash-", suffix=".log")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    return Path(name)
