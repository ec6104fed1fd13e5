"""The key-exchange tuning against the lab's classic IOS 15 router, through real SSH: the fixed
RFC 3526 group is chosen over group exchange and its secret exponent has OpenSSH's size, and
the server (which checks the exchange hash our exponent went into) accepts the session."""

from __future__ import annotations

import doctest
import logging
import socket

import paramiko
import pytest

from netrawat import sshkex
from netrawat_lab.handle import Lab


def test_docstring_examples() -> None:
    result = doctest.testmod(sshkex)
    assert result.attempted > 0 and result.failed == 0


def test_exponents_have_exactly_the_drawn_size() -> None:
    drawn = {sshkex.draw_exponent(512).bit_length() for _ in range(200)}
    assert drawn == {512}


def _handshake(lab: Lab, host: str) -> paramiko.Transport:
    spec = lab.spec(host)
    sock = socket.create_connection((spec.address, spec.port), timeout=10)
    transport = paramiko.Transport(sock)
    transport.start_client(timeout=10)
    return transport


def _agreed_kex(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("Kex: ")]


def test_ios_session_uses_the_fixed_group_with_an_openssh_sized_exponent(
    lab: Lab, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    sshkex.tune_key_exchange()
    sshkex.tune_key_exchange()  # idempotent
    installed = paramiko.Transport._kex_info["diffie-hellman-group14-sha1"]
    assert installed is sshkex.ShortExponentGroup14
    exponents: list[int] = []

    class Recorded(sshkex.ShortExponentGroup14):  # sees the exponent the session drew
        def _generate_x(self) -> None:
            super()._generate_x()
            exponents.append(self.x)

    monkeypatch.setitem(paramiko.Transport._kex_info, installed.name, Recorded)
    ios = lab.hosts(platform="cisco_ios")[0]
    with caplog.at_level(logging.DEBUG, logger="paramiko.transport"):
        transport = _handshake(lab, ios)
    try:
        assert _agreed_kex(caplog) == ["Kex: diffie-hellman-group14-sha1"]
        assert [x.bit_length() for x in exponents] == [512]
        assert transport.host_key_type == "ssh-rsa"
        spec = lab.spec(ios)  # the server derived the same keys: the session authenticates
        transport.auth_password(spec.username, spec.password)
        assert transport.is_authenticated()
    finally:
        transport.close()


def test_routeros_session_keeps_its_elliptic_curve_exchange(
    lab: Lab, caplog: pytest.LogCaptureFixture
) -> None:
    sshkex.tune_key_exchange()
    with caplog.at_level(logging.DEBUG, logger="paramiko.transport"):
        transport = _handshake(lab, lab.hosts(platform="mikrotik_routeros")[0])
    transport.close()
    assert _agreed_kex(caplog)[0].startswith("Kex: curve25519")


@pytest.mark.parametrize(
    ("kex", "bits"),
    [
        (sshkex.ShortExponentGroup14, 512),
        (sshkex.ShortExponentGroup14SHA256, 512),
        (sshkex.ShortExponentGroup16SHA512, 1024),
    ],
)
def test_each_fixed_group_draws_the_exponent_openssh_draws(kex: type, bits: int) -> None:
    engine = kex(transport=None)
    engine._generate_x()
    assert engine.x.bit_length() == bits
