"""The Cisco IOS lab personality through a scripted Terminal: modes, IOS error strings,
abbreviations, configuration state, volatile lines, faults (device-level behaviour)."""

from __future__ import annotations

import asyncio
import random
import re

import pytest

from netrawat.platforms import CISCO_IOS
from netrawat_lab.ios.device import IOSDevice
from netrawat_lab.ios.hashes import type9_hash, verify_secret
from netrawat_lab.spec import DeviceSpec

ENABLE = "en-secret-1"


class ScriptTerminal:
    """A Terminal that types the given lines (echoing them like the lab server does)."""

    def __init__(self, lines: list[str], username: str = "admin", bulk_ok: bool = True) -> None:
        self.lines = list(lines)
        self.username = username
        self.bulk_ok = bulk_ok
        self.output: list[str] = []
        self.closed = False
        self.columns = 80

    async def read_line(
        self, echo: bool = True, *, column: int = 0, wrap_at: int = 0, hotkeys: str = ""
    ) -> str | None:
        if not self.lines:
            return None
        line = self.lines.pop(0)
        if echo:
            self.output.append(line + "\r\n")
        return line

    async def read_key(self, timeout: float | None = None) -> str | None:
        """Keys are typed as one-character lines (a pager's space, Ctrl-C)."""
        return self.lines.pop(0) if self.lines else None

    async def write(self, text: str) -> None:
        self.output.append(text)

    async def write_bulk(self, text: str) -> bool:
        self.output.append(text[: len(text) // 3] if not self.bulk_ok else text)
        return self.bulk_ok

    def close(self) -> None:
        self.closed = True

    @property
    def text(self) -> str:
        return "".join(self.output)


def make_spec(**seed: object) -> DeviceSpec:
    return DeviceSpec(
        hostname="CR-DINKES",
        opd="dinkes",
        role="router",
        platform="cisco_ios",
        address="127.0.0.9",
        port=2222,
        username="admin",
        password="pw-1",
        enable_secret=ENABLE,
        version="15.7(3)M8",
        model="CISCO2911/K9",
        serial="FGL12345678",
        seed={
            "lan_address": "10.21.4.1",
            "lan_prefix": 24,
            "wan_address": "100.64.4.2",
            "wan_prefix": 30,
            "wan_gateway": "100.64.4.1",
            "snmp_community": "komunitas-rahasia",
            **seed,
        },
    )


@pytest.fixture
def device() -> IOSDevice:
    return IOSDevice(make_spec())


def session(device: IOSDevice, *lines: str, enable: bool = True, **kwargs: object) -> str:
    """Run one shell session and return everything the device wrote (LF line ends)."""
    script = ["enable", ENABLE, *lines] if enable else list(lines)
    term = ScriptTerminal(script, **kwargs)  # type: ignore[arg-type]
    asyncio.run(device.run_shell(term))
    return term.text.replace("\r\n", "\n")


def output_of(device: IOSDevice, command: str) -> str:
    """The output of one privileged command, without echo and prompt."""
    text = session(device, command)
    after = text.split(f"CR-DINKES#{command}\n", 1)[1]
    return after.removesuffix("CR-DINKES#")


def test_login_lands_in_user_exec_and_enable_asks_for_the_secret(device: IOSDevice) -> None:
    text = session(device, "enable", "wrong", "wrong", "wrong", "enable", ENABLE, enable=False)
    assert "CR-DINKES>enable\nPassword: " in text
    assert "% Bad secrets" in text
    assert text.rstrip().endswith("CR-DINKES#")


def test_output_uses_crlf_and_prompt_follows_output(device: IOSDevice) -> None:
    term = ScriptTerminal(["enable", ENABLE, "show clock"])
    asyncio.run(device.run_shell(term))
    raw = term.text
    assert "\r\n" in raw
    assert "\n" not in raw.replace("\r\n", "")
    assert re.search(
        r"show clock\r\n\d\d:\d\d:\d\d\.\d{3} WIB \w{3} \w{3} \d+ \d{4}\r\nCR-DINKES#", raw
    )


@pytest.mark.parametrize(
    ("command", "expected", "caret_column"),
    [
        ("show foo", "% Invalid input detected at '^' marker.", len("CR-DINKES#show ")),
        (
            "show ip interface bogus",
            "% Invalid input detected",
            len("CR-DINKES#show ip interface "),
        ),
        ("show", "% Incomplete command.", None),
        ("s", '% Ambiguous command:  "s"', None),
        ("frobnicate", "% Unknown command or computer name", None),
    ],
)
def test_ios_error_strings(
    device: IOSDevice, command: str, expected: str, caret_column: int | None
) -> None:
    text = session(device, command)
    assert expected in text
    assert CISCO_IOS.find_error(text) is not None
    if caret_column is not None:
        caret_line = text.split(f"CR-DINKES#{command}\n", 1)[1].splitlines()[0]
        assert caret_line == " " * caret_column + "^"


def test_config_mode_errors_have_the_caret_under_the_bad_word(device: IOSDevice) -> None:
    text = session(
        device, "configure terminal", "interface g0/1", "ip address 10.1.1.300 255.0.0.0"
    )
    line = text.split("ip address 10.1.1.300 255.0.0.0\n", 1)[1].splitlines()[0]
    assert line.index("^") == len("CR-DINKES(config-if)#ip address ")
    assert "% Invalid input detected at '^' marker." in text


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("sh ip int br", "show ip interface brief"),
        ("sh proc cpu", "show processes cpu"),
        ("show env temperature status", "show environment temperature"),
        ("sh ver", "show version"),
        ("show interface summary", "show interfaces summary"),
        ("sh ip ro", "show ip route"),
    ],
)
def test_unique_prefixes_are_accepted(device: IOSDevice, short: str, full: str) -> None:
    def shape(text: str) -> str:
        return re.sub(r"\d+", "N", text)

    assert shape(output_of(device, short)) == shape(output_of(device, full))
    assert CISCO_IOS.find_error(output_of(device, short)) is None


