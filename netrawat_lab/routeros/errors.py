"""RouterOS's own error messages, as typed exceptions.

Every error carries the exact text RouterOS prints (CLI) or traps with (API). The CLI adds
its ``(line 1 column N)`` position itself where RouterOS does; the API session uses
`RouterOSError.category` as the trap category.
"""

from __future__ import annotations

# API trap categories (see the RouterOS API documentation).
CATEGORY_MISSING = 0
CATEGORY_ARGUMENT = 1
CATEGORY_GENERAL = 4


class RouterOSError(Exception):
    """A command RouterOS refuses; ``message`` is RouterOS's own text."""

    category = CATEGORY_GENERAL

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnknownMenu(RouterOSError):
    """No such menu path (CLI: ``bad command name X``, API: ``no such command prefix``)."""

    category = CATEGORY_MISSING

    def __init__(self, path: str, word: str = "") -> None:
        super().__init__("no such command prefix")
        self.path = path
        self.word = word or path.rstrip("/").rsplit("/", 1)[-1]


class UnknownCommand(RouterOSError):
    """The menu exists but has no such command (``add`` on a settings menu...)."""

    category = CATEGORY_MISSING

    def __init__(self, command: str) -> None:
        super().__init__("no such command")
        self.command = command


class UnknownArgument(RouterOSError):
    """An argument the menu does not have (CLI: ``expected end of command``)."""

    category = CATEGORY_ARGUMENT

    def __init__(self, name: str) -> None:
        super().__init__(f"unknown parameter {name}")
        self.name = name


class NoSuchItem(RouterOSError):
    """An ``.id``/name that matches nothing."""

    category = CATEGORY_MISSING

    def __init__(self) -> None:
        super().__init__("no such item")


class InvalidValue(RouterOSError):
    """A value of the wrong shape: ``invalid value for argument address``."""

    category = CATEGORY_ARGUMENT

    def __init__(self, argument: str) -> None:
        super().__init__(f"invalid value for argument {argument}")
        self.argument = argument


class NoMatchingValue(RouterOSError):
    """A reference to something that does not exist:
    ``input does not match any value of interface``."""

    category = CATEGORY_ARGUMENT

    def __init__(self, argument: str) -> None:
        super().__init__(f"input does not match any value of {argument}")
        self.argument = argument


class Failure(RouterOSError):
    """``failure: ...`` (duplicates, missing arguments, built-in items)."""

    def __init__(self, text: str) -> None:
        super().__init__(f"failure: {text}")
