"""Process exit codes shared by every netrawat command (documented in the README)."""

from enum import IntEnum


class ExitCode(IntEnum):
    """What a `netrawat` process tells cron, systemd and shell scripts."""

    OK = 0
    """Every selected host succeeded and was found healthy."""
    HOSTS_FAILED = 1
    """The run completed, but some hosts failed or were found unhealthy."""
    BAD_INPUT = 2
    """Bad input or usage: broken inventory, unknown option, invalid value. Nothing ran."""
    CANNOT_RUN = 3
    """The run could not start at all: lock held, state directory unusable, lab not running."""
    INTERNAL_ERROR = 4
    """An unexpected internal error (a bug): one line on stderr names the log with the
    traceback."""
    INTERRUPTED = 130
    """Stopped by Ctrl-C (SIGINT), the shell's convention (128 + 2)."""
