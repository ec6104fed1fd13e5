"""Applying one expanded configuration command to the running configuration, as IOS does
(secrets hashed on entry, interface state changes logged)."""

from __future__ import annotations

from netrawat_lab.ios.config import Block, IOSConfig, section_mode
from netrawat_lab.ios.hashes import type9_hash
from netrawat_lab.ios.state import Runtime

PORT_DEFAULTS = ("duplex auto", "speed auto")


def store_secrets(words: list[str]) -> list[str]:
    """``enable secret X`` / ``username U secret X`` are stored as type 9 hashes."""
    if words[:2] == ["enable", "secret"] and len(words) == 3:
        return [*words[:2], "9", type9_hash(words[2])]
    if words[:2] == ["enable", "secret"] and words[2:3] == ["0"] and len(words) == 4:
        return [*words[:2], "9", type9_hash(words[3])]
    if words[0] == "username" and "secret" in words:
        index = words.index("secret")
        rest = words[index + 1 :]
        if len(rest) == 1:
            return [*words[: index + 1], "9", type9_hash(rest[0])]
        if rest[:1] == ["0"] and len(rest) == 2:
            return [*words[: index + 1], "9", type9_hash(rest[1])]
    return words


def _link_states(rt: Runtime) -> dict[str, tuple[str, str]]:
    return {i.name: rt.oper_status(i) for i in rt.running.interfaces()}


def _log_transitions(
    rt: Runtime, before: dict[str, tuple[str, str]], after: dict[str, tuple[str, str]]
) -> None:
    for name, (status, protocol) in after.items():
        old = before.get(name)
        if old is None or old == (status, protocol):
            continue
        if "admin" in status:
            rt.state.add_log(f"%LINK-5-CHANGED: Interface {name}, changed state to {status}")
        else:
            rt.state.add_log(f"%LINK-3-UPDOWN: Interface {name}, changed state to {status}")
        rt.state.add_log(
            f"%LINEPROTO-5-UPDOWN: Line protocol on Interface {name}, changed state to {protocol}"
        )


def apply_global(rt: Runtime, words: list[str]) -> Block | None:
    """A global command; returns the section block it opens, if any."""
    before = _link_states(rt)
    config: IOSConfig = rt.running
    block: Block | None = None
    if words[:2] == ["default", "interface"] and len(words) > 2:
        existing = config.find(f"interface {words[2]}")
        if existing is not None:  # back to factory settings; the interface stays
            existing.children = [c for c in existing.children if c in PORT_DEFAULTS]
    elif words[0] in {"no", "default"}:
        config.remove_global(words[1:], default=words[0] == "default")
    elif words[:2] == ["ip", "name-server"]:
        for server in words[2:]:
            config.set_global(f"ip name-server {server}")
    else:
        line = " ".join(store_secrets(words))
        block = config.set_global(line)
        if section_mode(line) is None:
            block = None
    _log_transitions(rt, before, _link_states(rt))
    return block


def apply_child(rt: Runtime, block: Block, words: list[str]) -> None:
    """A command inside a section (``no X`` removes)."""
    before = _link_states(rt)
    if words[0] in {"no", "default"}:
        IOSConfig.remove_child(block, words[1:], default=words[0] == "default")
    else:
        IOSConfig.set_child(block, " ".join(words))
    _log_transitions(rt, before, _link_states(rt))