def test_configure_terminal_banner_submode_prompts_and_ctrl_z(device: IOSDevice) -> None:
    text = session(
        device,
        "configure terminal",
        "interface GigabitEthernet0/1",
        "exit",
        "line vty 0 4",
        "exit",
        "router ospf 1",
        "network 10.21.4.0 0.0.0.255 area 0",
        "\x1a",
        "show running-config | section router",
    )
    assert "Enter configuration commands, one per line.  End with CNTL/Z." in text
    for prompt in ("(config)#", "(config-if)#", "(config-line)#", "(config-router)#"):
        assert f"CR-DINKES{prompt}" in text
    assert "router ospf 1\n network 10.21.4.0 0.0.0.255 area 0" in text
    assert text.rstrip().endswith("CR-DINKES#")


def test_shutdown_follows_into_every_output(device: IOSDevice) -> None:
    before = output_of(device, "show ip route")
    assert "C        10.21.4.0/24 is directly connected, GigabitEthernet0/1" in before
    session(device, "conf t", "int gi0/1", "shut", "end")
    brief = output_of(device, "show ip interface brief")
    assert re.search(
        r"GigabitEthernet0/1\s+10.21.4.1\s+YES NVRAM\s+administratively down down", brief
    )
    assert "GigabitEthernet0/1 is administratively down, line protocol is down" in output_of(
        device, "show interfaces GigabitEthernet0/1"
    )
    assert "10.21.4.0/24" not in output_of(device, "show ip route")
    assert "Success rate is 0 percent (0/5)" in output_of(device, "ping 10.21.4.20")
    assert (
        "%LINK-5-CHANGED: Interface GigabitEthernet0/1, changed state to administratively down"
        in (output_of(device, "show logging"))
    )
    session(device, "conf t", "int gi0/1", "no shut", "end")
    assert "Success rate is 100 percent (5/5)" in output_of(device, "ping 10.21.4.20")


