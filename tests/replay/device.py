"""What a replayed device answers to one line typed at its prompt (no SSH here).

Recorded commands get their recorded answer byte for byte. A few commands every client sends
at session start get the answer the real platform gives (IOS ``terminal length/width N`` and
``enable`` at ``#``: silently the prompt; a bare Enter: the prompt again). Anything else gets
the platform's real error reply, worded and positioned as the device would:

    R1#show ip route                      [admin@R1] > /ip route print
           ^                              bad command name route (line 1 column 5)
    % Invalid input detected at '^' marker.
                                          [admin@R1] >
    R1#

The word blamed is the first one that no recorded command starts with at that point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ROUTEROS = "mikrotik_routeros"
IOS = "cisco_ios"
QUIT = frozenset({"quit", "exit", "logout", "/quit"})

IOS_SILENT = (
    re.compile(r"^terminal (?:length|width) \d+$"),
    re.compile(r"^terminal no monitor$"),
    re.compile(r"^enable$"),  # already privileged (the recordings are at `#`)
)
"""Lines IOS answers with nothing but its prompt (in privileged mode)."""

ROUTEROS_EOL = "\r\n"
IOS_EOL = "\n"


@dataclass(frozen=True)
class DeviceSpec:
    """A replayed device as the server gets it (JSON-friendly)."""

    platform: str
    device: str
    greeting: str
    answers: dict[str, tuple[str, bool]]
    """command -> (text, framed: text holds echo and prompt)."""


def words(line: str) -> list[tuple[int, str]]:
    """(0-based column, word) of each word of a command line."""
    return [(m.start(), m.group()) for m in re.finditer(r"\S+", line)]


def first_unknown(line: str, known: list[str]) -> tuple[int, str] | None:
    """The first word of ``line`` that no known command has at that place (None: ``line``
    is a known command's beginning)."""
    known_words = [[w for _, w in words(k)] for k in known]
    typed = words(line)
    for index, (column, word) in enumerate(typed):
        prefix = [w for _, w in typed[: index + 1]]
        if not any(k[: index + 1] == prefix for k in known_words):
            return column, word
    return None


class Replay:
    """One session with one replayed device."""

    def __init__(self, spec: DeviceSpec, username: str) -> None:
        self.spec = spec
        self.username = username.split("+", 1)[0]  # RouterOS login options: admin+ct511w4098h

    @property
    def ios(self) -> bool:
        return self.spec.platform == IOS

    @property
    def prompt(self) -> str:
        if self.ios:
            return f"{self.spec.device}#"
        return f"[{self.username}@{self.spec.device}] > "

    @property
    def eol(self) -> str:
        return IOS_EOL if self.ios else ROUTEROS_EOL

    def greeting(self) -> str:
        """What the device prints once the shell opens, ending with its prompt."""
        if self.ios and self.spec.greeting:
            return self.spec.greeting  # Oxidized's init_prompt: banner + prompt, as recorded
        return self.eol + self.prompt

    def reply(self, line: str) -> str:
        """The device's whole answer to ``line``: echo, output, prompt."""
        command = line.strip()
        if command in self.spec.answers:
            text, framed = self.spec.answers[command]
            if framed:
                return text
            return line + self.eol + text + self.eol + self.prompt
        if not command or (self.ios and any(p.match(command) for p in IOS_SILENT)):
            return line + self.eol + self.prompt
        return line + self.eol + self.error(line) + self.prompt

    def error(self, line: str) -> str:
        """The platform's error reply to an unrecorded command (ends with a line break)."""
        found = first_unknown(line, list(self.spec.answers))
        eol = self.eol
        if self.ios:
            if found is None:
                return f"% Incomplete command.{eol}{eol}"
            caret = " " * (len(self.prompt) + found[0]) + "^"
            return f"{caret}{eol}% Invalid input detected at '^' marker.{eol}{eol}"
        if found is None:
            return f"expected end of command (line 1 column {len(line.rstrip()) + 1}){eol}"
        column, word = found
        if line[:column].strip() in self.spec.answers:  # a whole command, then an argument
            return f"expected end of command (line 1 column {column + 1}){eol}"
        name = word.lstrip("/")
        return f"bad command name {name} (line 1 column {column + 1 + len(word) - len(name)}){eol}"

    def closes_on(self, line: str) -> bool:
        """True when ``line`` ends the session (``quit``/``exit``)."""
        return line.strip() in QUIT
