"""The last guard: no response leaves with a value of the secrets file in it.

An ASGI middleware that holds back every text response (HTML, JSON, plain, csv, markdown) and,
when it contains a device password or any other value of the secrets file, replaces it with a
500 saying the response was withheld. Binary downloads (xlsx) carry only report book data.
Security headers and ``Server-Timing: app;dur=MS`` (the application's time) are added to every
response.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

TEXT_TYPES = (b"text/", b"application/json")
WITHHELD = b'{"detail":{"error":"response withheld: it would have shown a secret"}}'
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"frame-ancestors 'none'; form-action 'self'",
    ),
]


def _timing(began: float) -> tuple[bytes, bytes]:
    """``Server-Timing: app;dur=MS``: the time the application took (bench/web_console.py)."""
    return (b"server-timing", f"app;dur={(time.perf_counter() - began) * 1000:.1f}".encode())


class SecretGuard:
    """Withhold any text response containing one of ``secrets``."""

    def __init__(self, app: ASGIApp, secrets: Callable[[], frozenset[str]]) -> None:
        self.app = app
        self.secrets = secrets

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []
        textual = False
        began = time.perf_counter()

        async def hold(message: Message) -> None:
            nonlocal start, textual
            if message["type"] == "http.response.start":
                start = message
                headers = dict(message.get("headers", []))
                textual = headers.get(b"content-type", b"").startswith(TEXT_TYPES)
                message["headers"] = [*message.get("headers", []), *HEADERS, _timing(began)]
                if not textual:
                    await send(message)
                return
            if not textual:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            if start is not None:  # the whole body is here: the server time is known
                start["headers"] = [h for h in start["headers"] if h[0] != b"server-timing"] + [
                    _timing(began)
                ]
            await self._release(start, b"".join(chunks), send)

        await self.app(scope, receive, hold)

    async def _release(self, start: Message | None, body: bytes, send: Send) -> None:
        assert start is not None
        text = body.decode("utf-8", errors="replace")
        if any(secret in text for secret in self.secrets()):
            body = WITHHELD
            start = {
                "type": "http.response.start",
                "status": 500,
                "headers": [(b"content-type", b"application/json"), *HEADERS],
            }
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": body})
