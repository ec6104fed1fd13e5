"""Recorded sessions of real devices, read from ``tests/captures`` (nothing here is invented).

Two sources, one shape (`Recording`: what a replayed device answers, command by command):

- **Oxidized** ``oxidized/<model>#<device>#simulation.yaml``: whole sessions. IOS answers
  carry the command's echo and the trailing prompt as recorded; RouterOS answers were taken
  over SSH exec (Oxidized runs RouterOS in exec mode), so they hold the output only and the
  replay adds echo and prompt. ``init_prompt`` is what IOS printed before its first prompt.
- **NAPALM** ``napalm/test/ios/mocked_data/test_get_*/<case>/<command>.txt``: the outputs
  one IOS getter read, one replayed device per case (file names are NAPALM's sanitised
  command names, mapped back below), without echo or prompt.

One answer is derived rather than recorded, and says so (`Answer.derived`): RouterOS
``/export terse show-sensitive`` (what netrawat sends) from the recorded
``/export show-sensitive``, by joining the wrapped lines (`` \\`` + 4 spaces) and writing
every item with its menu path, as RouterOS does with ``terse``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from oxidized_captures import unescape

CAPTURES = Path(__file__).resolve().parent.parent / "captures"
OXIDIZED = CAPTURES / "oxidized"
NAPALM_IOS = CAPTURES / "napalm" / "test" / "ios" / "mocked_data"

ROUTEROS = "mikrotik_routeros"
IOS = "cisco_ios"

NAPALM_FILES = {
    "show_version": "show version",
    "show_hosts": "show hosts",
    "show_ip_interface_brief": "show ip interface brief",
    "show_interfaces": "show interfaces",
    "show_interface_summary": "show interface summary",
    "show_proc_cpu": "show proc cpu",
    "show_memory_statistics": "show memory statistics",
    "show_memory": "show memory",
    "show_env_temperature_status": "show env temperature status",
    "show_running_config": "show running-config",
    "show_startup_config": "show startup-config",
    "show_ntp_associations": "show ntp associations",
    "show_arp___exclude_Incomplete": "show arp | exclude Incomplete",
}
"""NAPALM's mocked-data file names (``command`` with ``[ /|:-]`` turned to ``_``) -> command."""

EXPORT = "/export show-sensitive"
TERSE_EXPORT = "/export terse show-sensitive"


@dataclass(frozen=True)
class Answer:
    """What the device printed for one command."""

    text: str
    framed: bool = False
    """True when ``text`` already holds the echo and the trailing prompt (Oxidized IOS)."""
    derived: bool = False
    """True when derived from another recorded answer (see the module docstring)."""


@dataclass(frozen=True)
class Recording:
    """One real device as recorded."""

    key: str
    """Test id: ``oxidized:routeros#CHR_7.16`` or ``napalm:test_get_facts/normal``."""
    source: str
    platform: str
    device: str
    """The device's own name (its prompt), as recorded; see `device_name`."""
    greeting: str
    """What the device prints after login, before its first prompt (IOS: ``init_prompt``)."""
    answers: dict[str, Answer]
    must_not_store: tuple[str, ...] = ()
    """Strings Oxidized's ``#secret.yaml`` says must never be stored."""
    files: tuple[Path, ...] = field(default=(), compare=False)

    @property
    def host(self) -> str:
        """A unique inventory host name for this recording."""
        slug = re.sub(r"[^A-Za-z0-9]+", "-", self.key.split(":", 1)[1]).strip("-")
        return f"{'ox' if self.source == 'oxidized' else 'np'}-{slug}"[:60]

    def output(self, command: str) -> str | None:
        """What the device printed for ``command`` without echo and prompt (None: not
        recorded)."""
        answer = self.answers.get(command)
        if answer is None:
            return None
        if not answer.framed:
            return answer.text
        return "\n".join(answer.text.split("\n")[1:-1])

    @property
    def config(self) -> str | None:
        """The configuration exactly as the device printed it (no echo, no prompt), or None
        when the recording has none: RouterOS the terse export, IOS ``show running-config``."""
        return self.output(TERSE_EXPORT if self.platform == ROUTEROS else "show running-config")