def test_addresses_typed_since_boot_show_method_manual(device: IOSDevice) -> None:
    session(device, "conf t", "int g0/2", "ip address 10.9.9.1 255.255.255.0", "end")
    brief = output_of(device, "show ip interface brief")
    assert re.search(r"GigabitEthernet0/2\s+10.9.9.1\s+YES manual", brief)
    assert re.search(r"GigabitEthernet0/1\s+10.21.4.1\s+YES NVRAM", brief)
    session(device, "write memory")  # still "manual" until the next reload, as on IOS
    brief = output_of(device, "show ip interface brief")
    assert re.search(r"GigabitEthernet0/2\s+10.9.9.1\s+YES manual", brief)


def test_running_differs_from_startup_until_write_memory(device: IOSDevice) -> None:
    session(device, "configure terminal", "ntp server 10.0.9.9", "end")
    assert "ntp server 10.0.9.9" in output_of(device, "show running-config")
    assert "ntp server 10.0.9.9" not in output_of(device, "show startup-config")
    assert device.snapshot()["unsaved_changes"] is True
    assert output_of(device, "write memory") == "Building configuration...\n[OK]\n"
    startup = output_of(device, "show startup-config")
    assert "ntp server 10.0.9.9" in startup
    assert re.match(r"Using \d+ out of 262136 bytes\n", startup)
    assert device.snapshot()["unsaved_changes"] is False


def test_copy_running_config_startup_config_asks_for_the_file_name(device: IOSDevice) -> None:
    text = session(device, "configure terminal", "hostname CR-BARU", "end", "copy run start", "")
    assert "Destination filename [startup-config]? " in text
    assert "Building configuration...\n[OK]" in text
    assert "hostname CR-BARU" in device.snapshot()["startup_config"]  # type: ignore[operator]


def test_running_config_header_counts_its_bytes_and_ends_with_end(device: IOSDevice) -> None:
    text = output_of(device, "show running-config")
    lines = text.split("\n")
    assert lines[:2] == ["Building configuration...", ""]
    size = int(re.fullmatch(r"Current configuration : (\d+) bytes", lines[2]).group(1))  # type: ignore[union-attr]
    assert size == len("\n".join(lines[3:]).encode())
    assert re.search(r"^! Last configuration change at \d\d:\d\d:\d\d WIB .* by admin$", text, re.M)
    assert re.search(r"^! NVRAM config last updated at .* by admin$", text, re.M)
    assert text.rstrip().endswith("\nend")
    assert "enable secret 9 $9$" in text
    assert "komunitas-rahasia" in text


def test_ntp_clock_period_and_counters_move_between_reads(device: IOSDevice) -> None:
    periods = {
        re.search(r"ntp clock-period (\d+)", output_of(device, "show running-config")).group(1)  # type: ignore[union-attr]
        for _ in range(6)
    }
    assert len(periods) > 1

    def packets() -> int:
        text = output_of(device, "show interfaces GigabitEthernet0/1")
        return int(re.search(r"(\d+) packets input", text).group(1))  # type: ignore[union-attr]

    assert packets() < packets()


def test_unknown_global_command_leaves_submode_like_ios(device: IOSDevice) -> None:
    text = session(device, "conf t", "interface g0/2", "description spare", "hostname CR-X", "end")
    assert "CR-X(config)#end" in text
    assert "interface GigabitEthernet0/2\n description spare" in device.snapshot()["config"]  # type: ignore[operator]


def test_do_runs_exec_commands_in_config_mode(device: IOSDevice) -> None:
    text = session(device, "conf t", "do show ip interface brief", "end")
    assert "GigabitEthernet0/0         100.64.4.2" in text


def test_multi_line_banner(device: IOSDevice) -> None:
    text = session(device, "conf t", "banner motd ^C", "Hanya untuk petugas", "^C", "end")
    assert "Enter TEXT message.  End with the character '^C'." in text
    assert "banner motd ^C\nHanya untuk petugas\n^C" in device.snapshot()["config"]  # type: ignore[operator]


