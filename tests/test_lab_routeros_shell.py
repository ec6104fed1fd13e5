"""The RouterOS CLI shell: login, prompt, navigation, print variants, errors with positions.

Run through a scripted `Terminal` (the exact bytes the shell writes); the same shell is
exercised over real SSH with netmiko in test_lab_routeros_ssh.py.
"""

from __future__ import annotations

import re

import pytest
from routeros_fakes import cli, make_device, run_session

from netrawat.platforms import ROUTEROS
from netrawat_lab.routeros.commands import Session

PROMPT = "[admin@RTR-DINKES] > "


def test_login_suffix_is_stripped_and_prompt_comes_unasked() -> None:
    device = make_device()
    assert device.login_name("admin+ct511w4098h") == "admin"
    term = run_session(device, [])
    assert term.output.endswith(PROMPT)
    assert "MikroTik RouterOS 7.16.1" in term.output
    assert "\r\n" in term.output and "\n" not in term.output.replace("\r\n", "")


def test_every_reply_ends_with_the_prompt_and_crlf_lines() -> None:
    term = run_session(make_device(), ["/system identity print", "", "/ip address print"])
    chunks = term.output.split(PROMPT)
    assert term.output.endswith(PROMPT)
    assert chunks[1] == "/system identity print\r\n  name: RTR-DINKES\r\n"
    assert chunks[2] == "\r\n"  # a bare Enter gets a fresh prompt
    assert re.match(r"/ip address print\r\nColumns: ADDRESS, NETWORK, INTERFACE\r\n", chunks[3])


def test_menu_navigation_changes_the_prompt() -> None:
    term = run_session(make_device(), ["/ip address", "print", "..", "/", "ip/dns", "print"])
    assert "[admin@RTR-DINKES] /ip address> print\r\n" in term.output
    assert "[admin@RTR-DINKES] /ip> /\r\n[admin@RTR-DINKES] > ip/dns\r\n" in term.output
    assert "servers: 10.0.0.53,10.0.1.53" in term.output


def test_both_path_syntaxes_give_the_same_output() -> None:
    device = make_device()
    assert cli(device, "/ip dns print") == cli(device, "/ip/dns/print") != ""
    assert cli(device, "/system resource print").count("\n") == cli(
        device, "/system/resource/print"
    ).count("\n")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("foo", "bad command name foo (line 1 column 1)"),
        ("/ip adress print", "bad command name adress (line 1 column 5)"),
        ("copy running-config startup-config", "bad command name copy (line 1 column 1)"),
        ("/ip address print bogus", "expected end of command (line 1 column 19)"),
        (
            "/ip address add address=10.1.1.1/24 interface=ether3 colour=red",
            "expected end of command (line 1 column 54)",
        ),
        ('/system identity set name="RTR', "syntax error (line 1 column 27)"),
        (
            "/ip address add address=10.1.1.300/24 interface=ether3",
            "invalid value for argument address",
        ),
        (
            "/ip address add address=10.1.1.1/24 interface=ether99",
            "input does not match any value of interface",
        ),
        ("/ip address remove 99", "no such item"),
        ("/interface ethernet remove ether1", "failure: can not remove interface"),
    ],
)
def test_errors_are_routeros_strings_the_platform_profile_recognises(
    line: str, message: str
) -> None:
    output = cli(make_device(), line)
    assert output == message
    assert ROUTEROS.find_error(output) == message


def test_print_variants() -> None:
    device = make_device()
    table = cli(device, "/interface print")
    assert table.splitlines()[0] == "Flags: R - RUNNING; S - SLAVE"
    assert table.splitlines()[1] == "Columns: NAME, TYPE, ACTUAL-MTU, L2MTU, MAX-L2MTU, MAC-ADDRESS"
    assert ";;; WAN uplink" in table
    assert cli(device, "/interface print brief") == table
    detail = cli(device, "/interface print detail")
    assert 'name="ether1" default-name="ether1" type="ether"' in detail
    assert "rx-byte" not in detail
    terse = cli(device, "/interface print terse without-paging").splitlines()
    assert terse[0].startswith(
        " 0  R  comment=WAN uplink name=ether1 default-name=ether1 type=ether"
    )
    assert cli(device, "/interface print count-only") == "12"
    assert cli(device, "/ip address print as-value where interface=ether1").startswith(
        ".id=*2;address=100.64.4.2/30;"
    )
    assert "rx-byte" in cli(device, "/interface print stats").splitlines()[1].lower()