def terse(export: str) -> str:
    """RouterOS ``export terse`` from a wrapped (non-terse) export of the same device."""
    joined: list[str] = []
    for line in export.split("\n"):
        if joined and joined[-1].endswith("\\"):
            joined[-1] = joined[-1][:-1] + line.removeprefix("    ")
        else:
            joined.append(line)
    menu, out = "", []
    for line in joined:
        if line.startswith("/"):  # a wrapped export has menu paths on lines of their own
            menu = line
        elif line.startswith("#") or not line.strip():
            out.append(line)
        else:
            out.append(f"{menu} {line}")
    return "\n".join(out)


def device_name(platform: str, answers: dict[str, Answer], greeting: str = "") -> str:
    """The device's name as recorded: the prompt Oxidized saw, IOS ``hostname`` or
    ``X uptime is``, RouterOS ``/system identity set name=``; else the platform's factory
    name (``Router``, ``MikroTik``)."""
    prompt = re.search(r"^([^\s#>]+)#\s*$", greeting.rstrip().rsplit("\n", 1)[-1])
    if prompt:
        return prompt.group(1)
    texts = "\n".join(a.text for a in answers.values())
    if platform == ROUTEROS:
        found = re.search(r"^/system identity set name=(\S+)$", terse(texts), re.MULTILINE)
        return found.group(1).strip('"') if found else "MikroTik"
    found = re.search(r"^hostname (\S+)$", texts, re.MULTILINE) or re.search(
        r"^(\S+) uptime is ", texts, re.MULTILINE
    )
    return found.group(1) if found else "Router"


def _pairs(raw: dict[str, str] | list[dict[str, str]]) -> list[tuple[str, str]]:
    return list(raw.items()) if isinstance(raw, dict) else [kv for d in raw for kv in d.items()]


def oxidized(path: Path) -> Recording:
    """One Oxidized simulation file."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    platform = IOS if path.name.startswith("ios#") else ROUTEROS
    framed = platform == IOS
    answers = {
        str(cmd).strip(): Answer(unescape(str(text)), framed=framed)
        for cmd, text in _pairs(doc["commands"])
    }
    if EXPORT in answers:
        answers[TERSE_EXPORT] = Answer(terse(answers[EXPORT].text), derived=True)
    greeting = unescape(str(doc.get("init_prompt") or ""))
    secret = path.with_name(path.name.replace("#simulation.yaml", "#secret.yaml"))
    fail = yaml.safe_load(secret.read_text(encoding="utf-8"))["fail"] if secret.exists() else []
    files = (path, secret) if secret.exists() else (path,)
    return Recording(
        key=f"oxidized:{path.name.removesuffix('#simulation.yaml')}",
        source="oxidized",
        platform=platform,
        device=device_name(platform, answers, greeting),
        greeting=greeting,
        answers=answers,
        must_not_store=tuple(str(s) for s in fail),
        files=files,
    )


def napalm_case(case: Path) -> Recording:
    """One NAPALM mocked-data case (one getter's recorded outputs) as one IOS device."""
    answers: dict[str, Answer] = {}
    for txt in sorted(case.glob("*.txt")):
        command = NAPALM_FILES.get(txt.stem) or txt.stem.replace("_", " ")
        answers[command] = Answer(txt.read_text(encoding="utf-8"))
    expected = json.loads((case / "expected_result.json").read_text(encoding="utf-8"))
    name = device_name(IOS, answers)
    if isinstance(expected, dict) and isinstance(expected.get("hostname"), str):
        name = expected["hostname"]
    return Recording(
        key=f"napalm:{case.parent.name}/{case.name}",
        source="napalm",
        platform=IOS,
        device=name,
        greeting="",
        answers=answers,
        files=tuple(sorted(case.glob("*.txt"))),
    )


def all_recordings() -> list[Recording]:
    """Every recording in the captures: the Oxidized sessions, then NAPALM's IOS cases."""
    found = [oxidized(p) for p in sorted(OXIDIZED.glob("*#simulation.yaml"))]
    found += [napalm_case(c) for c in sorted(NAPALM_IOS.glob("test_get_*/*")) if c.is_dir()]
    return found
