"""The lab's own errors: each carries a one-line message and a hint.

The lab stands apart from netrawat (it imports nothing from it); whoever runs the lab (the
``netrawat lab`` command, the demo, test fixtures) turns a `LabError` into its own report.
"""

from __future__ import annotations

BAD_INPUT = 2
CANNOT_RUN = 3


class LabError(Exception):
    """Base of every error the lab raises on purpose."""

    exit_code: int = BAD_INPUT
    default_hint: str = ""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint or self.default_hint

    def one_line(self) -> str:
        """The message and hint as one line, with newlines folded away."""
        text = " ".join(self.message.split())
        if self.hint:
            text += f" (hint: {' '.join(self.hint.split())})"
        return text


class LabInputError(LabError):
    """A bad fleet file, fault, option or inventory given to the lab (exit code 2)."""


class LabCannotRunError(LabError):
    """The lab cannot start: addresses taken, no free slot (exit code 3)."""

    exit_code = CANNOT_RUN
