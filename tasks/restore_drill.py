"""Nornir task: restore one stored backup onto a fresh (factory) device and prove it.

    nornir.run(task=restore_drill, backups={"RTR-DINKES": text}, known_secrets=...)

RouterOS: the backup's lines (without its ``#`` header and the lines holding a removed
secret) become a script file on the device (``/file add name=netrawat-drill.rsc
contents=...``), checked with ``/import file-name=... dry-run`` where the release has it
(7.16+), then imported, then the file is removed. IOS: the remediation engine takes the
factory configuration to the backup exactly (what ``configure replace`` does on a box with
the file on flash), pushed line by line with the device's error strings checked.

Either way the configuration is read back like a backup (verified, normalized, sanitized)
and compared line by line with the stored one, apart from what a backup never holds: lines
with a removed secret, listed as not restorable from git. ``result`` is a `DrillOutcome`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from nornir.core.task import Result, Task

from netrawat.configs.pipeline import Prepared, Rejected, prepare
from netrawat.errors import DeviceCommandError
from netrawat.hostkeys import get_connection
from netrawat.platforms import profile_for
from netrawat.platforms.profile import PLACEHOLDER
from netrawat.repair.plan import restore_commands, unified
from netrawat.tasks.get_config import get_config
from netrawat.tasks.push_config import push_config

DRILL_FILE = "netrawat-drill.rsc"
IMPORT_OK = "Script file loaded and executed successfully"
DRY_RUN_SINCE = (7, 16)
"""``/import ... dry-run`` exists from RouterOS 7.16."""
FILE_CONTENTS_MAX = 60_000
"""RouterOS edits file contents up to 60 KB (MikroTik manual, Files); a bigger backup is
sent line by line instead, as ``/import`` would run it."""


@dataclass
class DrillOutcome:
    """One device's drill."""

    method: str = ""
    steps: list[str] = field(default_factory=list)
    not_restorable: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    """Unified diff, backup -> restored, of the comparable lines (empty: reproduced)."""

    @property
    def restored(self) -> bool:
        return not self.differences


def split_restorable(backup: str) -> tuple[list[str], list[str]]:
    """(lines a restore can send, lines holding a removed secret)."""
    lines = backup.splitlines()
    return [ln for ln in lines if PLACEHOLDER not in ln], [ln for ln in lines if PLACEHOLDER in ln]


def comparable(lines: list[str]) -> list[str]:
    """The lines compared: IOS ``!`` separators carry nothing (one may stand alone where a
    secret line between two of them was not restored)."""
    return [ln for ln in lines if ln.strip() != "!"]


def routeros_string(text: str) -> str:
    """``text`` as a quoted RouterOS string (``\\\\``, ``\\"``, ``\\$``, ``\\n`` escaped)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")
    return '"' + escaped.replace("\n", "\\n") + '"'


def _release(task: Task) -> tuple[int, ...]:
    conn = get_connection(task, "netmiko")
    reply = str(conn.send_command("/system resource print"))
    for line in reply.splitlines():
        if line.strip().startswith("version:"):
            words = line.split(":", 1)[1].split()
            return tuple(int(p) for p in words[0].split(".") if p.isdigit()) if words else ()
    return ()


def _run(task: Task, line: str, outcome: DrillOutcome, ok: str = "") -> None:
    """One checked command; ``ok``: a text the reply must hold."""
    pushed = task.run(task=push_config, name=line.split(" ", 1)[0], lines=[line])[0].result
    reply = " ".join(pushed.replies)
    outcome.steps.append(line if len(line) < 80 else line[:60] + "...")
    if not pushed.ok or (ok and ok not in reply):
        raise DeviceCommandError(
            f"{line[:60]!r} failed: {pushed.error or reply[:200] or 'no answer'}",
            "the backup does not restore as it is: see the drill's steps",
        )


def _import_routeros(task: Task, lines: list[str], outcome: DrillOutcome) -> None:
    script = [ln for ln in lines if ln.strip() and not ln.startswith("#")]
    body = "\n".join(script) + "\n"
    if len(body.encode()) > FILE_CONTENTS_MAX:
        outcome.method = "line by line (the script is over the 60 KB a /file can hold)"
        pushed = task.run(task=push_config, name="restore", lines=script)[0].result
        outcome.steps.append(f"{len(pushed.sent)} of {len(script)} lines sent")
        if not pushed.ok:
            raise DeviceCommandError(
                f"line {pushed.failed_line!r} refused: {pushed.error}",
                "the backup does not restore as it is: see the drill's steps",
            )
        return
    outcome.method = "/import"
    _run(task, f"/file add name={DRILL_FILE} contents={routeros_string(body)}", outcome)
    if _release(task) >= DRY_RUN_SINCE:
        _run(task, f"/import file-name={DRILL_FILE} dry-run", outcome, IMPORT_OK)
    else:
        outcome.steps.append("(no /import dry-run before RouterOS 7.16)")
    _run(task, f"/import file-name={DRILL_FILE}", outcome, IMPORT_OK)
    _run(task, f"/file remove {DRILL_FILE}", outcome)


def _replace_ios(task: Task, backup: str, known: frozenset[str], outcome: DrillOutcome) -> None:
    outcome.method = "replace (remediation engine, exact)"
    factory = _read(task, known).private
    commands = restore_commands(str(task.host.platform), backup, factory)
    pushed = task.run(task=push_config, name="restore", lines=commands)[0].result
    outcome.steps.append(f"{len(pushed.sent)} of {len(commands)} configuration lines sent")
    if not pushed.ok:
        raise DeviceCommandError(
            f"line {pushed.failed_line!r} refused: {pushed.error}",
            "the backup does not restore as it is: see the drill's steps",
        )


def _read(task: Task, known: frozenset[str]) -> Prepared:
    fetched = task.run(task=get_config, name="read config")[0].result
    prepared = prepare(fetched, None, min_ratio=0, known_secrets=known)
    if isinstance(prepared, Rejected):
        raise DeviceCommandError(
            f"the restored configuration failed the {prepared.check} check: {prepared.reason}",
            "the restore left the device in a state a backup would not accept",
        )
    return prepared


def restore_drill(
    task: Task, *, backups: Mapping[str, str], known_secrets: frozenset[str] = frozenset()
) -> Result:
    """Restore this host's stored backup, read it back, compare (see module docstring)."""
    platform = str(task.host.platform)
    backup = backups[task.host.name]
    lines, outcome_secret = split_restorable(backup)
    outcome = DrillOutcome(not_restorable=outcome_secret)
    if profile_for(platform).needs_major_version:
        _import_routeros(task, lines, outcome)
    else:
        _replace_ios(task, backup, known_secrets, outcome)
    restored = _read(task, known_secrets).stored
    got = [ln for ln in restored.splitlines() if PLACEHOLDER not in ln]
    if comparable(got) != comparable(lines):
        diff = unified("\n".join(comparable(lines)), "\n".join(comparable(got)), platform, "drill")
        outcome.differences = diff.splitlines()
    return Result(host=task.host, result=outcome, changed=True)
