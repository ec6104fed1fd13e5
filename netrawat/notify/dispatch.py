"""Send one message through every configured notifier; one failing channel never stops another."""

from __future__ import annotations

import logging

from netrawat.notify.base import Delivery, Message, NotifyError
from netrawat.notify.config import NotifyConfig

log = logging.getLogger(__name__)


def send_all(config: NotifyConfig, message: Message) -> list[Delivery]:
    """Try each notifier once; the outcome of each (never raises for a delivery failure)."""
    deliveries = []
    for notifier in config.notifiers:
        try:
            notifier.send(message)
        except NotifyError as exc:
            log.warning("notification via %s failed: %s", notifier.name, exc.one_line())
            deliveries.append(Delivery(notifier.name, False, exc.one_line()))
            continue
        log.info("notification sent via %s: %s", notifier.name, message.subject)
        deliveries.append(Delivery(notifier.name, True))
    return deliveries
