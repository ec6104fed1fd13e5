"""E-mail notifier: one plain-text UTF-8 message over SMTP (STARTTLS, SSL, or plain to loopback)."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from netrawat.notify.base import Message, NotifyError


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send; checked by `netrawat.notify.config`."""

    host: str
    port: int
    security: str
    """starttls | ssl | none"""
    sender: str
    to: tuple[str, ...]
    username: str = ""
    password: str = field(default="", repr=False)
    timeout: float = 20.0


def build_email(settings: SmtpSettings, message: Message) -> EmailMessage:
    """The e-mail of ``message``: subject on one line, body as text/plain UTF-8."""
    mail = EmailMessage()
    mail["Subject"] = " ".join(message.subject.split())
    mail["From"] = settings.sender
    mail["To"] = ", ".join(settings.to)
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2])
    mail.set_content(message.body, charset="utf-8")
    return mail


class SmtpNotifier:
    """Sends through one SMTP server."""

    name = "email"

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.security == "ssl":
            context = ssl.create_default_context()
            return smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
        client = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        if s.security == "starttls":
            client.starttls(context=ssl.create_default_context())
        return client

    def send(self, message: Message) -> None:
        """Deliver ``message`` to every recipient, or raise `NotifyError` saying why not."""
        s = self.settings
        where = f"SMTP server {s.host}:{s.port}"
        try:
            with self._connect() as client:
                if s.username:
                    client.login(s.username, s.password)
                refused = client.send_message(build_email(s, message))
        except smtplib.SMTPAuthenticationError as exc:
            raise NotifyError(
                f"{where} refused the login ({exc.smtp_code})",
                "check notify.email.username/password in the secrets file",
            ) from exc
        except (smtplib.SMTPException, ssl.SSLError, OSError) as exc:
            detail = " ".join(str(exc).split())[:200] or type(exc).__name__
            raise NotifyError(
                f"e-mail not sent through {where}: {detail}",
                "check notify.email host/port/security and that the server is reachable",
            ) from exc
        if refused:
            raise NotifyError(
                f"{where} refused recipient(s): {', '.join(sorted(refused))}",
                "check notify.email.to",
            )
