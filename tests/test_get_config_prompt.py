"""get_config finds the prompt that ends an export without a regex per device: it must cut
exactly what ``re.escape(prompt) + r"[ \\t]*$"`` cut, on every recorded real session
(tests/captures/oxidized), whole, truncated and with the prompt trailing in every way."""

from __future__ import annotations

import random
import re

from oxidized_captures import sessions

from netrawat.tasks.get_config import TAIL, _body_after_echo, prompt_at_end

PROMPTS = [
    "[admin@MikroTik] >",
    "[admin@RTR-DINKES] <SAFE>",
    "R1#",
    "CR-DINKES(config-if)#",
    "switch>",
    "a+b*c?[x]$^.|",
    "#",
]
SUFFIXES = ["", " ", "  \t ", "\n", " \t\n", "\n\n", "x", " \nmore", "\t\r"]


def _reference(output: str, command: str, prompt: str) -> str | None:
    """The body as get_config cut it with a regex."""
    ends = re.compile(re.escape(prompt) + r"[ \t]*$")
    echo_at = output.find(command)
    if echo_at < 0:
        return None
    after = output[echo_at + len(command) :]
    if not ends.search(after[-TAIL:]):
        return None
    return ends.sub("", after).partition("\n")[2]


def _replies() -> list[tuple[str, str]]:
    found = [(c, out) for s in sessions() for c, out in s.commands.items()]
    assert len(found) > 20
    return found


def test_the_body_is_cut_as_the_regex_cut_it() -> None:
    checked = cut = 0
    for command, reply in _replies():
        for prompt in PROMPTS:
            for suffix in SUFFIXES:
                for body in (reply, reply[: len(reply) // 2], f"{prompt}\n{reply}"):
                    output = f"{prompt} {command}\n{body}{prompt}{suffix}"
                    got = _body_after_echo(output, command, prompt)
                    assert got == _reference(output, command, prompt), (prompt, suffix)
                    checked += 1
                    cut += got is not None
    assert checked > 1000 and 0 < cut < checked


def test_prompt_at_end_is_where_the_regex_matched() -> None:
    rng = random.Random(19)
    alphabet = "ab#>] \t\n["
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        prompt = "".join(rng.choice("ab#>][") for _ in range(rng.randint(1, 3)))
        match = re.search(re.escape(prompt) + r"[ \t]*$", text)
        assert prompt_at_end(text, prompt) == (match.start() if match else None), (text, prompt)
