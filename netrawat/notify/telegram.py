"""Telegram notifier: the Bot API ``sendMessage`` to the section's channel, over urllib.

The API base URL is configurable: ``https://api.telegram.org`` in production; tests point it
at an HTTP server on 127.0.0.1. The bot token is part of the request path, so it is never
quoted in an error message.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from netrawat.notify.base import Message, NotifyError

MAX_TEXT = 4096
"""Telegram refuses longer messages; the text is cut with a note."""
CUT_NOTE = "\n… (dipotong / truncated)"


@dataclass(frozen=True)
class TelegramSettings:
    """Bot and channel; checked by `netrawat.notify.config`."""

    bot_token: str = field(repr=False)
    chat_id: str
    api_base: str = "https://api.telegram.org"
    timeout: float = 20.0


def fit(text: str, limit: int = MAX_TEXT) -> str:
    """``text`` cut to Telegram's limit, saying so when it was cut."""
    return text if len(text) <= limit else text[: limit - len(CUT_NOTE)] + CUT_NOTE


class TelegramNotifier:
    """Posts one plain-text message (no parse mode: nothing in it is markup)."""

    name = "telegram"

    def __init__(self, settings: TelegramSettings) -> None:
        self.settings = settings

    def _request(self, message: Message) -> urllib.request.Request:
        s = self.settings
        payload = {
            "chat_id": s.chat_id,
            "text": fit(message.text),
            "disable_web_page_preview": True,
        }
        return urllib.request.Request(
            f"{s.api_base}/bot{s.bot_token}/sendMessage",
            data=json.dumps(payload).encode("utf-8"),
            headers={"Content-Type": "application/json; charset=utf-8"},
            method="POST",
        )

    def _clean(self, text: str) -> str:
        return " ".join(text.replace(self.settings.bot_token, "<token>").split())[:200]

    def send(self, message: Message) -> None:
        """Deliver ``message`` or raise `NotifyError` with Telegram's own description."""
        where = f"Telegram ({self.settings.api_base})"
        try:
            with urllib.request.urlopen(
                self._request(message), timeout=self.settings.timeout
            ) as response:
                answer = _json(response.read())
        except urllib.error.HTTPError as exc:
            answer = _json(exc.read())
            description = answer.get("description") or f"HTTP {exc.code}"
            raise NotifyError(
                f"{where} refused the message: {self._clean(str(description))}",
                "check notify.telegram.bot_token and chat_id (the bot must be in the channel)",
            ) from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise NotifyError(
                f"{where} unreachable: {self._clean(str(reason))}",
                "check notify.telegram.api_base and the network",
            ) from exc
        if answer.get("ok") is not True:
            raise NotifyError(
                f"{where} did not accept the message: {self._clean(str(answer)[:200])}",
                "check notify.telegram settings",
            )


def _json(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}
