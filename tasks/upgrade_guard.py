"""The upgrade guard of a backup: notice that a device runs another OS release than at its
last backup (`netrawat.configs.versions`), and re-validate the commands before trusting what
was fetched.

On a release change (or a RouterOS export refused outright, what a stale major version gives:
``show-sensitive`` is an error on v6) the device is asked its release (`probe_release`: the
collection command still answers and parses), the export command is chosen again for that
release and, if it differs from the one used, the configuration is fetched again with it.
Only then is the backup prepared and stored; a probe that fails means it is not trusted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from nornir.core.task import Result, Task

from netrawat.configs.pipeline import Prepared, Rejected
from netrawat.configs.verify import Fetched
from netrawat.platforms import profile_for
from netrawat.tasks.get_config import get_config
from netrawat.tasks.os_release import probe_release

Prepare = Callable[[Fetched], Prepared | Rejected]


def upgrade_text(host: str, before: str, after: str) -> str:
    """``RTR-DINKES 7.15.2 → 7.16.1``."""
    return f"{host} {before} \u2192 {after}"


@dataclass
class ReleaseCheck:
    """What the guard found for one host."""

    release: str | None = None
    upgraded_from: str | None = None
    revalidated: list[str] = field(default_factory=list)
    """Commands re-checked on the new release (probe, export command)."""
    refetched: bool = False
    problem: str = ""
    """Why the backup is not trusted (the probe failed or disagrees)."""


def _major(release: str) -> str:
    return release.split(".", 1)[0]


def _fetch_as(task: Task, release: str) -> Result:
    """Fetch again as if the inventory declared ``release`` (export command chosen for it)."""
    data = task.host.data
    had, old = "os_version" in data, data.get("os_version")
    data["os_version"] = release
    try:
        return task.run(task=get_config, name="read config (re-validated)")[0]
    finally:
        if had:
            data["os_version"] = old
        else:
            data.pop("os_version", None)


def guard_release(
    task: Task, got: Result, prepare: Prepare, last: str | None
) -> tuple[Fetched, Prepared | Rejected, ReleaseCheck]:
    """(fetched, prepared, check) after the guard (see module docstring)."""
    profile = profile_for(task.host.platform)
    fetched: Fetched = got.result
    outcome = prepare(fetched)
    check = ReleaseCheck(release=profile.version_from_config(fetched.output) or None)
    upgraded = bool(check.release and last and check.release != last)
    refused = isinstance(outcome, Rejected) and profile.needs_major_version
    if not (upgraded or refused):
        return fetched, outcome, check
    try:
        probed: str = task.run(task=probe_release, name="probe release")[0].result
    except Exception as exc:  # the collection command no longer answers as expected
        cause = getattr(getattr(exc, "result", None), "exception", None) or exc
        check.problem = f"release check failed: {cause}"
        return fetched, outcome, check
    check.revalidated.append(profile.release_probe)
    if check.release and not profile.same_release(check.release, probed):
        check.problem = f"the export says {check.release}, {profile.release_probe!r} {probed}"
        return fetched, outcome, check
    used = str(getattr(got, "major_version", "") or "")
    if profile.needs_major_version and used and _major(probed) != used:
        again = _fetch_as(task, probed)
        fetched, check.refetched = again.result, True
        check.revalidated.append(str(getattr(again, "command", "")))
        outcome = prepare(fetched)
        check.release = profile.version_from_config(fetched.output) or probed
    elif getattr(got, "command", ""):
        check.revalidated.append(str(getattr(got, "command", "")))
    check.release = check.release or probed
    if last and check.release != last:
        check.upgraded_from = last
    return fetched, outcome, check