def test_secrets_typed_in_clear_are_stored_as_type_9(device: IOSDevice) -> None:
    session(
        device, "conf t", "enable secret baru-123", "username teknisi privilege 15 secret x1", "end"
    )
    config = str(device.snapshot()["config"])
    assert "baru-123" not in config
    stored = re.search(r"^enable secret 9 (\S+)$", config, re.M).group(1)  # type: ignore[union-attr]
    assert verify_secret("baru-123", stored)
    assert "username teknisi privilege 15 secret 9 $9$" in config
    text = session(device, "enable", "baru-123", "show clock", enable=False)
    assert "CR-DINKES#show clock" in text


def test_type9_hash_shape() -> None:
    assert re.fullmatch(r"\$9\$[./0-9A-Za-z]{14}\$[./0-9A-Za-z]{43}", type9_hash("x"))


def test_bulk_output_cut_ends_the_session() -> None:
    device = IOSDevice(make_spec())
    term = ScriptTerminal(["enable", ENABLE, "show running-config", "show clock"], bulk_ok=False)
    asyncio.run(device.run_shell(term))
    assert "show clock" not in term.text
    assert not term.text.rstrip().endswith("end")


def test_extra_lines_pad_the_configuration() -> None:
    device = IOSDevice(make_spec(extra_lines=500))
    config = str(device.snapshot()["config"])
    assert config.count("access-list 110 permit tcp any host") == 500


def test_run_exec_serves_one_command() -> None:
    device = IOSDevice(make_spec())
    output, status = asyncio.run(device.run_exec("show version"))
    assert status == 0
    assert "Cisco IOS Software, C2900 Software (C2900-UNIVERSALK9-M), Version 15.7(3)M8" in output


@pytest.mark.parametrize(
    ("fault", "value", "command", "expected"),
    [
        ("interface-down", None, "show ip interface brief", r"GigabitEthernet0/1 .*\s+down\s+down"),
        ("uplink-down", None, "show ip route", r"Gateway of last resort is not set"),
        ("flapping", None, "show interfaces GigabitEthernet0/1", r"[1-9]\d* input errors, [1-9]"),
        ("high-cpu", "95", "show processes cpu", r"one minute: 95%"),
        ("low-memory", None, "show memory statistics", r"Processor\s+\S+\s+1331214304\s+129"),
        ("overheating", None, "show environment temperature", r"Value: 88 .*\n.*State: RED"),
        ("wan-loss", "60", "ping 8.8.8.8", r"Success rate is 40 percent \(2/5\)"),
        ("wrong-dns", None, "show running-config", r"ip name-server 10.99.99.53\n"),
        ("wrong-ntp", None, "show ntp associations", r"~10.99.99.123\s+.INIT."),
        ("config-reset", None, "show running-config", r"hostname Router\n"),
    ],
)
def test_device_faults_show_and_clear_exactly(
    fault: str, value: str | None, command: str, expected: str
) -> None:
    device = IOSDevice(make_spec())
    before = device.rt.running.render_body()
    device.apply_fault(fault, value)
    prompt = "Router#" if fault == "config-reset" else "CR-DINKES#"
    text = session(device, command).split(f"{prompt}{command}\n", 1)[1]
    assert re.search(expected, text), text[:800]
    assert device.snapshot()["faults"] == {fault: value}
    device.clear_faults()
    assert device.rt.running.render_body() == before
    assert device.snapshot()["faults"] == {}
    assert "Success rate is 100 percent" in output_of(device, "ping 8.8.8.8")


def test_ap_and_routeros_faults_are_ignored_politely(device: IOSDevice) -> None:
    device.apply_fault("radio-disabled", None)
    device.apply_fault("startup-screens", None)
    assert device.snapshot()["faults"] == {}


def test_spec_faults_apply_at_start() -> None:
    spec = make_spec()
    spec.faults = {"high-cpu": "91"}
    device = IOSDevice(spec)
    assert "one minute: 91%" in output_of(device, "show processes cpu")