def test_where_and_find_select_items() -> None:
    device = make_device()
    assert "ether2" in cli(device, "/interface print where name=ether2")
    assert "ether3" not in cli(device, "/interface print where name=ether2")
    assert "ether6" not in cli(device, "/interface print where running")
    cli(device, '/interface ethernet set [ find default-name=ether3 ] comment="Ruang Server"')
    cli(device, "/interface disable [find where name=ether4]")
    assert ";;; Ruang Server" in cli(device, "/interface print")
    assert device.model.get("/interface", "ether4").disabled


def test_numbers_from_the_last_print_name_items() -> None:
    device = make_device()
    session = Session("admin")
    cli(device, "/ip route print", session)
    assert cli(device, "/ip route disable 0", session) == ""
    assert "X" in cli(device, "/ip route print", session).splitlines()[0]


def test_set_add_remove_change_later_output() -> None:
    device = make_device()
    cli(device, "/ip dns set servers=10.0.0.53")
    assert "servers: 10.0.0.53\n" in cli(device, "/ip dns print") + "\n"
    cli(device, "/ip address add address=10.99.0.1/24 interface=ether6 comment=kamera")
    assert "10.99.0.1/24" in cli(device, "/ip address print")
    assert "10.99.0.0/24" not in cli(device, "/ip route print")  # ether6 has no link
    cli(device, "/ip address remove [find comment=kamera]")
    assert "10.99.0.1/24" not in cli(device, "/export")


def test_v7_print_layouts() -> None:
    device = make_device()
    health = cli(device, "/system health print").splitlines()
    assert health[:2] == ["Columns: NAME, VALUE, TYPE", "# NAME         VALUE  TYPE"]
    resource = cli(device, "/system resource print")
    assert re.search(r"^\s+build-time: \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", resource, re.M)
    assert re.search(r"^\s+version: 7\.16\.1 \(stable\)$", resource, re.M)
    routes = cli(device, "/ip route print").splitlines()
    assert routes[0] == "Flags: D - DYNAMIC; A - ACTIVE; c - CONNECT, s - STATIC"
    assert any(re.match(r"^\d+ DAc 10\.21\.4\.0/24 ", line) for line in routes)
    leases = cli(device, "/ip dhcp-server lease print")
    assert "Columns: ADDRESS, MAC-ADDRESS, HOST-NAME, SERVER, STATUS, LAST-SEEN" in leases
    assert cli(device, "/user print").count("throwaway") == 0


def test_ping_v7_times_and_summary() -> None:
    out = cli(make_device(), "/ping 100.64.4.1 count=3").splitlines()
    assert out[0].split() == ["SEQ", "HOST", "SIZE", "TTL", "TIME", "STATUS"]
    assert re.match(r"^\s+0 100\.64\.4\.1\s+56\s+64 (\d+ms)?\d+us$", out[1])
    assert re.match(
        r"^\s+sent=3 received=3 packet-loss=0% min-rtt=\S+ avg-rtt=\S+ max-rtt=\S+$", out[4]
    )


def test_backup_save_and_import() -> None:
    device = make_device()
    assert cli(device, "/system backup save name=sebelum-perbaikan") == "Configuration backup saved"
    assert "sebelum-perbaikan.backup" in cli(device, "/file print")
    cli(device, "/export file=cadangan")
    device.model.set(
        "/file", "cadangan.rsc", {"contents": "/ip dns set servers=10.0.0.99\n/snmp set location=X"}
    )
    assert cli(device, "/import file-name=cadangan.rsc dry-run").endswith("executed successfully")
    assert device.model.value("/ip/dns", "servers") == "10.0.0.53,10.0.1.53"
    cli(device, "/import file-name=cadangan.rsc")
    assert device.model.value("/ip/dns", "servers") == "10.0.0.99"
    device.model.set(
        "/file", "cadangan.rsc", {"contents": "/snmp set location=Y\n/ip dns sett x=1"}
    )
    assert (
        cli(device, "/import file-name=cadangan.rsc") == "bad command name sett (line 2 column 9)"
    )
    assert device.model.value("/snmp", "location") == "X"


