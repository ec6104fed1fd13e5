"""The ``notify:`` section of the secrets file, checked before a run touches any device.

::

    notify:
      language: id              # id (Bahasa Indonesia, default) | en
      preventive: always        # after each preventive run: always | problems | never
      damage: true              # after any health run that finds sedang/berat damage
      email:
        host: mail.pontianak.go.id
        port: 587               # default: 587 starttls, 465 ssl, 25 none
        security: starttls      # starttls | ssl | none (none: only towards a loopback server)
        username: netrawat      # optional; with password
        password: "..."
        sender: netrawat@pontianak.go.id
        to: [jaringan@pontianak.go.id]
        timeout: 20
      telegram:
        bot_token: "123456:ABC..."
        chat_id: "-1001234567890"    # the section's daily channel (or @channelname)
        api_base: https://api.telegram.org   # http:// only towards a loopback test server
        timeout: 20

Every mistake is an `InputError` naming ``notify.<key>`` (exit code 2), never a failure found
after the devices were worked on. Secret values are never quoted in messages.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from netrawat.errors import InputError
from netrawat.notify.base import Notifier
from netrawat.notify.smtp import SmtpNotifier, SmtpSettings
from netrawat.notify.telegram import TelegramNotifier, TelegramSettings

LANGUAGES = ("id", "en")
PREVENTIVE_WHEN = ("always", "problems", "never")
SECURITY_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
DEFAULT_TIMEOUT = 20.0
TELEGRAM_API = "https://api.telegram.org"

_ADDRESS = re.compile(r"^[^@\s<>,;\"]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$|^[^@\s<>,;\"]+@localhost$")
_HOSTNAME = re.compile(r"^[A-Za-z0-9.-]{1,253}$|^\[?[0-9a-fA-F:]+\]?$")
_BOT_TOKEN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{20,100}$")
_CHAT_ID = re.compile(r"^-?\d{1,20}$|^@[A-Za-z][A-Za-z0-9_]{4,31}$")

TOP_KEYS = ("language", "preventive", "damage", "email", "telegram")
EMAIL_KEYS = ("host", "port", "security", "username", "password", "sender", "to", "timeout")
TELEGRAM_KEYS = ("bot_token", "chat_id", "api_base", "timeout")


@dataclass(frozen=True)
class NotifyConfig:
    """The channels to notify and when."""

    notifiers: tuple[Notifier, ...] = ()
    language: str = "id"
    preventive: str = "always"
    damage: bool = True
    source: str = "secrets file"

    @property
    def names(self) -> list[str]:
        return [n.name for n in self.notifiers]


class _Section:
    """Typed reads from one mapping of the section, with errors naming the key path."""

    def __init__(self, body: object, where: str, source: str, keys: tuple[str, ...]) -> None:
        self.where, self.source = where, source
        if not isinstance(body, Mapping):
            self.fail(where, "must be a mapping", f"see the notify example in {source}")
        self.body: Mapping[str, Any] = body  # type: ignore[assignment]
        for key in self.body:
            if key not in keys:
                self.fail(f"{where}.{key}", "unknown key", f"use: {', '.join(keys)}")

    def fail(self, key: str, problem: str, hint: str) -> None:
        raise InputError(f"{self.source}: {key}: {problem}", hint)

    def text(self, key: str, default: str | None = None, *, secret: bool = False) -> str:
        value = self.body.get(key, default)
        if value is None:
            self.fail(f"{self.where}.{key}", "missing", f"add {key} to the {self.where} section")
        text = str(value).strip()
        shown = "" if secret else f" {text[:60]!r}"
        if not text or any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
            self.fail(
                f"{self.where}.{key}",
                f"value{shown} is empty or holds control characters",
                f"write {key} on one line",
            )
        return text

    def number(self, key: str, default: float, low: float, high: float) -> float:
        value = self.body.get(key, default)
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not (low <= value <= high)
        ):
            self.fail(
                f"{self.where}.{key}", f"{value!r} is not a number from {low:g} to {high:g}", ""
            )
        return float(value)

    def choice(self, key: str, default: str, allowed: tuple[str, ...]) -> str:
        value = str(self.body.get(key, default)).strip().lower()
        if value not in allowed:
            self.fail(
                f"{self.where}.{key}", f"unknown value {value!r}", f"use {' | '.join(allowed)}"
            )
        return value


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine (a test server), so plain text is harmless."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _email(section: _Section) -> SmtpNotifier:
    host = section.text("host")
    if not _HOSTNAME.match(host):
        section.fail(
            f"{section.where}.host", f"{host!r} is not a host name", "e.g. mail.example.go.id"
        )
    security = section.choice("security", "starttls", tuple(SECURITY_PORTS))
    port = int(section.number("port", SECURITY_PORTS[security], 1, 65535))
    username = section.text("username") if "username" in section.body else ""
    password = section.text("password", secret=True) if "password" in section.body else ""
    if bool(username) != bool(password):
        section.fail(section.where, "username and password go together", "give both or neither")
    if password and security == "none" and not is_loopback(host):
        section.fail(
            f"{section.where}.security",
            "'none' would send the SMTP password in clear text",
            "use security: starttls (port 587) or ssl (port 465)",
        )
    sender = section.text("sender")
    raw_to = section.body.get("to")
    recipients = [raw_to] if isinstance(raw_to, str) else raw_to
    if not isinstance(recipients, list) or not recipients:
        section.fail(f"{section.where}.to", "missing or empty", "list at least one address")
        recipients = []
    checked = []
    for address in [sender, *[str(a).strip() for a in recipients]]:
        if not _ADDRESS.match(address):
            section.fail(f"{section.where}", f"{address!r} is not an e-mail address", "user@domain")
        checked.append(address)
    settings = SmtpSettings(
        host=host,
        port=port,
        security=security,
        username=username,
        password=password,
        sender=checked[0],
        to=tuple(checked[1:]),
        timeout=section.number("timeout", DEFAULT_TIMEOUT, 1, 300),
    )
    return SmtpNotifier(settings)


def _telegram(section: _Section) -> TelegramNotifier:
    token = section.text("bot_token", secret=True)
    if not _BOT_TOKEN.match(token):
        section.fail(
            f"{section.where}.bot_token",
            "does not look like a bot token (digits:letters)",
            "copy it from @BotFather",
        )
    chat_id = section.text("chat_id")
    if not _CHAT_ID.match(chat_id):
        section.fail(
            f"{section.where}.chat_id",
            f"{chat_id!r} is not a chat id",
            "a number such as -1001234567890, or @channelname",
        )
    base = section.text("api_base", TELEGRAM_API).rstrip("/")
    parts = urlsplit(base)
    plain_ok = parts.scheme == "http" and is_loopback(parts.hostname or "")
    if not parts.hostname or (parts.scheme != "https" and not plain_ok):
        section.fail(
            f"{section.where}.api_base",
            f"{base!r} is not an https URL",
            f"use {TELEGRAM_API} (http:// only towards a server on this machine)",
        )
    settings = TelegramSettings(
        bot_token=token,
        chat_id=chat_id,
        api_base=base,
        timeout=section.number("timeout", DEFAULT_TIMEOUT, 1, 300),
    )
    return TelegramNotifier(settings)


def load_notify_config(raw: Mapping[str, Any], path: Path | None = None) -> NotifyConfig:
    """The ``notify`` section of the parsed secrets file ``raw`` (empty config if absent)."""
    source = f"secrets file {path}" if path else "secrets file"
    body = raw.get("notify")
    if body is None:
        return NotifyConfig(source=source)
    section = _Section(body, "notify", source, TOP_KEYS)
    notifiers: list[Notifier] = []
    if section.body.get("email") is not None:
        notifiers.append(
            _email(_Section(section.body["email"], "notify.email", source, EMAIL_KEYS))
        )
    if section.body.get("telegram") is not None:
        telegram = _Section(section.body["telegram"], "notify.telegram", source, TELEGRAM_KEYS)
        notifiers.append(_telegram(telegram))
    damage = section.body.get("damage", True)
    if not isinstance(damage, bool):
        section.fail("notify.damage", f"{damage!r} is not true or false", "damage: true")
    return NotifyConfig(
        notifiers=tuple(notifiers),
        language=section.choice("language", "id", LANGUAGES),
        preventive=section.choice("preventive", "always", PREVENTIVE_WHEN),
        damage=damage,
        source=source,
    )
