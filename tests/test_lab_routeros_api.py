"""The lab's RouterOS API server: wire codec, protocol, and napalm-ros against the lab.

Protocol tests drive `netrawat_lab.routeros.api.serve_session` with librouteros (the client
napalm-ros uses) over real TCP on loopback, against a small in-test stand-in backend.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import librouteros
import napalm
import pytest
from librouteros.exceptions import FatalError, TrapError
from librouteros.query import And, Key
from napalm.base.exceptions import ConnectionException, MergeConfigException
from netmiko import ConnectHandler

from netrawat_lab.handle import Lab
from netrawat_lab.routeros.api import serve_session
from netrawat_lab.routeros.api_backend import ApiBackend, ApiTrap, Emit, Reply
from netrawat_lab.routeros.api_codec import (
    ApiProtocolError,
    decode_length,
    encode_length,
    encode_sentence,
    extra_length_bytes,
    read_sentence,
)
from netrawat_lab.routeros.api_device import ModelBackend
from netrawat_lab.routeros.api_query import QueryError, compile_query, matches
from netrawat_lab.routeros.model import RouterOSModel
from netrawat_lab.spec import DeviceSpec

PrivateLab = Callable[..., Lab]

USER, PASSWORD = "netrawat", "lab-only-password"

# -- codec ---------------------------------------------------------------------------------

BOUNDARIES = [
    (0, 1),
    (0x7F, 1),
    (0x80, 2),
    (0x3FFF, 2),
    (0x4000, 3),
    (0x1FFFFF, 3),
    (0x200000, 4),
    (0xFFFFFFF, 4),
    (0x10000000, 5),
    (0xFFFFFFFF, 5),
]


@pytest.mark.parametrize(("length", "size"), BOUNDARIES)
def test_length_encoding_round_trips_at_every_boundary(length: int, size: int) -> None:
    encoded = encode_length(length)
    assert len(encoded) == size
    assert extra_length_bytes(encoded[0]) == size - 1
    assert decode_length(encoded) == length


@pytest.mark.parametrize(("length", "size"), BOUNDARIES[:-2])
def test_length_encoding_matches_librouteros(length: int, size: int) -> None:
    from librouteros import protocol

    assert encode_length(length) == protocol.encode_length(length)
    assert protocol.decode_length(encode_length(length)) == length


def test_reserved_control_byte_is_a_protocol_error() -> None:
    with pytest.raises(ApiProtocolError):
        extra_length_bytes(0xF8)
    with pytest.raises(ApiProtocolError):
        encode_length(0x100000000)


@pytest.mark.parametrize("size", [0, 1, 0x7F, 0x80, 0x3FFF, 0x4000, 0x200000])
def test_sentences_round_trip_through_a_stream(size: int) -> None:
    words = ["/file/add", "=name=x.rsc", "=contents=" + "a" * size, "=é=ü"]

    async def go() -> list[str]:
        reader = asyncio.StreamReader()
        reader.feed_data(encode_sentence(words) + encode_sentence([]))
        reader.feed_eof()
        first = await read_sentence(reader)
        assert await read_sentence(reader) == []
        return first

    assert asyncio.run(go()) == words


def test_word_over_the_limit_is_refused() -> None:
    async def go() -> None:
        reader = asyncio.StreamReader()
        reader.feed_data(encode_sentence(["x" * 200]))
        reader.feed_eof()
        await read_sentence(reader, max_length=100)

    with pytest.raises(ApiProtocolError):
        asyncio.run(go())


# -- print queries -------------------------------------------------------------------------

ROW = {"name": "ether1", "mtu": "1500", "comment": "WAN"}
QUERIES: list[tuple[list[str], bool]] = [
    ([], True),
    (["?name"], True),
    (["?-name"], False),
    (["?-running"], True),
    (["?name=ether1"], True),
    (["?=name=ether2"], False),
    (["?<mtu=1600"], True),
    (["?>mtu=1600"], False),
    (["?>mtu=900"], True),  # numbers compare as numbers, not text
    (["?name=ether2", "?#!"], True),
    (["?name=ether2", "?name=ether1", "?#|"], True),
    (["?name=ether2", "?name=ether1", "?#&"], False),
    (["?name=ether1", "?comment=LAN", "?#|!"], False),
    (["?name=ether2", "?mtu=1500", "?#."], False),  # a copy of the top is pushed: all must hold
    (["?name=ether2", "?mtu=1500", "?#0"], True),  # index at the end: stack := that value
    (["?name=ether2", "?mtu=1500", "?#1"], False),
]


@pytest.mark.parametrize(("words", "expected"), QUERIES, ids=[" ".join(w) for w, _ in QUERIES])
def test_query_stack_machine(words: list[str], expected: bool) -> None:
    assert matches(compile_query(words), ROW) is expected


@pytest.mark.parametrize("word", ["?#x", "?=", "?<mtu", "?"])
def test_malformed_queries_are_refused(word: str) -> None:
    with pytest.raises(QueryError):
        compile_query([word])


# -- a stand-in backend and a server thread ------------------------------------------------


class StandIn:
    """A tiny device: one list menu (/ip/address), one settings menu (/system/identity), ping."""

    version: tuple[int, ...] = (7, 18, 2)

    def __init__(self) -> None:
        self.addresses: list[Reply] = [
            {".id": "*1", "address": "10.21.4.1/24", "interface": "bridge", "disabled": "false"},
            {".id": "*2", "address": "100.64.4.2/30", "interface": "ether1", "disabled": "false"},
        ]
        self.identity: Reply = {"name": "RTR-TEST"}
        self.next_id = 3

    def rows(self, path: str, args: Mapping[str, str]) -> list[Reply]:
        if path == "/ip/address":
            return [dict(r) for r in self.addresses]
        if path == "/system/identity":
            return [dict(self.identity)]
        raise ApiTrap("no such command prefix")

    def _find(self, item: str) -> Reply:
        for row in self.addresses:
            if row[".id"] == item:
                return row
        raise ApiTrap("no such item", 0)

    async def call(self, path: str, command: str, args: Mapping[str, str], emit: Emit) -> Reply:
        if path == "" and command == "ping":
            for seq in range(int(args.get("count", "1000"))):
                await emit({"seq": str(seq), "host": args["address"], "time": "1ms"})
                await asyncio.sleep(0.05)
            return {}
        if path == "/ip/address" and command == "add":
            row = {".id": f"*{self.next_id}", "disabled": "false", **args}
            self.next_id += 1
            self.addresses.append(row)
            return {"ret": row[".id"]}
        if path == "/ip/address" and command in ("set", "remove"):
            row = self._find(args.get(".id", ""))
            if command == "remove":
                self.addresses.remove(row)
            else:
                row.update({k: v for k, v in args.items() if k != ".id"})
            return {}
        if path == "/system/identity" and command == "set":
            self.identity.update(args)
            return {}
        raise ApiTrap("no such command" if path in ("/ip/address",) else "no such command prefix")


@contextmanager
def api_server(backend: ApiBackend) -> Iterator[int]:
    """Serve the stand-in on a loopback port from a background event loop."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    holder: dict[str, asyncio.Server] = {}

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(asyncio.CancelledError):
            await serve_session(backend, reader, writer, lambda u, p: (u, p) == (USER, PASSWORD))

    async def start() -> None:
        holder["server"] = await asyncio.start_server(handler, "127.0.0.1", 0)
        ready.set()

    thread = threading.Thread(target=lambda: (loop.run_until_complete(start()), loop.run_forever()))
    thread.start()
    ready.wait(10)
    try:
        yield holder["server"].sockets[0].getsockname()[1]
    finally:

        async def shutdown() -> None:
            holder["server"].close()
            others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in others:
                task.cancel()
            await asyncio.gather(*others, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(shutdown(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


@pytest.fixture
def standin() -> StandIn:
    return StandIn()


@pytest.fixture
def api(standin: StandIn) -> Iterator[librouteros.api.Api]:
    with api_server(standin) as port:
        connection = librouteros.connect("127.0.0.1", USER, PASSWORD, port=port, timeout=5)
        yield connection
        connection.close()


# -- protocol against the stand-in ---------------------------------------------------------


def test_login_with_wrong_password_is_a_trap(standin: StandIn) -> None:
    with api_server(standin) as port:
        with pytest.raises(TrapError) as info:
            librouteros.connect("127.0.0.1", USER, "wrong", port=port, timeout=5)
        assert str(info.value) == "invalid user name or password (6)"


def test_command_before_login_is_fatal(standin: StandIn) -> None:
    with api_server(standin) as port:
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        proto = librouteros.protocol.ApiProtocol(
            librouteros.connections.SocketTransport(sock), "ASCII"
        )
        proto.writeSentence("/ip/address/print")
        with pytest.raises(FatalError, match="not logged in"):
            proto.readSentence()


def test_print_lists_every_item_with_its_id(api: librouteros.api.Api) -> None:
    rows = list(api("/ip/address/print"))
    assert [r[".id"] for r in rows] == ["*1", "*2"]
    assert rows[0]["address"] == "10.21.4.1/24"
    assert rows[0]["disabled"] is False


def test_print_with_proplist_and_query(api: librouteros.api.Api) -> None:
    path = api.path("/ip/address")
    rows = list(path.select(Key("address")).where(Key("interface") == "ether1"))
    assert rows == [{"address": "100.64.4.2/30"}]
    either = Key("interface").In("ether1", "bridge")
    assert len(list(path.select(Key(".id")).where(either))) == 2
    neither = And(Key("interface") != "ether1", Key("interface") != "bridge")
    assert list(path.select(Key(".id")).where(neither)) == []


def test_count_only_and_get(api: librouteros.api.Api) -> None:
    assert list(api("/ip/address/print", **{"count-only": ""})) == [{"ret": 2}]
    assert list(api("/system/identity/get", **{"value-name": "name"})) == [{"ret": "RTR-TEST"}]


def test_add_set_remove_round_trip(api: librouteros.api.Api) -> None:
    path = api.path("/ip/address")
    new_id = path.add(address="10.99.0.1/24", interface="ether2")
    assert new_id == "*3"
    path.update(**{".id": new_id, "comment": "lab"})
    assert [r["comment"] for r in path if r[".id"] == new_id] == ["lab"]
    path.remove(new_id)
    assert new_id not in [r[".id"] for r in path]


def test_errors_are_traps_and_the_session_survives(api: librouteros.api.Api) -> None:
    with pytest.raises(TrapError, match="no such command prefix"):
        list(api("/no/such/menu/print"))
    with pytest.raises(TrapError, match="no such item"):
        api.path("/ip/address").remove("*99")
    with pytest.raises(TrapError, match="unknown parameter bogus"):
        list(api("/ip/address/print", bogus="1"))
    assert list(api("/system/identity/print")) == [{"name": "RTR-TEST"}]


def test_streaming_command_is_tagged_and_cancellable(standin: StandIn) -> None:
    with api_server(standin) as port:
        conn = librouteros.connect("127.0.0.1", USER, PASSWORD, port=port, timeout=5)
        proto = conn.protocol
        proto.writeSentence("/ping", "=address=10.0.0.1", ".tag=p1")
        first = proto.readSentence()
        assert first[0] == "!re"
        assert ".tag=p1" in first[1]
        proto.writeSentence("/cancel", "=tag=p1", ".tag=c1")
        seen: list[tuple[str, tuple[str, ...]]] = []
        while ("!done", (".tag=c1",)) not in seen:
            seen.append(proto.readSentence())
        traps = [words for word, words in seen if word == "!trap"]
        assert traps == [("=category=2", "=message=interrupted", ".tag=p1")]
        assert ("!done", (".tag=p1",)) in seen
        conn.close()


def test_empty_print_answers_empty_on_7_18(api: librouteros.api.Api) -> None:
    proto = api.protocol
    proto.writeSentence("/ip/address/print", "?address=192.0.2.1/32")
    assert proto.readSentence() == ("!empty", ())
    assert proto.readSentence() == ("!done", ())


def test_quit_ends_the_session(api: librouteros.api.Api) -> None:
    api.protocol.writeSentence("/quit")
    with pytest.raises(FatalError, match="session terminated on request"):
        api.protocol.readSentence()


# -- the configuration model behind the API -------------------------------------------------


def small_model() -> RouterOSModel:
    model = RouterOSModel()
    for port in ("ether1", "ether2"):
        model.add_builtin("/interface/ethernet", {"name": port, "mac-address": "48:A9:8A:00:00:01"})
    model.set("/system/identity", None, {"name": "RTR-MODEL"})
    model.add("/ip/address", {"address": "10.21.4.1/24", "interface": "ether2"})
    return model


@pytest.fixture
def model_api() -> Iterator[tuple[librouteros.api.Api, RouterOSModel]]:
    model = small_model()
    with api_server(ModelBackend(model, (7, 16, 1))) as port:
        connection = librouteros.connect("127.0.0.1", USER, PASSWORD, port=port, timeout=5)
        yield connection, model
        connection.close()


def test_model_rows_use_api_booleans_and_ids(
    model_api: tuple[librouteros.api.Api, RouterOSModel],
) -> None:
    api, _model = model_api
    rows = list(api("/ip/address/print"))
    assert rows[0][".id"] == "*1"
    assert rows[0]["address"] == "10.21.4.1/24"
    assert rows[0]["network"] == "10.21.4.0"
    assert rows[0]["disabled"] is False


def test_model_changes_over_the_api_show_in_the_model(
    model_api: tuple[librouteros.api.Api, RouterOSModel],
) -> None:
    api, model = model_api
    addresses = api.path("/ip/address")
    new = addresses.add(address="10.99.0.1/30", interface="ether1", comment="uplink")
    assert model.get("/ip/address", new).comment == "uplink"
    addresses.update(**{".id": new, "address": "10.99.0.5/30"})
    assert model.get("/ip/address", new).values["address"] == "10.99.0.5/30"
    tuple(api("/ip/address/disable", numbers=new))
    assert model.get("/ip/address", new).disabled
    tuple(api("/interface/ethernet/set", **{".id": "ether1", "comment": "WAN"}))
    assert model.get("/interface", "ether1").comment == "WAN"
    tuple(api("/system/identity/set", name="RTR-RENAMED"))
    assert model.value("/system/identity", "name") == "RTR-RENAMED"
    addresses.remove(new)
    assert len(model.items("/ip/address")) == 1


def test_model_errors_come_back_with_routeros_messages(
    model_api: tuple[librouteros.api.Api, RouterOSModel],
) -> None:
    api, _model = model_api
    addresses = api.path("/ip/address")
    with pytest.raises(TrapError, match=r"^input does not match any value of interface$"):
        addresses.add(address="10.1.1.1/24", interface="ether9")
    with pytest.raises(TrapError, match=r"^invalid value for argument address$"):
        addresses.add(address="10.1.1.300/24", interface="ether1")
    with pytest.raises(TrapError, match=r"^no such item$"):
        addresses.remove("*77")
    with pytest.raises(TrapError, match=r"^unknown parameter colour$"):
        addresses.update(**{".id": "*1", "colour": "blue"})
    with pytest.raises(TrapError, match=r"^no such command$"):
        tuple(api("/system/identity/add", name="x"))
    with pytest.raises(TrapError, match=r"^no such command prefix$"):
        tuple(api("/ip/bogus/print"))
    with pytest.raises(TrapError, match=r"^failure: can not remove interface$"):
        tuple(api("/interface/ethernet/remove", numbers="ether1"))


def test_big_files_are_read_back_in_chunks(
    model_api: tuple[librouteros.api.Api, RouterOSModel],
) -> None:
    api, _model = model_api
    text = "".join(f"/ip address add address=10.{n // 250}.{n % 250}.1/24\n" for n in range(400))
    files = api.path("/file")
    files.add(name="big.rsc", contents=text)
    files.add(name="small.rsc", contents="# small\n")
    rows = {r["name"]: r for r in files.select(Key("name"), Key("size"), Key("contents"))}
    assert rows["small.rsc"]["contents"] == "# small\n"
    assert "contents" not in rows["big.rsc"]
    assert rows["big.rsc"]["size"] == len(text)
    chunks = []
    for offset in range(0, len(text), 4096):
        reply = list(api("/file/read", file="big.rsc", offset=offset, **{"chunk-size": 4096}))
        chunks.append(reply[0]["data"])
    assert "".join(chunks) == text


# -- napalm-ros and librouteros against the device lab (real TCP, real SSH) -----------------

GATEWAY_PROBE = "10.0.0.53"
"""The city resolver: beyond the uplink, answers pings while the internet is up."""


def _api_host(lab: Lab) -> DeviceSpec:
    return lab.spec(lab.hosts(platform="mikrotik_routeros", api=True)[0])


def _driver(spec: DeviceSpec, password: str | None = None) -> Any:
    driver_class = napalm.get_network_driver("ros")
    return driver_class(
        spec.address,
        spec.username,
        spec.password if password is None else password,
        timeout=10,
        optional_args={"port": spec.api_port, "ssh_port": spec.port},
    )


def _netmiko(spec: DeviceSpec) -> Any:
    return ConnectHandler(
        device_type="mikrotik_routeros",
        host=spec.address,
        port=spec.port,
        username=spec.username,
        password=spec.password,
        timeout=10,
    )


def _librouteros(spec: DeviceSpec) -> librouteros.api.Api:
    assert spec.api_port
    return librouteros.connect(
        spec.address, spec.username, spec.password, port=spec.api_port, timeout=10
    )


@pytest.fixture(scope="module")
def ros(lab: Lab) -> Iterator[Any]:
    driver = _driver(_api_host(lab))
    driver.open()
    yield driver
    driver.close()


def _check_facts(facts: dict[str, Any], spec: DeviceSpec) -> None:
    assert facts["hostname"] == spec.hostname
    assert facts["vendor"] == "MikroTik"
    assert facts["os_version"].startswith("7.16")
    assert facts["uptime"] > 0
    assert facts["serial_number"]
    assert "ether1" in facts["interface_list"]


def _check_interfaces(interfaces: dict[str, Any], _spec: DeviceSpec) -> None:
    assert interfaces["ether1"]["is_up"] is True
    assert interfaces["ether1"]["is_enabled"] is True
    assert interfaces["ether1"]["mtu"] == 1500
    assert any(not i["is_up"] for i in interfaces.values())  # ports without a cable
    ports = [i for name, i in interfaces.items() if name.startswith("ether")]
    assert all(len(i["mac_address"].split(":")) == 6 for i in ports)


def _check_counters(counters: dict[str, Any], _spec: DeviceSpec) -> None:
    assert counters["ether1"]["rx_octets"] > 0
    assert counters["ether1"]["tx_unicast_packets"] > 0
    assert counters["ether1"]["rx_errors"] == 0


def _check_environment(env: dict[str, Any], _spec: DeviceSpec) -> None:
    memory = env["memory"]
    assert memory["available_ram"] > memory["used_ram"] > 0
    assert "cpu0" in env["cpu"]
    assert 0 <= env["cpu"]["cpu0"]["%usage"] <= 100
    assert all(20 < t["temperature"] < 100 for t in env["temperature"].values())


def _check_config(configs: dict[str, str], _spec: DeviceSpec) -> None:
    running = configs["running"]
    assert running.startswith("# by RouterOS 7.16.1\n")
    assert "/ip address add " in running
    assert "/system identity set name=" in running


def _check_arp(table: list[dict[str, Any]], _spec: DeviceSpec) -> None:
    assert table
    assert all(row["ip"] and len(row["mac"].split(":")) == 6 for row in table)


def _check_ips(ips: dict[str, Any], _spec: DeviceSpec) -> None:
    prefixes = [p["prefix_length"] for i in ips.values() for p in i.get("ipv4", {}).values()]
    assert 24 in prefixes
    assert 30 in prefixes


def _check_snmp(snmp: dict[str, Any], _spec: DeviceSpec) -> None:
    assert snmp["chassis_id"]
    assert snmp["community"]
    assert all(c["mode"] in ("ro", "rw") for c in snmp["community"].values())


def _check_users(users: dict[str, Any], spec: DeviceSpec) -> None:
    assert users[spec.username]["level"] == 15


GETTERS: list[tuple[str, Callable[[Any, DeviceSpec], object]]] = [
    ("is_alive", lambda result, _spec: result == {"is_alive": True} or pytest.fail(result)),
    ("get_facts", _check_facts),
    ("get_interfaces", _check_interfaces),
    ("get_interfaces_counters", _check_counters),
    ("get_environment", _check_environment),
    ("get_config", _check_config),
    ("get_arp_table", _check_arp),
    ("get_interfaces_ip", _check_ips),
    # napalm-ros reads RouterOS 6's primary-ntp/secondary-ntp: on RouterOS 7 always {}
    ("get_ntp_servers", lambda result, _spec: result == {} or pytest.fail(result)),
    ("get_snmp_information", _check_snmp),
    ("get_users", _check_users),
    ("get_lldp_neighbors", lambda result, _spec: isinstance(result, dict) or pytest.fail(result)),
]


@pytest.mark.lab
@pytest.mark.parametrize(("getter", "check"), GETTERS, ids=[g for g, _ in GETTERS])
def test_napalm_ros_getter_works_against_the_lab(
    ros: Any, lab: Lab, getter: str, check: Callable[[Any, DeviceSpec], object]
) -> None:
    check(getattr(ros, getter)(), _api_host(lab))


@pytest.mark.lab
def test_napalm_ros_ping_over_the_api(ros: Any) -> None:
    result = ros.ping(GATEWAY_PROBE, count=2)["success"]
    assert result["probes_sent"] == 2
    assert result["packet_loss"] == 0
    assert 0 < result["rtt_min"] <= result["rtt_avg"] <= result["rtt_max"]
    assert [r["ip_address"] for r in result["results"]] == [GATEWAY_PROBE] * 2


@pytest.mark.lab
def test_api_config_matches_the_ssh_export(ros: Any, lab: Lab) -> None:
    api_config = ros.get_config(retrieve="running")["running"]
    with _netmiko(_api_host(lab)) as ssh:
        ssh_config = ssh.send_command("/export terse show-sensitive", read_timeout=30)
    body = [line for line in ssh_config.splitlines() if line.strip() and not line.startswith("#")]
    assert body == [line for line in api_config.splitlines() if not line.startswith("#")]


@pytest.mark.lab
def test_device_without_api_refuses_the_connection(lab: Lab) -> None:
    spec = lab.spec(lab.hosts(platform="mikrotik_routeros", api=False)[0])
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((spec.address, spec.port + 1), timeout=5).close()
    driver = _driver(spec)
    driver.optional_args["port"] = spec.port + 1
    driver.port = spec.port + 1
    with pytest.raises(ConnectionException, match="ConnectionRefusedError"):
        driver.open()


@pytest.mark.lab
def test_wrong_password_and_auth_failure_fault_refuse_the_api_login(lab: Lab) -> None:
    spec = _api_host(lab)
    with pytest.raises(ConnectionException, match=re.escape("invalid user name or password (6)")):
        _driver(spec, password="not-the-password").open()
    with lab.faulted(spec.hostname, "auth-failure"), pytest.raises(ConnectionException):
        _driver(spec).open()


@pytest.mark.lab
def test_changes_over_the_api_show_over_ssh_and_back(private_lab: PrivateLab) -> None:
    lab = private_lab()
    spec = _api_host(lab)
    api = _librouteros(spec)
    addresses = api.path("/ip/address")
    new_id = addresses.add(address="10.88.0.1/24", interface="ether3", comment="via-api")
    with _netmiko(spec) as ssh:
        assert "10.88.0.1/24" in ssh.send_command("/ip address print")
        ssh.send_command("/ip address add address=10.89.0.1/24 interface=ether4 comment=via-ssh")
        seen = list(
            addresses.select(Key(".id"), Key("comment")).where(Key("address") == "10.89.0.1/24")
        )
        assert [row["comment"] for row in seen] == ["via-ssh"]
        addresses.remove(new_id, str(seen[0][".id"]))
        printed = ssh.send_command("/ip address print")
        assert "10.88.0.1" not in printed
        assert "10.89.0.1" not in printed
    api.close()


@pytest.mark.lab
def test_napalm_ros_merge_commit_changes_the_device_and_a_bad_candidate_changes_nothing(
    private_lab: PrivateLab,
) -> None:
    lab = private_lab()
    spec = _api_host(lab)
    driver = _driver(spec)
    driver.open()
    try:
        driver.load_merge_candidate(config="/ip dns set servers=10.0.0.53,10.0.7.53\n")
        assert "+/ip dns set servers=10.0.0.53,10.0.7.53" in driver.compare_config()
        driver.commit_config()
        before = driver.get_config(retrieve="running")["running"]
        assert "servers=10.0.0.53,10.0.7.53" in before
        bad = "/ip address add address=10.90.0.1/24 interface=ether3\n/ip address add address=x\n"
        driver.load_merge_candidate(config=bad)
        with pytest.raises(MergeConfigException, match="dry-run validation"):
            driver.commit_config()
        assert driver.get_config(retrieve="running")["running"] == before
    finally:
        driver.close()
    with _netmiko(spec) as ssh:
        assert "10.0.7.53" in ssh.send_command("/ip dns print")
        assert "napalm-rollback.backup" in ssh.send_command("/file print")


def test_replies_wait_for_the_device_latency(standin: StandIn) -> None:
    calls: list[str] = []

    def delay() -> float:
        calls.append("asked")
        return 0.01

    async def go() -> None:
        finished = asyncio.Event()

        async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await serve_session(standin, reader, writer, lambda u, p: True, delay)
            finished.set()

        server = await asyncio.start_server(handler, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(encode_sentence(["/login", "=name=a", "=password=b"]))
        writer.write(encode_sentence(["/system/identity/print"]))
        assert await read_sentence(reader) == ["!done"]
        assert await read_sentence(reader) == ["!re", "=name=RTR-TEST"]
        writer.close()
        await asyncio.wait_for(finished.wait(), 10)
        server.close()
        await server.wait_closed()

    asyncio.run(go())
    assert calls == ["asked", "asked"]


@pytest.mark.lab
def test_commands_outside_menus_answer_as_the_cli_does(lab: Lab) -> None:
    api = _librouteros(_api_host(lab))
    with pytest.raises(TrapError, match=r"^no such command$"):
        list(api("/system/bogus-command"))
    with pytest.raises(TrapError, match=r"^no such command prefix$"):
        list(api("/bogus-command"))
    rows = list(api("/execute", script="/system identity print", **{"as-string": ""}))
    assert rows == [{"ret": f"  name: {_api_host(lab).hostname}\r\n"}]
    api.close()


@pytest.mark.lab
def test_unreachable_fault_closes_the_api_port_too(lab: Lab) -> None:
    spec = _api_host(lab)
    assert spec.api_port
    with lab.faulted(spec.hostname, "unreachable"), pytest.raises(ConnectionRefusedError):
        socket.create_connection((spec.address, spec.api_port), timeout=5).close()
    _librouteros(spec).close()


def test_oversized_word_before_login_drops_the_connection(standin: StandIn) -> None:
    with api_server(standin) as port:
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(encode_sentence(["/login", "=name=" + "x" * 5000]))
        # closed, or reset since the rest of the word was never read
        with contextlib.suppress(ConnectionResetError):
            assert sock.recv(100) == b""
        sock.close()


class BrokenPing(StandIn):
    async def call(self, path: str, command: str, args: Mapping[str, str], emit: Emit) -> Reply:
        if command == "ping":
            raise RuntimeError("a bug in the lab")
        return await super().call(path, command, args, emit)


def test_a_lab_bug_in_a_background_command_closes_the_connection() -> None:
    with api_server(BrokenPing()) as port:
        conn = librouteros.connect("127.0.0.1", USER, PASSWORD, port=port, timeout=5)
        with pytest.raises(librouteros.exceptions.ConnectionClosed):
            list(conn("/ping", address="10.0.0.1"))


@pytest.mark.lab
def test_slow_fault_delays_api_replies_too(lab: Lab) -> None:
    """`slow=MS` holds back every API reply, as it does SSH replies: a client whose timeout
    is shorter than the injected latency times out instead of getting an answer."""
    spec = _api_host(lab)
    assert spec.api_port
    with lab.faulted(spec.hostname, "slow", "3000"), pytest.raises((TimeoutError, OSError)):
        librouteros.connect(
            spec.address, spec.username, spec.password, port=spec.api_port, timeout=0.5
        )
    _librouteros(spec).close()
