"""What a remediation engine returns: how one scope of a running config differs from intended."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Remediation:
    """Commands that turn running into intended, and the ones that undo them.

    ``missing``: intended lines the running config does not satisfy; ``extra``: running lines
    the intended config does not want (both as configuration text, for review)."""

    commands: list[str] = field(default_factory=list)
    rollback: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def compliant(self) -> bool:
        return not (self.commands or self.missing or self.extra)


class Engine(Protocol):
    """A platform's remediation engine.

    ``scope`` says which part of the running config the intended text describes: RouterOS
    menu paths (``/ip dns``), or IOS regexes matched against top-level lines (``^ntp server``).
    Everything outside the scope is left alone. ``exact``: intended is the whole state of the
    scope (restoring a backup, rolling back), not only what it names."""

    def remediate(
        self, running: str, intended: str, scope: Sequence[str], *, exact: bool = False
    ) -> Remediation: ...

    def apply(self, running: str, commands: Sequence[str]) -> str:
        """The running config as it would be after ``commands`` (offline, for checks)."""
        ...

    def scope_between(self, before: str, after: str) -> list[str]:
        """The scope covering everything that differs between two configurations."""
        ...

    def without_secrets(self, scope: Sequence[str], *texts: str) -> list[str]:
        """``scope`` without the entries whose part of any text holds a removed secret."""
        ...

    def scoped(self, intended: str, scope: Sequence[str]) -> str:
        """The part of ``intended`` inside ``scope``."""
        ...
