"""Notifications: the ``notify`` section is checked before a run; e-mail goes through a loopback
SMTP server (aiosmtpd) and Telegram through a loopback HTTP endpoint; messages read in Bahasa
Indonesia (default) or English. Nothing leaves the machine."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import yaml
from notify_servers import LOOPBACK, free_port, smtp_server, telegram_server

from netrawat.errors import InputError
from netrawat.notify import Message, compose, load_notify_config, send_all
from netrawat.notify.messages import MAX_DEVICES, DeviceLine, RunSummary, StepLine
from netrawat.notify.telegram import MAX_TEXT
from netrawat.paths import EXAMPLE_INVENTORY

TOKEN = "123456789:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQ"
MESSAGE = Message("[netrawat] uji", "Badan pesan: Dinas Kesehatan — semua sehat.\n")


def _email(port: int, **extra: Any) -> dict[str, Any]:
    return {
        "host": LOOPBACK,
        "port": port,
        "security": "none",
        "sender": "netrawat@pontianak.go.id",
        "to": ["jaringan@pontianak.go.id", "kabid@pontianak.go.id"],
        "timeout": 5,
        **extra,
    }


def _telegram(base: str, **extra: Any) -> dict[str, Any]:
    return {
        "bot_token": TOKEN,
        "chat_id": "-1001234567890",
        "api_base": base,
        "timeout": 5,
        **extra,
    }


# -- configuration -----------------------------------------------------------------------------


def test_no_notify_section_means_no_notifier() -> None:
    config = load_notify_config({})
    assert config.notifiers == ()
    assert config.language == "id"
    assert send_all(config, MESSAGE) == []


BAD_SECTIONS: list[tuple[dict[str, Any], str]] = [
    ({"language": "fr"}, "notify.language: unknown value 'fr'"),
    ({"colour": 1}, "notify.colour: unknown key"),
    ({"email": {"host": "mail.example.go.id"}}, "notify.email.sender: missing"),
    ({"email": _email(25, to=[])}, "notify.email.to: missing or empty"),
    ({"email": _email(25, to=["not an address"])}, "is not an e-mail address"),
    ({"email": _email(25, to=["a@b.id\nBcc: x@y.id"])}, "is not an e-mail address"),
    ({"email": _email(70000)}, "notify.email.port"),
    ({"email": _email(25, username="u")}, "username and password go together"),
    (
        {"email": _email(25, host="mail.example.go.id", username="u", password="p")},
        "would send the SMTP password in clear text",
    ),
    ({"telegram": _telegram("https://api.telegram.org", bot_token="abc")}, "bot token"),
    ({"telegram": _telegram("https://api.telegram.org", chat_id="x y")}, "is not a chat id"),
    ({"telegram": _telegram("http://api.telegram.org")}, "is not an https URL"),
    ({"telegram": _telegram("ftp://127.0.0.1")}, "is not an https URL"),
    ({"damage": "yes"}, "notify.damage"),
]


@pytest.mark.parametrize(("section", "expected"), BAD_SECTIONS)
def test_bad_notify_section_is_bad_input(section: dict[str, Any], expected: str) -> None:
    with pytest.raises(InputError) as caught:
        load_notify_config({"notify": section})
    assert expected in caught.value.one_line()
    assert "hint" in caught.value.one_line() or caught.value.hint == ""


def test_secrets_never_quoted_in_config_errors() -> None:
    with pytest.raises(InputError) as caught:
        load_notify_config(
            {"notify": {"telegram": _telegram("https://x.id", bot_token="s3cr\x07")}}
        )
    assert "s3cr" not in caught.value.one_line()


def test_production_defaults() -> None:
    config = load_notify_config(
        {
            "notify": {
                "email": {
                    "host": "mail.pontianak.go.id",
                    "sender": "n@pontianak.go.id",
                    "to": "jaringan@pontianak.go.id",
                    "username": "n",
                    "password": "geheim-77",
                },
                "telegram": {"bot_token": TOKEN, "chat_id": "@jaringan_ptk"},
            }
        }
    )
    email, telegram = config.notifiers
    assert (email.settings.port, email.settings.security) == (587, "starttls")  # type: ignore[attr-defined]
    assert telegram.settings.api_base == "https://api.telegram.org"  # type: ignore[attr-defined]
    assert "geheim-77" not in repr(email.settings) and TOKEN not in repr(telegram.settings)  # type: ignore[attr-defined]


# -- e-mail over a loopback SMTP server --------------------------------------------------------


def test_email_delivered_with_login() -> None:
    with smtp_server("netrawat", "rahasia-uji") as box:
        config = load_notify_config(
            {"notify": {"email": _email(box.port, username="netrawat", password="rahasia-uji")}}
        )
        deliveries = send_all(config, MESSAGE)
    assert [d.ok for d in deliveries] == [True]
    mail = box.messages[0]
    assert mail["Subject"] == "[netrawat] uji"
    assert mail["To"] == "jaringan@pontianak.go.id, kabid@pontianak.go.id"
    assert "Dinas Kesehatan — semua sehat." in mail.get_content()
    assert box.envelopes[0] == (
        "netrawat@pontianak.go.id",
        ["jaringan@pontianak.go.id", "kabid@pontianak.go.id"],
    )


def test_email_wrong_password_is_a_failed_delivery_with_hint() -> None:
    with smtp_server("netrawat", "benar") as box:
        config = load_notify_config(
            {"notify": {"email": _email(box.port, username="netrawat", password="salah")}}
        )
        (delivery,) = send_all(config, MESSAGE)
    assert not delivery.ok
    assert "refused the login" in delivery.error and "hint" in delivery.error
    assert "salah" not in delivery.error
    assert box.messages == []


def test_email_server_down_fails_that_channel_only() -> None:
    with telegram_server() as api:
        config = load_notify_config(
            {"notify": {"email": _email(free_port()), "telegram": _telegram(api.base)}}
        )
        email, telegram = send_all(config, MESSAGE)
    assert not email.ok and "e-mail not sent" in email.error
    assert telegram.ok and len(api.posts) == 1


# -- Telegram over a loopback HTTP endpoint ----------------------------------------------------


def test_telegram_send_message() -> None:
    with telegram_server() as api:
        (delivery,) = send_all(
            load_notify_config({"notify": {"telegram": _telegram(api.base)}}), MESSAGE
        )
    assert delivery.ok
    path, body = api.posts[0]
    assert path == f"/bot{TOKEN}/sendMessage"
    assert body["chat_id"] == "-1001234567890"
    assert body["text"] == MESSAGE.text
    assert "parse_mode" not in body


def test_telegram_refusal_quotes_description_never_the_token() -> None:
    with telegram_server() as api:
        api.status = 400
        api.answer = {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
        (delivery,) = send_all(
            load_notify_config({"notify": {"telegram": _telegram(api.base)}}), MESSAGE
        )
    assert not delivery.ok
    assert "chat not found" in delivery.error and "chat_id" in delivery.error
    assert TOKEN not in delivery.error


def test_telegram_unreachable_and_not_ok_answers() -> None:
    config = load_notify_config(
        {"notify": {"telegram": _telegram(f"http://{LOOPBACK}:{free_port()}")}}
    )
    (down,) = send_all(config, MESSAGE)
    assert not down.ok and "unreachable" in down.error
    with telegram_server() as api:
        api.answer = {"ok": False}
        (odd,) = send_all(
            load_notify_config({"notify": {"telegram": _telegram(api.base)}}), MESSAGE
        )
    assert not odd.ok and "did not accept" in odd.error


def test_telegram_long_text_is_cut_to_the_limit() -> None:
    with telegram_server() as api:
        config = load_notify_config({"notify": {"telegram": _telegram(api.base)}})
        send_all(config, Message("s", "x" * 10_000))
    text = api.texts[0]
    assert len(text) == MAX_TEXT and text.endswith("(dipotong / truncated)")


# -- the words ---------------------------------------------------------------------------------

START = datetime(2026, 11, 22, 19, 0, tzinfo=UTC)  # 02:00 WIB on the 23rd


def _summary(devices: list[DeviceLine], **extra: Any) -> RunSummary:
    return RunSummary(
        kind="preventive",
        reference="PM-20261123-0200",
        started=START,
        ended=START + timedelta(minutes=3),
        devices=tuple(devices),
        **extra,
    )


def test_message_in_bahasa_indonesia_by_default() -> None:
    devices = [
        DeviceLine("RTR-DISDIKBUD", "disdikbud", "berat", "reachable: connection refused", True),
        DeviceLine("RTR-DINKES", "dinkes", "ringan", "dns: servers 8.8.8.8 differ"),
        DeviceLine("CR-DINKES", "dinkes", "ok"),
    ]
    steps = [
        StepLine("drift", {"drift": 1, "no-drift": 2}),
        StepLine("backup", {"changed": 1, "unchanged": 1, "failed": 1}, "commit abc123"),
        StepLine("health", error="another health run holds the lock"),
    ]
    message = compose(_summary(devices, steps=tuple(steps), log_path="/var/log/x.log"))
    assert message.subject == (
        "[netrawat] Pemeliharaan preventif PM-20261123-0200: 1 perangkat perlu lapor Kabid; galat"
    )
    body = message.body
    assert "Waktu: 2026-11-23 02:00-02:03 WIB" in body
    assert "Perangkat: 3 (sehat 1, ringan 1, sedang 0, berat 1)" in body
    assert "Lapor Kabid (sedang/berat):\n- RTR-DISDIKBUD (disdikbud) berat: reachable" in body
    assert "Perbaikan oleh seksi (ringan):\n- RTR-DINKES (dinkes) ringan: dns" in body
    assert "- Perubahan konfigurasi sejak backup: 1 berubah, 2 sama" in body
    assert "- Backup konfigurasi: 1 berubah, 1 tetap, 1 gagal (commit abc123)" in body
    assert "- Survei kesehatan: tidak berjalan: another health run" in body
    assert body.rstrip().endswith("Log: /var/log/x.log")


def test_message_in_english_and_all_healthy() -> None:
    message = compose(_summary([DeviceLine("CR-DINKES", "dinkes", "ok")]), "en")
    assert (
        message.subject
        == "[netrawat] Preventive maintenance PM-20261123-0200: every device healthy"
    )
    assert "Devices: 1 (healthy 1, light 0, medium 0, heavy 0)" in message.body
    assert "Report to the Kabid" not in message.body


def test_long_device_lists_are_cut() -> None:
    devices = [DeviceLine(f"AP-{n}", "dinkes", "ringan", "radio off") for n in range(40)]
    body = compose(_summary(devices)).body
    assert body.count("- AP-") == MAX_DEVICES
    assert f"... dan {40 - MAX_DEVICES} perangkat lain" in body


def test_the_example_secrets_file_has_a_valid_notify_section() -> None:
    raw = yaml.safe_load((EXAMPLE_INVENTORY / "secrets.example.yaml").read_text())
    assert load_notify_config(raw).names == ["email", "telegram"]
