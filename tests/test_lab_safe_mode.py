"""The lab's device-side safety nets through scripted terminals: RouterOS Safe Mode (prompt
marker, messages, what it undoes and keeps, the history it flags, its 100-action limit) and
the IOS archive with the revert timer (archive needed, range, confirm, revert now)."""

from __future__ import annotations

import asyncio

from routeros_fakes import make_device, run_session
from test_lab_ios import ENABLE, ScriptTerminal, make_spec

from netrawat_lab.ios.device import IOSDevice
from netrawat_lab.routeros.safemode import CTRL_D, CTRL_X

SET_DNS = "/ip dns set servers=1.1.1.1"


def dns(device: object) -> str:
    return device.model.value("/ip/dns", "servers")  # type: ignore[attr-defined]


def test_ctrl_x_takes_and_releases_safe_mode_with_the_manuals_messages_and_prompt() -> None:
    device = make_device()
    term = run_session(device, [CTRL_X, SET_DNS, "/system history print", CTRL_X, "quit"])
    assert "\r\n[Safe Mode taken]\r\n[admin@RTR-DINKES] <SAFE> " in term.output
    assert "F dns changed" in term.output  # floating-undo while held
    assert "\r\n[Safe Mode released]\r\n[admin@RTR-DINKES] > " in term.output
    assert dns(device) == "1.1.1.1"


def test_safe_mode_in_a_menu_marks_the_menu_prompt() -> None:
    term = run_session(make_device(), ["/ip route", CTRL_X])
    assert "[admin@RTR-DINKES] /ip route<SAFE> " in term.output


def test_ctrl_d_undoes_safe_mode_changes_and_quit_keeps_them() -> None:
    device = make_device()
    before = dns(device)
    run_session(device, [CTRL_X, SET_DNS, CTRL_D])
    assert dns(device) == before
    history = run_session(device, ["/system history print"]).output
    assert "dns changed" not in history  # undone actions leave the history
    run_session(device, [CTRL_X, SET_DNS, "quit"])
    assert dns(device) == "1.1.1.1"


def test_more_than_100_actions_leave_safe_mode_without_undoing() -> None:
    device = make_device()
    lines = [CTRL_X] + [f"/ip dns set cache-size={2048 + n}KiB" for n in range(101)]
    term = run_session(device, [*lines, SET_DNS, CTRL_D])
    assert "[admin@RTR-DINKES] > /ip dns set servers=1.1.1.1" in term.output
    assert dns(device) == "1.1.1.1"  # nothing undone: safe mode had been left


def test_a_second_session_is_asked_before_hijacking_safe_mode() -> None:
    device = make_device()
    holder = object()
    device.safe_mode.take(holder)  # type: ignore[arg-type]
    term = run_session(device, [CTRL_X, "d"])
    assert "Hijacking Safe Mode from someone - unroll/release/don't take it [u/r/d]: " in (
        term.output
    )
    assert device.safe_mode.holder is holder


def ios_session(device: IOSDevice, lines: list[str]) -> str:
    term = ScriptTerminal(["enable", ENABLE, *lines], username=device.rt.spec.username)
    asyncio.run(device.run_shell(term))
    return term.text


def test_ios_revert_timer_needs_an_archive_path() -> None:
    out = ios_session(IOSDevice(make_spec()), ["show archive", "configure terminal revert timer 5"])
    assert " Archive feature not enabled" in out
    assert "%Please turn config archive on" in out
    assert "(config)#" not in out


def test_ios_revert_timer_archives_and_rolls_back_or_is_confirmed() -> None:
    device = IOSDevice(make_spec(archive_path="flash:archive-"))
    out = ios_session(
        device,
        [
            "configure terminal revert timer 5",
            "ip name-server 10.9.9.9",
            "end",
            "show archive config rollback timer",
            "configure revert now",
            "show archive config rollback timer",
        ],
    )
    assert "Rollback Confirmed Change: Backing up current running config to flash:archive-" in out
    assert "Timer type: absolute" in out and "Timer value: 5 min" in out
    assert "No Rollback Confirmed Change pending" in out
    assert "10.9.9.9" not in "\n".join(device.rt.running.render_body())
    ios_session(
        device,
        [
            "configure terminal revert timer 1",
            "ip name-server 10.9.9.9",
            "end",
            "configure confirm",
        ],
    )
    assert device.rt.archive.pending is None
    assert "10.9.9.9" in "\n".join(device.rt.running.render_body())
    out = ios_session(device, ["configure terminal revert timer 121"])
    assert "% Invalid input detected" in out