def test_quit_ends_the_session() -> None:
    term = run_session(make_device(), ["quit", "/system identity print"])
    assert term.closed
    assert term.output.endswith("quit\r\ninterrupted\r\n")


def test_startup_screens_wait_for_enter_before_the_prompt() -> None:
    device = make_device()
    device.apply_fault("startup-screens", None)
    # keys as netmiko sends them: "n" (license), Ctrl-C (new password), Enter, any key
    term = run_session(device, ["n", "\x03", "\r", "\r", "/system identity print"])
    first_prompt = term.output.index(PROMPT)
    assert term.output.index("software license? [Y/n]: ") < term.output.index("MMM")
    assert term.output.index("new password> ") < term.output.index("MMM")
    assert term.output.index('Please press "Enter" to continue!') < first_prompt
    assert term.output.index('to remove this default configuration type "r"') < first_prompt
    assert "name: RTR-DINKES" in term.output


def test_export_goes_out_as_bulk_output() -> None:
    term = run_session(make_device(extra_lines=50), ["/export", "/export terse show-sensitive"])
    assert term.bulk_writes == 2
    assert "name=komunitas-rahasia" in term.output


def test_exec_runs_export_terse() -> None:
    import asyncio

    output, status = asyncio.run(make_device().run_exec("/export terse show-sensitive"))
    assert status == 0
    assert output.splitlines()[0].startswith("# ")
    assert "\r\n/system identity set name=RTR-DINKES\r\n" in output


def test_sessions_show_in_user_active_last_logged_in_and_the_log() -> None:
    device = make_device()
    term = run_session(
        device, ["/user active print", "/ip dns set servers=10.0.0.53", "/log print"]
    )
    assert re.search(
        r"^0 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d  admin  127\.0\.0\.1  ssh\s*$", term.output, re.M
    )
    assert "user admin logged in from 127.0.0.1 via ssh" in term.output
    assert "system,info dns changed" in term.output
    assert device.model.print("/user/active") == []  # the session ended
    assert re.search(r"^0 admin\s+full\s+\d{4}-", cli(device, "/user print"), re.M)


def test_export_carries_transient_notes_like_a_real_router() -> None:
    device = make_device()
    device.apply_fault("config-reset", None)
    device.apply_fault("uplink-down", None)
    lines = cli(device, "/export").splitlines()
    assert lines[lines.index("/ip dhcp-client") + 1] == "# Interface not active"


def test_system_history_has_the_real_unnumbered_layout() -> None:
    device = make_device()
    cli(device, "/snmp set location=LANTAI-2")
    lines = cli(device, "/system history print without-paging").splitlines()
    # as in the oxidized RouterOS 7.16 capture: no item numbers, flag column first
    assert lines[:2] == ["Flags: U - UNDOABLE", "Columns: ACTION, BY, POLICY, TIME"]
    assert re.match(r"^  ACTION\s+BY\s+POLICY\s+TIME\s*$", lines[2])
    assert re.match(r"^U snmp changed\s+admin\s+write\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", lines[3])


def test_semicolons_separate_commands_and_a_bad_one_stops_the_whole_line() -> None:
    device = make_device()
    out = cli(device, "/snmp set location=A; /snmp print")
    assert "location: A" in out
    out = cli(device, "/snmp set location=B;/ip dnss print")
    assert out == "bad command name dnss (line 1 column 26)"
    assert device.model.value("/snmp", "location") == "A"
    cli(device, '/system identity set name="RTR;DINKES"')
    assert device.model.value("/system/identity", "name") == "RTR;DINKES"


def test_get_and_put_for_scripts() -> None:
    device = make_device()
    assert cli(device, "/system identity get name") == ""
    assert cli(device, ":put [/system identity get name]") == "RTR-DINKES"
    assert cli(device, ":put [/interface get ether1 running]") == "true"
    assert cli(device, ":put [/ip address get 1 address]") == "100.64.4.2/30"
    assert cli(device, ':put "halo"') == "halo"
    assert (
        cli(device, ":put [/ip adress get 1 address]")
        == "bad command name adress (line 1 column 11)"
    )
