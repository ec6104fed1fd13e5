"""prepare(): what may be stored, from real captures and damaged copies of them."""

from __future__ import annotations

from pathlib import Path

import pytest
from oxidized_captures import ROOT, Session, sessions

from netrawat.configs.pipeline import Prepared, Rejected, prepare
from netrawat.configs.verify import Fetched
from netrawat.tasks.get_config import export_command, parse_major


@pytest.mark.parametrize("session", sessions(), ids=lambda s: s.name)
def test_capture_is_prepared_without_volatile_lines_or_secrets(session: Session) -> None:
    outcome = prepare(Fetched(session.platform, session.config, True), None)
    assert isinstance(outcome, Prepared)
    assert outcome.ignored and outcome.lines > 10
    for secret in session.must_not_store:
        assert secret not in outcome.stored
    assert outcome.private.count("\n") == outcome.stored.count("\n")
    again = prepare(Fetched(session.platform, session.config, True), outcome.stored)
    assert isinstance(again, Prepared) and again.stored == outcome.stored


@pytest.mark.parametrize("session", sessions(), ids=lambda s: s.name)
def test_half_a_capture_is_rejected_against_the_full_one(session: Session) -> None:
    full = prepare(Fetched(session.platform, session.config, True), None)
    assert isinstance(full, Prepared)
    lines = session.config.splitlines(keepends=True)
    half = "".join(lines[: len(lines) // 3])
    if session.platform == "cisco_ios":
        half += "end\n"  # even with a plausible end, the size check catches it
    outcome = prepare(Fetched(session.platform, half, True), full.stored)
    assert isinstance(outcome, Rejected)
    assert outcome.check in {"size", "end"}


def test_known_secret_left_in_place_is_rejected() -> None:
    text = '/system note set note="wifi: Rahasia-Dinkes-1"\n/ip dns set servers=10.0.0.53\n'
    outcome = prepare(
        Fetched("mikrotik_routeros", text, True), None, known_secrets={"Rahasia-Dinkes-1"}
    )
    assert outcome == Rejected(
        "secret",
        "secret scan found what sanitizing missed: "
        "line 1: known-secret (a credential netrawat holds)",
    )


RESOURCE_CAPTURES = (
    ROOT
    / "tests"
    / "captures"
    / "ntc-templates"
    / "tests"
    / "mikrotik_routeros"
    / "system_resource_print"
)


@pytest.mark.parametrize("raw", sorted(RESOURCE_CAPTURES.glob("*.raw")), ids=lambda p: p.stem)
def test_export_command_follows_the_major_version(raw: Path) -> None:
    text = raw.read_text()
    major = parse_major(text)
    assert major in (6, 7)
    expected = "/export terse" if major == 6 else "/export terse show-sensitive"
    assert export_command(major) == expected
    assert export_command(8) == "/export terse show-sensitive"
    assert parse_major("uptime: 3h\nboard-name: CHR\n") is None


@pytest.mark.parametrize("session", sessions(), ids=lambda s: s.name)
def test_an_unchanged_capture_is_still_scanned(session: Session) -> None:
    """A text equal to the stored one skips the shrink and factory work (nothing lost, no
    new marker), never the secret scan: a credential netrawat newly holds is caught."""
    fetched = Fetched(session.platform, session.config, True)
    first = prepare(fetched, None)
    assert isinstance(first, Prepared)
    again = prepare(fetched, first.stored, expected_identity="ANOTHER-DEVICE")
    assert isinstance(again, Prepared) and again == first  # the stored identity counts too
    word = next(w for w in first.stored.split() if len(w) >= 8 and w.isalnum())
    held = prepare(fetched, first.stored, known_secrets=[word])
    assert isinstance(held, Rejected) and held.check == "secret"