def test_show_running_config_interface(device: IOSDevice) -> None:
    text = output_of(device, "show run int g0/1")
    assert text.endswith(
        "!\ninterface GigabitEthernet0/1\n description LAN DINKES\n"
        " ip address 10.21.4.1 255.255.255.0\n duplex auto\n speed auto\nend\n"
    )
    assert "Current configuration : " in text


def test_the_891f_serves_a_switched_lan_behind_vlan1() -> None:
    spec = make_spec()
    spec.model = "C891F-K9"
    device = IOSDevice(spec)
    brief = output_of(device, "show ip interface brief")
    assert re.search(r"GigabitEthernet8\s+100.64.4.2\s+YES NVRAM\s+up\s+up", brief)
    assert re.search(r"Vlan1\s+10.21.4.1\s+YES NVRAM\s+up\s+up", brief)
    assert "C800 Software (C800-UNIVERSALK9-M), Version 15.7(3)M8" in output_of(device, "sh ver")
    assert "% Invalid input" in session(device, "conf t", "interface g0/1", "end")
    device.apply_fault("interface-down", None)  # the cabled switch port, GigabitEthernet0
    brief = output_of(device, "show ip interface brief")
    assert re.search(r"Vlan1\s+10.21.4.1\s+YES NVRAM\s+up\s+down", brief)
    assert "Success rate is 0 percent" in output_of(device, "ping 10.21.4.7")
    device.clear_faults()
    assert "Success rate is 100 percent" in output_of(device, "ping 10.21.4.7")


def test_output_pipes_and_logging_and_hosts(device: IOSDevice) -> None:
    assert output_of(device, "show running-config | include ^ntp server") == (
        "ntp server 10.0.0.123\n"
    )
    assert output_of(device, "show run | begin ^line vty 0 4").startswith("line vty 0 4\n")
    assert "username" not in output_of(device, "show run | exclude username")
    session(device, "conf t", "snmp-server location Jl. Sutan Syahrir", "end")
    assert "%SYS-5-CONFIG_I: Configured from console by admin on vty0 (127.0.0.1)" in output_of(
        device, "show logging"
    )
    hosts = output_of(device, "show hosts")
    assert "Default domain is pontianakkota.go.id" in hosts
    assert "Name servers are 10.0.0.53, 10.0.1.53" in hosts
    summary = output_of(device, "show interface summary")
    assert re.search(r"^\* GigabitEthernet0/0\s+0\s+0\s+0\s+0\s+\d+", summary, re.M)


def test_interfaces_logical_created_and_removed_physical_kept(device: IOSDevice) -> None:
    text = session(
        device,
        "conf t",
        "interface Loopback0",
        "ip address 10.255.0.1 255.255.255.255",
        "exit",
        "no interface GigabitEthernet0/1",
        "default interface GigabitEthernet0/2",
        "end",
    )
    assert "% Invalid input detected" in text  # physical ports cannot be removed
    brief = output_of(device, "show ip interface brief")
    assert re.search(r"Loopback0\s+10.255.0.1\s+YES manual up\s+up", brief)
    # back to defaults: no longer shut, but no cable in the spare port
    assert re.search(r"GigabitEthernet0/2\s+unassigned\s+YES unset\s+down\s+down", brief)
    assert "GigabitEthernet0/1         10.21.4.1" in brief
    session(device, "conf t", "no interface Loopback0", "end")
    assert "Loopback0" not in output_of(device, "show ip interface brief")


def test_ntp_status_follows_the_configuration(device: IOSDevice) -> None:
    assert output_of(device, "show ntp status").startswith(
        "Clock is synchronized, stratum 2, reference is 10.0.0.123"
    )
    assert not output_of(device, "show clock").startswith("*")
    device.apply_fault("wrong-ntp", None)
    assert output_of(device, "show ntp status").startswith("Clock is unsynchronized, stratum 16")
    assert output_of(device, "show clock").startswith("*")


