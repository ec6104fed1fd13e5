"""One interactive IOS session: user exec ``R1>``, privileged ``R1#``, ``configure terminal``
with its sub-modes, ``enable``, ``write memory``, ``copy running-config startup-config``."""

from __future__ import annotations

from netrawat_lab.contract import Terminal
from netrawat_lab.ios import archive, commands
from netrawat_lab.ios.config import Block, banner_complete, banner_delimiter, section_mode
from netrawat_lab.ios.configure import apply_child, apply_global
from netrawat_lab.ios.grammar import (
    CONFIG_GRAMMARS,
    MODE_WORDS,
    CliError,
    expand_config,
    match_keyword,
    tokens,
)
from netrawat_lab.ios.hashes import verify_secret
from netrawat_lab.ios.show_system import clock_period, running_config_text
from netrawat_lab.ios.state import Runtime

CONFIG_BANNER = "Enter configuration commands, one per line.  End with CNTL/Z."
CTRL_Z = "\x1a"
CONFIG_PROMPT_NAME = 20


def crlf(text: str) -> str:
    """IOS ends output lines with CR LF."""
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


class Session:
    """State of one shell: mode, the section being configured, the output channel."""

    def __init__(self, rt: Runtime, term: Terminal, privileged: bool) -> None:
        self.rt = rt
        self.term = term
        self.privileged = privileged
        self.mode: str | None = None  # None: exec; "config", "config-if", ...
        self.block: Block | None = None
        self.open = True

    # -- prompt and output -------------------------------------------------------------
    @property
    def prompt(self) -> str:
        """``R1>``, ``R1#``, ``R1(config)#``, ``R1(config-if)#``..."""
        name = self.rt.running.hostname
        if self.mode is not None:  # IOS shortens the hostname to 20 characters here
            return f"{name[:CONFIG_PROMPT_NAME]}({self.mode})#"
        return name + ("#" if self.privileged else ">")

    async def say(self, text: str) -> None:
        """Write output (LF line ends turned into CR LF)."""
        if text:
            await self.term.write(crlf(text))

    async def run(self) -> None:
        """Serve lines until the user leaves or the connection drops."""
        banner = self._motd()
        await self.say("\n" + (banner + "\n\n" if banner else ""))
        await self.term.write(self.prompt)
        while self.open:
            line = await self.term.read_line()
            if line is None:
                return
            await self.handle(line)
            if self.open:
                await self.term.write(self.prompt)

    def _motd(self) -> str:
        for head in self.rt.running.heads("banner", "motd"):
            delimiter = banner_delimiter(head) or ""
            body = head.split(maxsplit=2)[2][len(delimiter) :]
            return body.split(delimiter)[0].strip("\n")
        return ""

    async def handle(self, line: str) -> None:
        """One typed line in the current mode."""
        if "?" in line:  # IOS answers `?` at once and keeps the rest of the typed line
            await self._help(line[: line.index("?")])
            line = line.replace("?", "")
        try:
            if self.mode is None:
                await self.exec_line(line)
            else:
                await self.config_line(line)
        except CliError as error:
            await self.say(error.render(len(self.prompt)))

    async def _help(self, typed: str) -> None:
        """Context help for the first word (``conf?``), then the prompt and the typed text."""
        words = typed.split()
        if self.mode is None:
            keywords: list[str] = list(
                commands.EXEC_KEYWORDS if self.privileged else commands.USER_KEYWORDS
            )
        else:
            keywords = [*CONFIG_GRAMMARS[self.mode], *MODE_WORDS]
        if len(words) == 1 and not typed.endswith(" "):
            matches = sorted(k for k in keywords if k.startswith(words[0].lower()))
            listing = "  ".join(matches) if matches else "% Unrecognized command"
        elif not words:
            listing = "\n".join(f"  {k}" for k in sorted(keywords))
        else:
            listing = "  <cr>"
        await self.say(f"{listing}\n\n")
        await self.term.write(self.prompt + typed)
        await self.say("\n")

    # -- exec mode ---------------------------------------------------------------------
    async def exec_line(self, line: str) -> None:
        """A command at ``R1>`` / ``R1#``."""
        if not line.strip():
            return
        command, pipe = commands.split_pipe(line)
        keyword, words = commands.parse_exec(command, self.privileged)
        handler = getattr(self, "cmd_" + keyword.replace("-", "_"), None)
        if handler is None:
            raise CliError("invalid", words[0][1]) if words else CliError("incomplete")
        reply: commands.Reply = await handler(words)
        text = pipe(reply.text) if pipe else reply.text
        if reply.bulk:
            if not await self.term.write_bulk(crlf(text)):
                self.open = False
            return
        await self.say(text)

    async def cmd_show(self, words: commands.Words) -> commands.Reply:
        """``show ...``."""
        return commands.run_show(self.rt, words, self.privileged)

    async def cmd_ping(self, words: commands.Words) -> commands.Reply:
        """``ping A.B.C.D [repeat N]``."""
        return commands.Reply(commands.run_ping(self.rt, words))

    async def cmd_terminal(self, words: commands.Words) -> commands.Reply:
        """``terminal length 0`` / ``terminal width 511`` / ``terminal monitor``."""
        if not words:
            raise CliError("incomplete")
        option = match_keyword(
            words[0][0], ("length", "width", "monitor", "no", "history"), words[0][1]
        )
        if option in {"length", "width"}:
            if len(words) < 2:
                raise CliError("incomplete")
            if not words[1][0].isdigit() or int(words[1][0]) > 512:
                raise CliError("invalid", words[1][1])
        return commands.Reply("")

    async def cmd_enable(self, words: commands.Words) -> commands.Reply:
        """``enable``: asks ``Password:`` for the enable secret (three tries)."""
        if words:
            raise CliError("invalid", words[0][1])
        if self.privileged:
            return commands.Reply("")
        secrets = [h.split()[-1] for h in self.rt.running.heads("enable", "secret")]
        secrets += [h.split()[-1] for h in self.rt.running.heads("enable", "password")]
        if not secrets:
            return commands.Reply("% No password set\n")
        for _ in range(3):
            await self.term.write("Password: ")
            typed = await self.term.read_line(echo=False)
            await self.term.write("\r\n")
            if typed is None:
                self.open = False
                return commands.Reply("")
            if any(verify_secret(typed, s) for s in secrets):
                self.privileged = True
                return commands.Reply("")
        return commands.Reply("% Bad secrets\n\n")

    async def cmd_disable(self, words: commands.Words) -> commands.Reply:
        """``disable``: back to user exec."""
        self.privileged = False
        return commands.Reply("")

    async def cmd_exit(self, words: commands.Words) -> commands.Reply:
        """``exit`` / ``logout`` / ``quit``: end the session."""
        self.open = False
        self.term.close()
        return commands.Reply("")

    cmd_logout = cmd_exit
    cmd_quit = cmd_exit

    async def cmd_configure(self, words: commands.Words) -> commands.Reply:
        """``configure terminal`` (bare ``configure`` asks where from)."""
        if not words:
            await self.term.write("Configuring from terminal, memory, or network [terminal]? ")
            answer = await self.term.read_line()
            words = [(answer or "terminal", 0)] if answer is not None else []
        if not words:
            self.open = False
            return commands.Reply("")
        where = match_keyword(
            words[0][0],
            ("terminal", "memory", "network", "replace", "confirm", "revert"),
            words[0][1],
        )
        if where == "confirm":
            return commands.Reply(archive.confirm(self.rt, self.term.username))
        if where == "revert":
            return self._revert(words[1:])
        if where != "terminal":
            raise CliError("invalid", words[0][1])
        before = ""
        if len(words) > 1:
            before = archive.arm(self.rt, self.term.username, *self._revert_timer(words[1:]))
            if not archive.armed(before):
                return commands.Reply(before)
        self.mode, self.block = "config", None
        return commands.Reply(before + CONFIG_BANNER + "\n")

    @staticmethod
    def _timer_minutes(words: commands.Words) -> int:
        """``MINUTES`` of a revert timer (1-120)."""
        if not words:
            raise CliError("incomplete")
        word, column = words[0]
        if not word.isdigit() or not archive.REVERT_MIN <= int(word) <= archive.REVERT_MAX:
            raise CliError("invalid", column)
        if len(words) > 1:
            raise CliError("invalid", words[1][1])
        return int(word)

    def _revert_timer(self, words: commands.Words) -> tuple[int, str]:
        """``revert timer [idle] MINUTES`` after ``configure terminal``: (minutes, kind)."""
        match_keyword(words[0][0], ("revert",), words[0][1])
        if len(words) < 2:
            raise CliError("incomplete")
        match_keyword(words[1][0], ("timer",), words[1][1])
        rest = words[2:]
        if rest and not rest[0][0].isdigit():
            match_keyword(rest[0][0], ("idle",), rest[0][1])
            return self._timer_minutes(rest[1:]), "idle"
        return self._timer_minutes(rest), "absolute"

    def _revert(self, words: commands.Words) -> commands.Reply:
        """``configure revert now`` / ``configure revert timer MINUTES``."""
        if not words:
            raise CliError("incomplete")
        what = match_keyword(words[0][0], ("now", "timer"), words[0][1])
        if self.rt.archive.pending is None:
            return commands.Reply(archive.NO_PENDING)
        if what == "now":
            archive.revert_now(self.rt)
        else:
            archive.arm(self.rt, self.term.username, self._timer_minutes(words[1:]))
        return commands.Reply("")

    async def cmd_write(self, words: commands.Words) -> commands.Reply:
        """``write [memory]`` saves; ``write terminal`` shows the running configuration."""
        what = "memory"
        if words:
            what = match_keyword(
                words[0][0], ("memory", "terminal", "erase", "network"), words[0][1]
            )
        if what == "terminal":
            return commands.Reply(running_config_text(self.rt), bulk=True)
        if what != "memory":
            raise CliError("invalid", words[0][1])
        return self._save()

    async def cmd_copy(self, words: commands.Words) -> commands.Reply:
        """``copy running-config startup-config`` asks for the destination file name."""
        if len(words) < 2:
            raise CliError("incomplete")
        places = ("running-config", "startup-config", "flash0:", "nvram:", "tftp:", "scp:")
        source = match_keyword(words[0][0], places, words[0][1])
        target = match_keyword(words[1][0], places, words[1][1])
        if (source, target) != ("running-config", "startup-config"):
            raise CliError("invalid", words[0][1])
        await self.term.write(crlf("Destination filename [startup-config]? "))
        answer = await self.term.read_line()
        if answer is None:
            self.open = False
            return commands.Reply("")
        return self._save()

    def _save(self) -> commands.Reply:
        self.rt.save(self.term.username, clock_period(self.rt))
        return commands.Reply("Building configuration...\n[OK]\n")

    # -- configuration mode ------------------------------------------------------------
    async def config_line(self, line: str) -> None:
        """A command at ``R1(config...)#``."""
        if CTRL_Z in line:
            self._leave_config()
            return
        if not line.strip():
            return
        assert self.mode is not None
        try:
            words = expand_config(self.mode, line, self.rt.hardware.physical)
        except CliError as error:
            if self.mode == "config":
                raise
            try:  # IOS tries the command in the parent mode before refusing it
                words = expand_config("config", line, self.rt.hardware.physical)
            except CliError:
                raise error from None
            self.mode, self.block = "config", None
        await self._apply(words, line)

    async def _apply(self, words: list[str], line: str) -> None:
        if words[0] == "end":
            self._leave_config()
        elif words[0] == "exit":
            if self.mode == "config":
                self._leave_config()
            else:
                self.mode, self.block = "config", None
        elif words[0] == "do":
            await self.exec_line(line.split(maxsplit=1)[1] if len(words) > 1 else "")
        elif self.block is not None:
            apply_child(self.rt, self.block, words)
            self.rt.config_changed(self.term.username)
        else:
            await self._apply_global(words, line)

    async def _apply_global(self, words: list[str], line: str) -> None:
        if words[:2] == ["no", "interface"] and words[2] in self.rt.hardware.physical:
            raise CliError("invalid", tokens(line)[2][1])  # physical ports cannot be removed
        if words[0] == "banner" and not banner_complete(" ".join(words)):
            words = await self._read_banner(line)
        block = apply_global(self.rt, words)
        self.rt.config_changed(self.term.username)
        if block is not None:
            self.mode, self.block = section_mode(block.head), block

    async def _read_banner(self, line: str) -> list[str]:
        delimiter = banner_delimiter(line.strip()) or "^C"
        shown = "^C" if delimiter == "^C" else delimiter
        await self.say(f"Enter TEXT message.  End with the character '{shown}'.\n")
        text = " ".join(line.split()[:2]) + " ^C" + line.split(maxsplit=2)[2][len(delimiter) :]
        while True:
            more = await self.term.read_line()
            if more is None:
                self.open = False
                break
            text += "\n" + more.replace(delimiter, "^C") if delimiter != "^C" else "\n" + more
            if delimiter in more:
                break
        return text.split(" ", 2)

    def _leave_config(self) -> None:
        self.mode, self.block = None, None
        self.rt.state.add_log(
            f"%SYS-5-CONFIG_I: Configured from console by {self.term.username} on vty0 (127.0.0.1)"
        )
