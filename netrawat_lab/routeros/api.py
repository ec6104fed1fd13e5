"""The RouterOS API server (port 8728 protocol): one `ApiSession` per TCP connection.

Entry point for the lab server: `serve_api`. The wire format is in ``api_codec.py``, print
queries in ``api_query.py``, and the device side behind the `ApiBackend` protocol
(``api_backend.py``; ``api_device.py`` adapts the RouterOS personality to it).

What a real RouterOS 7 does and this reproduces:

- ``/login =name= =password=`` answers ``!done``; a wrong pair answers
  ``!trap =message=invalid user name or password (6)`` then ``!done`` and the session stays
  open. Any other command before login is ``!fatal`` ``not logged in`` and the connection closes.
- Every sentence of a reply carries ``.tag=X`` when the command had ``.tag=X``.
- ``print``/``getall``: one ``!re`` per item (``=.id=*1`` first), ``?`` queries,
  ``=.proplist=``, ``=count-only=`` (``!done =ret=N``); 7.18+ answers an empty result with
  ``!empty`` before ``!done``.
- Errors: ``!trap =message=...`` (with ``=category=`` where RouterOS gives one) then ``!done``:
  ``no such command prefix``, ``no such command``, ``unknown parameter X``, ``no such item``.
- ``/cancel [=tag=X]`` stops running commands (``!trap =category=2 =message=interrupted``,
  ``!done``) then answers ``!done``; ``/quit`` answers ``!fatal`` ``session terminated on request``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from netrawat_lab.routeros.api_backend import (
    CATEGORY_API,
    CATEGORY_INTERRUPTED,
    CATEGORY_MISSING,
    ApiBackend,
    ApiTrap,
    Reply,
)
from netrawat_lab.routeros.api_bulk import FaultCheck, bulk_fault, send_cut
from netrawat_lab.routeros.api_codec import ApiProtocolError, encode_sentence, read_sentence
from netrawat_lab.routeros.api_query import (
    CompiledQuery,
    QueryError,
    compile_query,
    matches,
    select_properties,
)

LOG = logging.getLogger(__name__)

LOGIN_FAILED = "invalid user name or password (6)"
PRE_LOGIN_MAX_WORD = 4096
"""Before login RouterOS limits what it accepts; after login words may be large (file contents)."""
POST_LOGIN_MAX_WORD = 64 * 1024 * 1024
PRINT_ARGUMENTS = frozenset(
    {
        ".proplist",
        "detail",
        "stats",
        "stats-detail",
        "count-only",
        "without-paging",
        "brief",
        "terse",
        "value-list",
        "from",
        "show-ids",
        "as-value",
    }
)
DRAIN_EVERY = 256
"""Rows of a print written before waiting for the client to take them."""
LONG_RUNNING = frozenset({"ping"})
"""Commands that run as a background task so ``/cancel`` can stop them."""


@dataclass
class ApiRequest:
    """One command sentence, split into its parts."""

    command: str
    """The full command word, e.g. ``/ip/address/print``."""
    args: dict[str, str] = field(default_factory=dict)
    queries: list[str] = field(default_factory=list)
    tag: str | None = None

    @property
    def path(self) -> str:
        """The menu: ``/ip/address`` for ``/ip/address/print``; ``""`` for ``/ping``."""
        return self.command.rsplit("/", 1)[0]

    @property
    def verb(self) -> str:
        """The command within its menu: ``print`` for ``/ip/address/print``."""
        return self.command.rsplit("/", 1)[1]


def parse_request(words: Sequence[str]) -> ApiRequest:
    """Split a sentence: ``=name=value`` arguments (``=name`` is an empty value), ``?`` query
    words, ``.tag=``; other words are ignored, as RouterOS does."""
    request = ApiRequest(command=words[0])
    for word in words[1:]:
        if word.startswith("="):
            name, _, value = word[1:].partition("=")
            request.args[name] = value
        elif word.startswith("?"):
            request.queries.append(word)
        elif word.startswith(".tag="):
            request.tag = word[len(".tag=") :]
    return request


class SessionClosed(Exception):
    """The session ends (``/quit``, a ``!fatal`` or a broken stream)."""


class ApiSession:
    """One API connection: reads sentences, answers them, until the client goes."""

    def __init__(
        self,
        backend: ApiBackend,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        check_login: Callable[[str, str], bool],
        delay_seconds: Callable[[], float] | None = None,
        *,
        has_fault: FaultCheck | None = None,
    ) -> None:
        self.backend = backend
        self.delay_seconds = delay_seconds
        self.has_fault = has_fault
        self.reader = reader
        self.writer = writer
        self.check_login = check_login
        self.user: str | None = None
        self.running: dict[asyncio.Task[None], str | None] = {}

    async def serve(self) -> None:
        """Serve until the client closes the connection or the session is ended."""
        try:
            while True:
                limit = POST_LOGIN_MAX_WORD if self.user else PRE_LOGIN_MAX_WORD
                words = await read_sentence(self.reader, max_length=limit)
                if words:
                    await self.handle(parse_request(words))
        except (asyncio.IncompleteReadError, ConnectionError, SessionClosed):
            pass
        except ApiProtocolError as exc:
            LOG.debug("API stream broken: %s", exc)
        finally:
            await self.close()

    async def close(self) -> None:
        """Stop running commands and close the connection."""
        for task in list(self.running):
            task.cancel()
        self.writer.close()
        with contextlib.suppress(ConnectionError, OSError):
            await self.writer.wait_closed()

    # -- replies -------------------------------------------------------------------------

    async def send(
        self, reply_word: str, attrs: Mapping[str, str], tag: str | None, *, drain: bool = True
    ) -> None:
        """Write one reply sentence (``drain=False`` leaves flow control to a later send)."""
        words = [reply_word, *(f"={name}={value}" for name, value in attrs.items())]
        if tag is not None:
            words.append(f".tag={tag}")
        self.writer.write(encode_sentence(words))
        if drain:
            await self.writer.drain()

    async def trap(self, error: ApiTrap, tag: str | None) -> None:
        """``!trap`` with the error, then ``!done``."""
        attrs = {} if error.category is None else {"category": str(error.category)}
        attrs["message"] = error.message
        await self.send("!trap", attrs, tag)
        await self.send("!done", {}, tag)

    async def fatal(self, message: str) -> None:
        """``!fatal`` with a plain message word, then the connection closes."""
        self.writer.write(encode_sentence(["!fatal", message]))
        with contextlib.suppress(ConnectionError):
            await self.writer.drain()
        raise SessionClosed(message)

    # -- dispatch ------------------------------------------------------------------------

    async def handle(self, request: ApiRequest) -> None:
        """Answer one command sentence (after the device's latency, if any)."""
        delay = self.delay_seconds() if self.delay_seconds is not None else 0.0
        if delay > 0:
            await asyncio.sleep(delay)
        if request.command == "/login":
            await self.login(request)
        elif self.user is None:
            await self.fatal("not logged in")
        elif request.command == "/quit":
            await self.fatal("session terminated on request")
        elif request.command == "/cancel":
            await self.cancel(request)
        elif not request.command.startswith("/") or request.command == "/":
            await self.trap(ApiTrap("no such command prefix"), request.tag)
        elif request.verb in LONG_RUNNING:
            task = asyncio.create_task(self.run_in_background(request))
            self.running[task] = request.tag
            task.add_done_callback(lambda done: self.running.pop(done, None))
        else:
            await self.run(request)

    async def login(self, request: ApiRequest) -> None:
        """Post-6.43 plain login (a bare ``/login`` is accepted and answers ``!done``)."""
        name = request.args.get("name")
        if name is None:
            await self.send("!done", {}, request.tag)
            return
        if self.check_login(name, request.args.get("password", "")):
            self.user = name
            await self.send("!done", {}, request.tag)
        else:
            await self.trap(ApiTrap(LOGIN_FAILED), request.tag)

    async def cancel(self, request: ApiRequest) -> None:
        """Stop the command with ``=tag=`` (every running command without it)."""
        wanted = request.args.get("tag")
        targets = [t for t, tag in self.running.items() if wanted is None or tag == wanted]
        if wanted is not None and not targets:
            await self.trap(ApiTrap("no such command", CATEGORY_MISSING), request.tag)
            return
        for task in targets:
            task.cancel()
        for task in targets:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.send("!done", {}, request.tag)

    async def run_in_background(self, request: ApiRequest) -> None:
        """`run` as a task: a lab bug ends the connection (as it would inline), never a
        silent hang of the client waiting for ``!done``."""
        try:
            await self.run(request)
        except (ConnectionError, OSError):
            self.writer.close()
        except Exception:
            LOG.exception("API command %s failed", request.command)
            self.writer.close()

    async def run(self, request: ApiRequest) -> None:
        """Run one command and send its whole reply."""

        async def emit(row: Mapping[str, str]) -> None:
            await self.send("!re", row, request.tag)

        try:
            if request.verb in ("print", "getall"):
                done = await self.print(request)
            elif request.verb == "get":
                done = self.get(request)
            else:
                done = await self.backend.call(request.path, request.verb, request.args, emit)
        except ApiTrap as error:
            await self.trap(error, request.tag)
        except asyncio.CancelledError:
            await self.trap(ApiTrap("interrupted", CATEGORY_INTERRUPTED), request.tag)
        else:
            await self.send("!done", done, request.tag)

    # -- generic print / get -------------------------------------------------------------

    def _query(self, request: ApiRequest) -> CompiledQuery:
        try:
            return compile_query(request.queries)
        except QueryError as exc:
            raise ApiTrap(str(exc), CATEGORY_API) from None

    async def print(self, request: ApiRequest) -> Reply:
        """``print``/``getall``: filtered, projected rows of a menu."""
        unknown = sorted(set(request.args) - PRINT_ARGUMENTS)
        if unknown:
            raise ApiTrap(f"unknown parameter {unknown[0]}")
        query = self._query(request)
        rows = [row for row in self.backend.rows(request.path, request.args) if matches(query, row)]
        if "count-only" in request.args:
            return {"ret": str(len(rows))}
        proplist_arg = request.args.get(".proplist")
        proplist = proplist_arg.split(",") if proplist_arg is not None else None
        fault = bulk_fault(request.path, self.has_fault)
        if fault is not None:
            sentences = [_re(select_properties(row, proplist), request.tag) for row in rows]
            await send_cut(self.reader, self.writer, sentences, fault)
        for number, row in enumerate(rows, start=1):
            row_attrs = select_properties(row, proplist)
            await self.send("!re", row_attrs, request.tag, drain=number % DRAIN_EVERY == 0)
        if not rows and self.backend.version >= (7, 18):
            await self.send("!empty", {}, request.tag)
        return {}

    def get(self, request: ApiRequest) -> Reply:
        """``get =value-name=X`` of a settings menu, or of one item (``=.id=``/``=number=``)."""
        rows = self.backend.rows(request.path, {})
        wanted = request.args.get(".id", request.args.get("number"))
        if wanted is not None:
            rows = [r for r in rows if wanted in (r.get(".id"), r.get("name"))]
            if not rows:
                raise ApiTrap("no such item", CATEGORY_MISSING)
        elif rows and ".id" in rows[0]:
            raise ApiTrap("missing value(s) of argument(s) number")
        if not rows:
            raise ApiTrap("no such command prefix")
        name = request.args.get("value-name")
        if name is None:
            return {"ret": ";".join(f"{k}={v}" for k, v in rows[0].items() if k != ".id")}
        if name not in rows[0]:
            raise ApiTrap(f"unknown parameter {name}")
        return {"ret": rows[0][name]}


async def serve_session(
    backend: ApiBackend,
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    check_login: Callable[[str, str], bool],
    delay_seconds: Callable[[], float] | None = None,
    *,
    has_fault: FaultCheck | None = None,
) -> None:
    """Serve one API connection against any `ApiBackend`."""
    session = ApiSession(backend, reader, writer, check_login, delay_seconds, has_fault=has_fault)
    await session.serve()


async def serve_api(
    device: object,
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    check_login: Callable[[str, str], bool],
    delay_seconds: Callable[[], float] | None = None,
    *,
    has_fault: FaultCheck | None = None,
) -> None:
    """Serve one RouterOS API connection of a lab device (called by the lab server on the
    device's ``api_port``). ``check_login(user, password)`` is the server's password check;
    ``delay_seconds()``, if given, is the latency before every reply (the ``slow`` fault);
    ``has_fault(name)`` tells whether ``hang``/``truncate`` cut bulk prints (`api_bulk`)."""
    from netrawat_lab.routeros.api_device import backend_for

    backend = backend_for(device)
    await serve_session(backend, reader, writer, check_login, delay_seconds, has_fault=has_fault)


def _re(attrs: Mapping[str, str], tag: str | None) -> bytes:
    """One encoded ``!re`` sentence, as `ApiSession.send` writes it."""
    words = ["!re", *(f"={key}={value}" for key, value in attrs.items())]
    if tag is not None:
        words.append(f".tag={tag}")
    return encode_sentence(words)