def test_flapping_logs_link_changes(device: IOSDevice) -> None:
    device.apply_fault("flapping", "gi0/1")
    output_of(device, "show interfaces")
    log = output_of(device, "show logging")
    assert "%LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down" in log


def test_long_hostnames_are_shortened_in_config_prompts() -> None:
    spec = make_spec()
    spec.hostname = "CR-KECAMATAN-PONTIANAK-BARAT"
    device = IOSDevice(spec)
    term = ScriptTerminal(["enable", ENABLE, "configure terminal", "end"])
    asyncio.run(device.run_shell(term))
    assert "CR-KECAMATAN-PONTIAN(config)#end" in term.text
    assert "CR-KECAMATAN-PONTIANAK-BARAT#configure terminal" in term.text


def test_ping_options_as_napalm_sends_them(device: IOSDevice) -> None:
    text = output_of(device, "ping 100.64.4.1 timeout 2 size 100 repeat 3 source 100.64.4.2")
    assert "Sending 3, 100-byte ICMP Echos to 100.64.4.1, timeout is 2 seconds:" in text
    assert "Packet sent with a source address of 100.64.4.2" in text
    assert "Success rate is 100 percent (3/3)" in text
    assert output_of(device, "ping 8.8.8.8 source 10.9.9.9") == (
        "% Invalid source address- IP address not on any of our up interfaces\n"
    )


def test_question_mark_is_help_and_never_reaches_the_configuration(device: IOSDevice) -> None:
    text = session(device, "sh?", "conf t", "int g0/1", "description LAN?lantai 2", "end")
    assert "sh?\nshow\n\nCR-DINKES#sh\n% Incomplete command." in text
    config = str(device.snapshot()["config"])
    assert " description LANlantai 2\n" in config
    assert "?" not in config


def test_static_routes_via_an_interface_and_bad_pipes(device: IOSDevice) -> None:
    session(device, "conf t", "ip route 10.50.0.0 255.255.0.0 gi0/1", "end")
    assert "S        10.50.0.0/16 is directly connected, GigabitEthernet0/1" in output_of(
        device, "show ip route"
    )
    assert "ip route 10.50.0.0 255.255.0.0 GigabitEthernet0/1\n" in output_of(
        device, "show running-config"
    )
    assert "% Invalid input detected" in output_of(device, "show run | include (")


FUZZ_WORDS = [
    "show",
    "sh",
    "s",
    "ip",
    "int",
    "interface",
    "brief",
    "route",
    "arp",
    "proc",
    "cpu",
    "mem",
    "stat",
    "env",
    "temp",
    "status",
    "ntp",
    "assoc",
    "gi0/1",
    "g0/9",
    "lo0",
    "summary",
    "run",
    "start",
    "|",
    "include",
    "x",
    "ver",
    "1",
    "?",
    "ping",
    "8.8.8.8",
    "repeat",
    "source",
    "size",
    "0",
    "99999999999",
    "terminal",
    "length",
    "width",
    "write",
    "copy",
    "running-config",
    "startup-config",
    "conf",
    "t",
    "do",
    "end",
    "exit",
    "no",
    "hostname",
    "description",
    "shutdown",
    "ip",
    "address",
    "10.0.0.1",
    "255.255.255.0",
    "router",
    "ospf",
    "network",
    "line",
    "vty",
    "banner",
    "motd",
    "^C",
    "ntp",
    "server",
    "name-server",
    "route",
    "dhcp",
    "pool",
    "\x1a",
]


def test_random_command_lines_never_break_the_session() -> None:
    rng = random.Random(7)
    device = IOSDevice(make_spec())
    for _ in range(60):
        lines = [
            " ".join(rng.choice(FUZZ_WORDS) for _ in range(rng.randint(1, 6))) for _ in range(12)
        ]
        lines = [line for line in lines if line.split()[0] not in {"exit"}]
        term = ScriptTerminal(["enable", ENABLE, *lines, "", "", "end"])
        asyncio.run(device.run_shell(term))
    final = session(device, "show version", "show running-config")
    assert " uptime is " in final
    assert final.rstrip().endswith("end\n" + final.rstrip().rsplit("\n", 1)[-1])


