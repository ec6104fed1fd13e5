"""The files of a lab directory (``netrawat lab up --dir DIR``)."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

FLEET = "fleet.yaml"
"""The fleet file the lab serves (mode 0600: it carries the throwaway passwords)."""
HOSTS, GROUPS, DEFAULTS, SECRETS = "hosts.yaml", "groups.yaml", "defaults.yaml", "secrets.yaml"
"""The Nornir inventory written for ``--inventory DIR``, and its secrets file."""
HOSTKEYS = "hostkeys"
"""One private SSH host key per device, stable across restarts."""
PID = "lab.pid"
LOG = "lab.log"
SOCKET = "control.sock"
MAX_SOCKET_PATH = 100
"""sun_path holds 108 bytes; deeper lab directories get their socket in the temp directory."""


def control_socket(lab_dir: Path) -> Path:
    """The control socket of the lab in ``lab_dir``."""
    path = lab_dir.resolve() / SOCKET
    if len(str(path).encode()) <= MAX_SOCKET_PATH:
        return path
    digest = hashlib.sha256(str(lab_dir.resolve()).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"netrawat-lab-{digest}.sock"
