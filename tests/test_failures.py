"""The one failure classifier: library exceptions by class, through their wrappers."""

from __future__ import annotations

import paramiko
import pytest
from librouteros.exceptions import TrapError
from napalm.base.exceptions import ConnectAuthError
from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException, ReadTimeout

from netrawat.errors import DeviceCommandError, HostKeyError, InputError
from netrawat.failures import Failure, classify, root_exception


def _wrapped(inner: BaseException, outer: BaseException) -> BaseException:
    try:
        try:
            raise inner
        except BaseException as exc:
            raise outer from exc
    except BaseException as caught:
        return caught


CASES: list[tuple[BaseException, str]] = [
    (NetmikoAuthenticationException("Authentication to device failed."), "auth"),
    (paramiko.AuthenticationException("Authentication failed."), "auth"),
    (ConnectAuthError("bad password"), "auth"),
    (ReadTimeout("Pattern not detected: 'R1#' in output."), "timeout"),
    (NetmikoTimeoutException("TCP connection to device failed."), "connect"),
    (paramiko.SSHException("Error reading SSH protocol banner"), "connect"),
    (TimeoutError("timed out"), "connect"),
    (ConnectionRefusedError(111, "Connection refused"), "refused"),
    (
        _wrapped(ConnectionRefusedError(111, "refused"), NetmikoTimeoutException("TCP failed")),
        "refused",
    ),
    (TrapError("no such command"), "device"),
    (DeviceCommandError("'show x' answered '% Invalid input'"), "device"),
    (HostKeyError("SSH HOST KEY CHANGED for 127.0.0.1", "verify the device"), "host-key"),
    (UnboundLocalError("cannot access local variable 'proc_total_mem'"), "internal"),
]


@pytest.mark.parametrize(("exc", "kind"), CASES, ids=[type(e).__name__ + k for e, k in CASES])
def test_kinds_by_class(exc: BaseException, kind: str) -> None:
    failure = classify(exc)
    assert failure.kind == kind
    assert failure.reason and "\n" not in failure.reason


def test_no_session_kinds_are_unreachable_and_the_rest_are_not() -> None:
    assert not classify(NetmikoAuthenticationException("x")).session_made
    assert not classify(ConnectionRefusedError(111, "x")).session_made
    assert classify(ReadTimeout("echo not detected")).session_made
    assert classify(KeyError("proc_total_mem")).session_made


def test_reason_keeps_the_words_and_hint() -> None:
    failure = classify(InputError("bad value", "use 10.0.0.1"))
    assert failure == Failure("device", "bad value", "use 10.0.0.1")
    assert failure.one_line() == "bad value (hint: use 10.0.0.1)"
    assert classify(None).kind == "internal"


def test_root_exception_prefers_our_own_error_then_the_innermost() -> None:
    own = DeviceCommandError("refused")
    inner = KeyError("x")
    assert root_exception([RuntimeError("wrapper"), own]) is own
    assert root_exception([RuntimeError("wrapper"), inner]) is inner
    assert root_exception([None, None]) is None


def test_a_wrapped_error_speaks_with_the_innermost_words_of_its_kind() -> None:
    banner = _wrapped(TimeoutError(), paramiko.SSHException("Error reading SSH protocol banner"))
    exc = _wrapped(banner, NetmikoTimeoutException("A paramiko SSHException occurred"))
    failure = classify(exc)
    assert failure.kind == "connect" and not failure.session_made
    assert "Error reading SSH protocol banner" in failure.reason