def test_on_off_settings_show_as_real_ios_shows_them(device: IOSDevice) -> None:
    """IOS 15 hides a default-on setting while on (``ip domain lookup``, ``exec`` on a line)
    and shows its ``no`` form when off; ``ip http server`` shows both ways; ``no shutdown``
    leaves nothing; lines print in line order, their settings in IOS order."""
    session(device, "conf t", "line 2", "exec", "activation-character", "end")
    config = str(device.snapshot()["config"])
    assert "line 2\n transport preferred none\n" in config
    session(
        device,
        "conf t",
        "ip domain lookup",
        "ip http server",
        "line vty 0 4",
        "no exec-timeout",
        "line 2",
        "no exec",
        "no activation-character",
        "line vty 0 4",
        "exec-timeout 15 0",
        "interface GigabitEthernet0/1",
        "no shutdown",
        "end",
    )
    config = str(device.snapshot()["config"])
    assert "ip domain lookup" not in config
    assert "\nip http server\nno ip http secure-server\n" in config
    assert "line 2\n no activation-character\n no exec\n transport preferred none\n" in config
    assert "line vty 0 4\n exec-timeout 15 0\n login local\n" in config
    assert "no shutdown" not in config
    heads = [line for line in config.splitlines() if line.startswith("line ")]
    assert heads == ["line con 0", "line aux 0", "line 2", "line vty 0 4", "line vty 5 15"]
    session(device, "conf t", "no ip domain lookup", "no ip http server", "end")
    config = str(device.snapshot()["config"])
    assert "\nno ip domain lookup\n" in config and "\nno ip http server\n" in config


def test_a_factory_reset_box_prints_the_platform_lines_real_ios_has(device: IOSDevice) -> None:
    device.apply_fault("config-reset", None)
    config = str(device.snapshot()["config"])
    for line in (
        "hostname Router",
        "license udi pid CISCO2911/K9 sn FGL12345678",
        "redundancy",
        "interface GigabitEthernet0/1\n no ip address\n shutdown\n duplex auto\n speed auto\n",
        "ip http server\nip http secure-server\n",
        "control-plane",
        "line 2\n no activation-character\n no exec\n",
        "scheduler allocate 20000 1000",
    ):
        assert line in config
    assert "ip address 10." not in config and "ntp server" not in config


def _typed(device: IOSDevice, commands: list[str]) -> None:
    """Type remediation lines in configuration mode (a banner's lines one by one)."""
    lines = [part for command in commands for part in command.split("\n")]
    text = session(device, "configure terminal", *lines, "end")
    assert "% " not in text, text


def test_restore_of_a_reset_box_and_its_rollback_are_exact_on_the_lab_model() -> None:
    from netrawat.configs.normalize import normalize
    from netrawat.configs.sanitize import sanitize
    from netrawat.remediation import remediate
    from netrawat.repair.plan import engine_target, rollback_commands

    device = IOSDevice(make_spec())

    def running() -> str:
        return normalize(str(device.snapshot()["config"]), "cisco_ios").text

    good = running()
    device.apply_fault("config-reset", None)
    reset = running()

    class Restore:  # the parts of a RenderedRepair engine_target reads
        template = type("T", (), {"platform": "cisco_ios", "mode": "restore", "scope": ()})()
        intended = sanitize(good, "cisco_ios").text

    intended, scope = engine_target(Restore(), reset)  # type: ignore[arg-type]
    _typed(device, remediate("cisco_ios", reset, intended, scope, exact=True).commands)
    restored = running()
    assert [x for x in good.splitlines() if x not in restored.splitlines()] == [
        "snmp-server community komunitas-rahasia RO"
    ]
    assert [x for x in restored.splitlines() if x not in good.splitlines()] == []
    _typed(device, rollback_commands("cisco_ios", reset, restored))
    assert running() == reset, "the rollback gives back the factory configuration exactly"
