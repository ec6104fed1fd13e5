"""Notifications: a short summary of a run sent to the section's channels.

Pluggable notifiers (`Notifier` protocol): e-mail over SMTP and a Telegram bot. Their settings
live in the ``notify:`` section of the secrets file (never in the repository)::

    notify:
      language: id                 # id (default) | en
      email: {host: ..., port: 587, security: starttls, username: ..., password: ...,
              sender: netrawat@..., to: [jaringan@...]}
      telegram: {bot_token: "...", chat_id: "-100...", api_base: https://api.telegram.org}

    config = load_notify_config(fleet.secrets.raw)        # InputError on a bad section
    deliveries = send_all(config, compose(summary, config.language))
"""

from netrawat.notify.base import Delivery, Message, Notifier, NotifyError
from netrawat.notify.config import NotifyConfig, load_notify_config
from netrawat.notify.dispatch import send_all
from netrawat.notify.messages import DeviceLine, RunSummary, compose

__all__ = [
    "Delivery",
    "DeviceLine",
    "Message",
    "Notifier",
    "NotifyConfig",
    "NotifyError",
    "RunSummary",
    "compose",
    "load_notify_config",
    "send_all",
]
