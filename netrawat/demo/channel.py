"""A stand-in for the section's Telegram channel during the demo: a Bot API ``sendMessage``
endpoint on 127.0.0.1 that keeps what it receives (nothing leaves the machine)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DEMO_TOKEN = "100000001:DEMO-token-for-the-loopback-channel"
DEMO_CHAT = "-1000000000001"


@dataclass
class Channel:
    """Messages received, in order."""

    base: str = ""
    texts: list[str] = field(default_factory=list)


@contextmanager
def local_channel() -> Iterator[Channel]:
    """Serve the stand-in on a free loopback port for the duration of the block."""
    channel = Channel()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length).decode("utf-8") or "{}")
            channel.texts.append(str(body.get("text", "")))
            payload = json.dumps({"ok": True, "result": {"message_id": len(channel.texts)}})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload.encode())

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    channel.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True, name="demo-channel")
    thread.start()
    try:
        yield channel
    finally:
        server.shutdown()
        server.server_close()
