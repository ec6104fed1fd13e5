"""Checks a fetched configuration must pass before it may replace the stored backup.

Existing tools store whatever came back; netrawat never does. `verify` runs the checks in
order and returns the first failure as a typed `Verdict`:

1. ``prompt``: the device's prompt came back after the output (a hung or dropped session
   leaves it missing);
2. ``error``: the reply does not start with one of the platform's rejection strings;
3. ``empty``: there is configuration at all;
4. ``end``: the platform's end check passes (``PlatformProfile.end_problem``: IOS ``end``;
   RouterOS: the export ends on a complete line, not a cut-off one);
5. ``size``: the line count has not collapsed against the previous backup (fewer than
   ``min_ratio`` of its lines is suspect).

Reasons go into commit messages and the recap, so they never quote configuration text (a
cut-off line may end inside a secret the sanitizer cannot recognise any more); the raw output
is in the quarantine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from netrawat.platforms import profile_for

DEFAULT_MIN_RATIO = 0.6
"""A new backup with fewer than 60 % of the previous one's lines is suspect (a factory-reset
IOS router keeps about 56 %)."""


@dataclass(frozen=True)
class Verdict:
    """The outcome of verification: ``ok``, or the failed check and why."""

    ok: bool
    check: str = ""
    reason: str = ""

    @classmethod
    def passed(cls) -> Verdict:
        return cls(True)

    @classmethod
    def failed(cls, check: str, reason: str) -> Verdict:
        return cls(False, check, reason)


@dataclass(frozen=True)
class Fetched:
    """What came back from the device for the show-config command."""

    platform: str
    output: str
    """The reply without the command echo and the trailing prompt."""
    prompt_returned: bool
    problem: str = ""
    """Why the prompt did not come back (timeout, connection closed), if it did not."""


def _content_lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines() if line.strip()]


_CARET = re.compile(r"^\s*\^\s*$")


def _first_words(output: str, command: str) -> str:
    """The first line of the reply that is neither an IOS caret marker nor the echo of the
    show-config ``command``: a refused command answers with its error at once, while free
    text further down (an IOS banner line ``% Authorized use only``) is configuration."""
    for raw in output.splitlines():  # `_content_lines`, up to the first such line
        line = raw.rstrip()
        if line.strip() and not _CARET.match(line) and not line.strip().startswith(command):
            return line
    return ""


VALUE_FREE_ERRORS = (
    re.compile(r"^% Invalid input detected at '\^' marker\.$"),
    re.compile(r"^% Incomplete command\.$"),
    re.compile(r"^% Ambiguous command"),
    re.compile(r"^% Unknown command or computer name"),
)
"""Device error messages that hold no value from the configuration: quoted as they are."""


def _error_gist(line: str, patterns: tuple[str, ...]) -> str:
    """The device's words when they hold no value (`VALUE_FREE_ERRORS`, the part matched),
    else only the part of the line the platform's error pattern matched."""
    for known in VALUE_FREE_ERRORS:
        found = known.search(line)
        if found:
            return found.group(0)
    for pattern in patterns:
        match = re.search(pattern, line)
        if match:
            return match.group(0).strip()
    return "(unrecognised error)"


def _size_problem(lines: int, previous_lines: int | None, min_ratio: float) -> str | None:
    if previous_lines is None or previous_lines == 0 or min_ratio <= 0:
        return None
    if lines < previous_lines * min_ratio:
        return (
            f"size collapsed: {lines} lines against {previous_lines} in the previous backup "
            f"(below {min_ratio:.0%})"
        )
    return None


def verify(
    fetched: Fetched,
    *,
    previous_lines: int | None = None,
    min_ratio: float = DEFAULT_MIN_RATIO,
) -> Verdict:
    """Run every check on ``fetched``; the first failure is the verdict.

    ``previous_lines`` is the content line count of the stored backup (None when there is
    none yet); compare like with like (both normalized).
    """
    profile = profile_for(fetched.platform)
    if not fetched.prompt_returned:
        return Verdict.failed(
            "prompt", f"prompt did not come back after the output ({fetched.problem or 'no'})"
        )
    error = profile.find_error(_first_words(fetched.output, profile.show_config_command))
    if error:
        gist = _error_gist(error, profile.error_patterns)
        return Verdict.failed("error", f"device replied with an error: {gist}")
    lines = _content_lines(fetched.output)
    if not lines:
        return Verdict.failed("empty", "the device returned an empty configuration")
    end_problem = profile.end_problem(lines)
    if end_problem:
        return Verdict.failed("end", end_problem)
    size = _size_problem(len(lines), previous_lines, min_ratio)
    if size:
        return Verdict.failed("size", size)
    return Verdict.passed()


def content_line_count(text: str) -> int:
    """Number of non-blank lines, the measure the size check compares."""
    return len(_content_lines(text))
