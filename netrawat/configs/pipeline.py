"""From what a device printed to what may be stored: verify, normalize, sanitize, scan.

`prepare` is pure (no I/O): it returns a `Prepared` backup or a `Rejected` one with the
failed check and its reason. The backup playbook quarantines rejected outputs and commits
prepared ones.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from netrawat.configs.normalize import normalize
from netrawat.configs.sanitize import sanitize
from netrawat.configs.secretscan import scan
from netrawat.configs.verify import DEFAULT_MIN_RATIO, Fetched, content_line_count, verify
from netrawat.platforms import PlatformProfile, profile_for


@dataclass(frozen=True)
class Prepared:
    """A verified configuration: ``stored`` goes to git, ``private`` is the full copy."""

    stored: str
    private: str
    lines: int
    ignored: dict[str, int] = field(default_factory=dict)
    """Volatile lines dropped, per normalize rule."""
    sanitized: dict[str, int] = field(default_factory=dict)
    """Secrets replaced, per sanitize rule."""


@dataclass(frozen=True)
class Rejected:
    """A configuration that must not replace the stored one."""

    check: str
    reason: str


def prepare(
    fetched: Fetched,
    previous: str | None,
    *,
    min_ratio: float = DEFAULT_MIN_RATIO,
    known_secrets: Iterable[str] = (),
    expected_identity: str | None = None,
    accept_reset: bool = False,
) -> Prepared | Rejected:
    """Verify ``fetched`` against the ``previous`` stored text, then normalize and sanitize.

    The size check compares normalized line counts (the stored text is normalized too); the
    shrink check compares the sanitized lines with the stored ones (`kept_share`); the
    identity check wants ``expected_identity`` (the inventory's) or the previous backup's;
    the factory check refuses factory-default markers the previous backup did not have.
    ``accept_reset`` (an operator's ``--accept-reset HOST``) turns size, shrink, identity and
    factory checks off: a known reset is recorded as such.
    """
    if accept_reset:
        min_ratio = 0.0
    previous_lines = content_line_count(previous) if previous is not None else None
    normalized = normalize(fetched.output, fetched.platform)
    checked = Fetched(fetched.platform, normalized.text, fetched.prompt_returned, fetched.problem)
    verdict = verify(checked, previous_lines=previous_lines, min_ratio=min_ratio)
    if not verdict.ok:
        return Rejected(verdict.check, verdict.reason)
    clean = sanitize(normalized.text, fetched.platform)
    findings = scan(clean.text, fetched.platform, known_secrets, rules=False)  # just sanitized
    if findings:
        where = "; ".join(f.describe() for f in findings[:3])
        return Rejected("secret", f"secret scan found what sanitizing missed: {where}")
    if not accept_reset:
        refused = _not_the_same_device(
            clean.text, previous, fetched.platform, expected_identity, min_ratio
        )
        if refused is not None:
            return refused
    return Prepared(
        stored=clean.text,
        private=normalized.text,
        lines=content_line_count(normalized.text),
        ignored=dict(normalized.hits),
        sanitized=dict(clean.hits),
    )


RESET_HINT = "if the device really was reset or replaced, record it with --accept-reset HOST"


def _meaningful(text: str) -> Counter[str]:
    """Content lines without comments (``#``/``!``: export headers, IOS separators)."""
    return Counter(
        line.rstrip()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith(("#", "!"))
    )


def kept_share(previous: str, new: str) -> float:
    """The share of the previous backup's lines still in ``new`` (1.0 with no previous lines).

    A factory reset keeps little: the lab's IOS router keeps 54 % (its platform lines), an AP
    none; an ordinary change keeps nearly all.

    >>> kept_share("a\\nb\\nc\\nd\\n", "a\\nb\\nc\\nx\\n")
    0.75
    """
    old = _meaningful(previous)
    total = sum(old.values())
    if not total:
        return 1.0
    return sum((old & _meaningful(new)).values()) / total


def identity_of(text: str, profile: PlatformProfile) -> str | None:
    """The identity a configuration gives its device; the platform's default (RouterOS
    ``MikroTik``: an export leaves a default identity out) when it sets none."""
    return profile.identity_from_config(text) or profile.default_identity


def _same_identity(a: str | None, b: str) -> bool:
    """Identities compare without case (``rtr-dinkes`` is ``RTR-DINKES``)."""
    return a is not None and a.casefold() == b.casefold()


def _not_the_same_device(
    text: str, previous: str | None, platform: str, expected: str | None, min_ratio: float
) -> Rejected | None:
    """Why ``text`` must not replace ``previous`` (shrink, identity, factory), or None.

    Identity and factory markers are platform data (`PlatformProfile.identity_from_config`,
    `PlatformProfile.new_factory_markers`). A text equal to ``previous`` (a repeat backup of
    an unchanged device, the common case) keeps every line, gives the same identity and has
    no marker ``previous`` lacks: those are not recomputed."""
    same = text == previous
    if previous is not None and min_ratio > 0:
        share = 1.0 if same else kept_share(previous, text)
        if share < min_ratio:
            return Rejected(
                "shrink",
                f"only {share:.0%} of the previous backup's lines are still there "
                f"(below {min_ratio:.0%}); {RESET_HINT}",
            )
    profile = profile_for(platform)
    actual = identity_of(text, profile)
    before = None if previous is None else actual if same else identity_of(previous, profile)
    wanted = [w for w in dict.fromkeys((expected, before)) if w]
    if actual is not None and wanted and not any(_same_identity(actual, w) for w in wanted):
        return Rejected(
            "identity",
            f"the device calls itself {actual!r}, expected {' or '.join(map(repr, wanted))} "
            f"(another device's or a reset configuration); {RESET_HINT}",
        )
    if previous is None or same:  # a first backup has nothing good to lose but its identity,
        return None  # an unchanged one no marker that was not there before
    markers = profile.new_factory_markers(previous, text)
    if markers:
        return Rejected(
            "factory",
            f"factory-default configuration ({', '.join(sorted(markers))}) that the previous "
            f"backup did not have: the device was reset; {RESET_HINT}",
        )
    return None
