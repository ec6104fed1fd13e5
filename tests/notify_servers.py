"""Loopback stand-ins for the notification channels: an SMTP server (aiosmtpd) and a Telegram
Bot API endpoint (http.server), both on 127.0.0.1. Nothing leaves the machine."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


@dataclass
class Mailbox:
    """What the SMTP server received."""

    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    port: int = 0

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.content if isinstance(envelope.content, bytes) else b""
        self.messages.append(message_from_bytes(raw, policy=policy.default))
        self.envelopes.append((str(envelope.mail_from), list(envelope.rcpt_tos)))
        return "250 OK"


class _Auth:
    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user.encode(), password.encode()

    def __call__(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            self.user,
            self.password,
        )
        return AuthResult(success=ok, handled=False)


@contextmanager
def smtp_server(user: str = "", password: str = "") -> Iterator[Mailbox]:
    """A loopback SMTP server; with ``user``/``password`` it requires that login (plain AUTH)."""
    box = Mailbox(port=free_port())
    extra: dict[str, Any] = {}
    if user:
        extra = {"authenticator": _Auth(user, password), "auth_require_tls": False}
    controller = Controller(box, hostname=LOOPBACK, port=box.port, **extra)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@dataclass
class BotApi:
    """What the Telegram stand-in received, and how it answers."""

    posts: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    status: int = 200
    answer: dict[str, Any] = field(default_factory=lambda: {"ok": True, "result": {}})
    base: str = ""

    @property
    def texts(self) -> list[str]:
        return [str(body.get("text", "")) for _, body in self.posts]


@contextmanager
def telegram_server() -> Iterator[BotApi]:
    """A loopback HTTP server answering ``POST /bot<token>/sendMessage`` as the Bot API does."""
    api = BotApi()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length).decode("utf-8"))
            api.posts.append((self.path, body))
            payload = json.dumps(api.answer).encode()
            self.send_response(api.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer((LOOPBACK, 0), Handler)
    api.base = f"http://{LOOPBACK}:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
