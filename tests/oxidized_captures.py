"""Read the recorded Oxidized device sessions in tests/captures/oxidized.

Each ``<model>#<device>#simulation.yaml`` maps a command to what the device printed, written as
a Ruby double-quoted string (``\\x20`` for a trailing space, ``\\\\`` and ``\\"``), so it is
unescaped here; ``#secret.yaml`` lists strings that must never be stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CAPTURES = ROOT / "tests" / "captures" / "oxidized"
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|[\\\"rnte])")
_SIMPLE = {"\\": "\\", '"': '"', "r": "\r", "n": "\n", "t": "\t", "e": "\x1b"}


def unescape(text: str) -> str:
    """Undo the Ruby string escapes of a simulation file."""

    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        return chr(int(code[1:], 16)) if code[0] == "x" else _SIMPLE[code]

    return _ESCAPE.sub(one, text)


@dataclass(frozen=True)
class Session:
    """One recorded device session."""

    path: Path
    platform: str
    commands: dict[str, str]
    must_not_store: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.path.name.removesuffix("#simulation.yaml")

    @property
    def config(self) -> str:
        """The configuration output, without IOS's command echo and trailing prompt."""
        if self.platform == "mikrotik_routeros":
            return self.commands["/export show-sensitive"]
        lines = self.commands["show running-config"].splitlines()
        if lines and lines[0].strip() == "show running-config":
            lines = lines[1:]
        if lines and lines[-1].rstrip().endswith("#"):
            lines = lines[:-1]
        return "\n".join(lines) + "\n"


def _commands(raw: dict[str, str] | list[dict[str, str]]) -> dict[str, str]:
    pairs = list(raw.items()) if isinstance(raw, dict) else [kv for d in raw for kv in d.items()]
    return {str(k).strip(): unescape(str(v)) for k, v in pairs}


def sessions(platform: str | None = None) -> list[Session]:
    """Every recorded session (of one platform), sorted by file name."""
    found = []
    for path in sorted(CAPTURES.glob("*#simulation.yaml")):
        plat = "cisco_ios" if path.name.startswith("ios#") else "mikrotik_routeros"
        if platform and plat != platform:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        secret = path.with_name(path.name.replace("#simulation.yaml", "#secret.yaml"))
        fail = yaml.safe_load(secret.read_text(encoding="utf-8"))["fail"] if secret.exists() else []
        found.append(Session(path, plat, _commands(data["commands"]), tuple(fail)))
    return found
