"""Is a process still there? One answer for the run lock's holder, the recap's unfinished runs
and the web worker's jobs.

>>> pid_alive(os.getpid())
True
>>> pid_alive(None), pid_alive(0)
(False, False)
"""

from __future__ import annotations

import os


def pid_alive(pid: int | None) -> bool:
    """True when a process with this pid exists on this machine (signal 0 probes it). Our own
    pid is alive; no pid (None, 0 or negative: a process group, not a process) is not. A
    process we may not signal (another user's) exists, so it is alive."""
    if pid is None or pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
