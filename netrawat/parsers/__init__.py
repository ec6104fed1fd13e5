"""Parse device output into rows: the project's own TextFSM templates, then ntc-templates.

Own templates live in ``templates/textfsm/<platform>/<name>.textfsm`` (ntc-templates style,
each tested against real captured output). They exist where ntc-templates 9.3 has no template
or breaks on RouterOS 7 output (the README, "Health checks and grading", lists where).

Output that cannot be parsed raises `ParseError`, which keeps the raw text: a caller reports
it as an error result, never as a silent pass.
"""

from __future__ import annotations

from netrawat.parsers.textfsm_runner import (
    OWN_TEMPLATES,
    ParseError,
    own_template_names,
    parse_ntc,
    parse_own,
)

__all__ = ["OWN_TEMPLATES", "ParseError", "own_template_names", "parse_ntc", "parse_own"]
