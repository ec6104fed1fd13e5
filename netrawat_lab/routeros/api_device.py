"""The RouterOS personality behind the API session: `ModelBackend` adapts a device's
`RouterOSModel` (and its live state) to the `ApiBackend` protocol.

Generic menu commands map onto the model: ``print``/``getall`` → `RouterOSModel.print`,
``add``/``set``/``unset``/``remove``/``enable``/``disable``/``move`` (``=destination=``;
``add`` takes ``=place-before=`` in ordered menus) → the model operations, with
items named by ``=.id=`` or ``=numbers=`` (a ``.id``, a key such as ``ether1``, or a
comma-separated list of them, as RouterOS accepts). A `RouterOSError` becomes a ``!trap``
with RouterOS's own message and category.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from netrawat_lab.routeros.api_backend import ApiTrap, Emit, Reply
from netrawat_lab.routeros.errors import RouterOSError, UnknownCommand
from netrawat_lab.routeros.model import RouterOSModel, is_menu, is_menu_prefix, normalise_path

ITEM_ARGS = (".id", "numbers")
FILE_INLINE_LIMIT = 4095
"""``/file print`` shows ``contents`` only for files up to this size; bigger ones must be
read with ``/file/read`` (7.13+), which is the path librouteros takes for a big export."""
READ_CHUNK_MAX = 32768
_UNITS = {"B": 1, "KiB": 1024, "MiB": 1024**2, "GiB": 1024**3}


def api_bytes(value: str) -> str:
    """``834.6MiB`` (CLI) → ``875141529`` (API gives sizes as a number of bytes).

    >>> api_bytes("1024.0MiB"), api_bytes("12")
    ('1073741824', '12')
    """
    for unit, scale in sorted(_UNITS.items(), key=lambda pair: -len(pair[0])):
        number = value[: -len(unit)]
        if value.endswith(unit) and number.replace(".", "", 1).isdigit():
            return str(int(float(number) * scale))
    return value


def api_number(value: str) -> str:
    """``3%`` / ``1400MHz`` / ``2048KiB`` → the bare number, as the API shows it."""
    for unit in ("%", "MHz", "KiB"):
        if value.endswith(unit) and value[: -len(unit)].isdigit():
            return value[: -len(unit)]
    return value


API_FORMATS: dict[str, dict[str, Callable[[str], str]]] = {
    "/system/resource": {
        "free-memory": api_bytes,
        "total-memory": api_bytes,
        "free-hdd-space": api_bytes,
        "total-hdd-space": api_bytes,
        "cpu-load": api_number,
        "cpu-frequency": api_number,
        "bad-blocks": api_number,
    },
    "/ip/dns": {"cache-size": api_number, "cache-used": api_number},
}
"""Properties whose API form differs from what the CLI prints (the model keeps CLI text)."""
API_DEFAULTS: dict[str, dict[str, str]] = {"/snmp": {"engine-id": "80003a8c04"}}
"""Read-only properties RouterOS always prints that the model may leave out (napalm-ros
``get_snmp_information`` fails without ``engine-id``)."""
Command = Callable[[str, dict[str, str], Emit], Awaitable[Reply]]
Fallback = Callable[[str, str, dict[str, str]], Awaitable[Reply]]
"""Runs a command that is neither a menu operation nor in ``commands`` (path, verb, args)."""


def trap_from(error: RouterOSError) -> ApiTrap:
    """The API trap for a model error."""
    return ApiTrap(error.message, error.category)


def _items(args: dict[str, str]) -> list[str] | None:
    """Pop the item selector (``.id`` / ``numbers``) from the arguments."""
    for name in ITEM_ARGS:
        if name in args:
            return [part for part in args.pop(name).split(",") if part]
    return None


class ModelBackend:
    """`ApiBackend` over one device's configuration model.

    ``commands`` maps ``(path, verb)`` to the device-specific commands (``("", "ping")``,
    ``("", "export")``...) that are not generic menu operations.
    """

    def __init__(
        self,
        model: RouterOSModel,
        version: tuple[int, ...],
        commands: Mapping[tuple[str, str], Command] | None = None,
        fallback: Fallback | None = None,
    ) -> None:
        self.model = model
        self.version = version
        self.commands: dict[tuple[str, str], Command] = {("/file", "read"): self.file_read}
        self.commands.update(commands or {})
        self.fallback = fallback

    async def file_read(self, _path: str, args: dict[str, str], emit: Emit) -> Reply:
        """``/file/read file= offset= chunk-size=``: one ``!re =data=`` with that slice."""
        name = args.get("file", "")
        offset, size = args.get("offset", "0"), args.get("chunk-size", str(READ_CHUNK_MAX))
        if not offset.isdigit() or not size.isdigit() or int(size) > READ_CHUNK_MAX:
            raise ApiTrap("invalid value for argument chunk-size", 1)
        data = self.model.get("/file", name).values.get("contents", "").encode()
        chunk = data[int(offset) : int(offset) + int(size)]
        await emit({"data": chunk.decode(errors="replace")})
        return {}

    def rows(self, path: str, args: Mapping[str, str]) -> list[Reply]:
        """The rows of a menu, booleans shown ``true``/``false`` as the API does."""
        try:
            rows = self.model.print(path, booleans="api")
        except UnknownCommand:
            raise ApiTrap("no such command", 0) from None
        except RouterOSError as error:
            raise trap_from(error) from None
        menu = normalise_path(path)
        formats = API_FORMATS.get(menu, {})
        for row in rows:
            for name, convert in formats.items():
                if name in row:
                    row[name] = convert(row[name])
            for name, value in API_DEFAULTS.get(menu, {}).items():
                row.setdefault(name, value)
        if menu == "/file":
            for row in rows:
                if int(row.get("size") or 0) > FILE_INLINE_LIMIT:
                    row.pop("contents", None)
        return rows

    async def call(self, path: str, command: str, args: Mapping[str, str], emit: Emit) -> Reply:
        """A generic menu command or a device command from ``commands``."""
        arguments = dict(args)
        special = self.commands.get((path, command)) or self.commands.get(("*", command))
        try:
            if special is not None:
                return await special(path, arguments, emit)
            if self.fallback is not None and not is_menu(path):
                return await self.fallback(path, command, arguments)
            return self._menu_command(path, command, arguments)
        except RouterOSError as error:
            raise trap_from(error) from None

    def _menu_command(self, path: str, command: str, args: dict[str, str]) -> Reply:
        if not is_menu(path):
            prefix = is_menu_prefix(path)
            raise ApiTrap("no such command" if prefix else "no such command prefix", 0)
        if command == "add":
            return {"ret": self.model.add(path, args)}
        if command == "move":
            items = _items(args)
            self.model.move(path, _required_list(items), args.pop("destination", None))
            return {}
        operations: dict[str, Callable[[str | None, dict[str, str]], None]] = {
            "set": lambda item, rest: self.model.set(path, item, rest),
            "unset": lambda item, rest: self.model.unset(
                path, item, rest.get("value-name", "").split(",")
            ),
            "remove": lambda item, _rest: self.model.remove(path, _required(item)),
            "enable": lambda item, _rest: self.model.enable(path, _required(item)),
            "disable": lambda item, _rest: self.model.disable(path, _required(item)),
        }
        operation = operations.get(command)
        if operation is None:
            raise ApiTrap("no such command", 0)
        items = _items(args)
        for item in items if items is not None else [None]:
            operation(item, args)
        return {}


def _required(item: str | None) -> str:
    if item is None:
        raise ApiTrap("missing value(s) of argument(s) .id", 1)
    return item


def _required_list(items: list[str] | None) -> list[str]:
    if not items:
        raise ApiTrap("missing value(s) of argument(s) numbers", 1)
    return items


def backend_for(device: Any) -> ModelBackend:
    """The API backend of a lab `RouterOSDevice`: its model, release and device commands."""
    from netrawat_lab.routeros.api_commands import DeviceCommands

    version = tuple(device.version) if getattr(device, "version", None) else (7, 16)
    commands = DeviceCommands(device)
    return ModelBackend(device.model, version, commands.table(), commands.cli)
