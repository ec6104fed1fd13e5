"""The git config repository under ``<state>/configs``: one commit per run, never a half state.

Layout: ``<opd>/<hostname>.<ext>`` (sanitized text only; the unsanitized copy, if kept, lives
in ``<state>/private`` outside git).

Why the ``git`` command line and not GitPython: GitPython is one more dependency that itself
runs the ``git`` binary for most work, and its high-level index API writes the working tree
and index in steps that a ``kill -9`` can interrupt. Plumbing commands make the commit atomic:
blobs are written as objects, a tree is built in a *temporary* index file, a commit object is
made, and only then does ``git update-ref`` move the branch in one compare-and-swap step.
A kill at any point leaves the branch on either the old or the new commit (``git fsck``
clean; at worst unreachable objects, which fsck reports as dangling, not as errors).
The working tree is a view of the branch, re-synchronised at the start of every run
(`ConfigRepo.recover`) and after every commit.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from netrawat.configs.secretscan import redact_known, scan
from netrawat.errors import CannotRunError, InputError

BRANCH = "main"
IDENTITY = {
    "GIT_AUTHOR_NAME": "netrawat",
    "GIT_AUTHOR_EMAIL": "netrawat@localhost",
    "GIT_COMMITTER_NAME": "netrawat",
    "GIT_COMMITTER_EMAIL": "netrawat@localhost",
}
_SAFE_COMPONENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$")
_ZERO = "0" * 40


class GitError(CannotRunError):
    """A git command failed on the config repository (exit code 3)."""


class SecretLeakError(CannotRunError):
    """The pre-commit secret scan found a secret: the commit is refused (exit code 3).

    ``leaks`` maps each refused path to its findings (``line N: rule (keyword)``), so a
    caller can drop those files, fail their hosts by name and commit the others."""

    def __init__(
        self, message: str, hint: str | None = None, leaks: Mapping[str, list[str]] | None = None
    ) -> None:
        super().__init__(message, hint)
        self.leaks: dict[str, list[str]] = dict(leaks or {})


def safe_component(value: str, what: str) -> str:
    """``value`` if it is safe as one path component (no slash, no ``..``), else InputError."""
    if not _SAFE_COMPONENT.match(value) or value in {".", ".."} or ".." in value:
        raise InputError(
            f"{what} {value!r} cannot be used as a file name in the config repository",
            "use letters, digits, '.', '_' and '-' only in inventory host names and OPD codes",
        )
    return value


def backup_path(opd: str, hostname: str, extension: str) -> str:
    """The repository path of a host's backup: ``<opd>/<hostname>.<ext>``."""
    return (
        f"{safe_component(opd, 'OPD code')}/{safe_component(hostname, 'host name')}."
        f"{safe_component(extension, 'extension')}"
    )


@dataclass(frozen=True)
class ConfigRepo:
    """A git repository of sanitized configurations."""

    root: Path

    def git(
        self, *args: str, input_text: str | None = None, env: Mapping[str, str] | None = None
    ) -> str:
        """Run ``git -C root args``; its stdout, or GitError with git's own message."""
        full_env = {**os.environ, **IDENTITY, "GIT_TERMINAL_PROMPT": "0", **(env or {})}
        proc = subprocess.run(
            ["git", "-C", str(self.root), *args],
            input=input_text,
            capture_output=True,
            text=True,
            env=full_env,
            check=False,
            umask=0o077,
        )
        if proc.returncode != 0:
            detail = (proc.stderr or proc.stdout).strip().splitlines()
            raise GitError(
                f"git {args[0]} failed in {self.root}: {detail[-1] if detail else proc.returncode}",
                "check the config repository with 'git -C <state>/configs status' and 'git fsck'",
            )
        return proc.stdout

    # -- life cycle -------------------------------------------------------------------------

    def ensure(self) -> None:
        """Create the repository on first use (branch `BRANCH`, safe local settings)."""
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not (self.root / ".git").is_dir():
            self.git("init", "--quiet", f"--initial-branch={BRANCH}")
            self.git("config", "core.fsync", "committed")
            self.git("config", "gc.auto", "0")
            self.git("config", "core.autocrlf", "false")
            self.git("config", "core.sharedRepository", "0600")
        self.recover()

    def head(self) -> str | None:
        """The commit the branch points at, or None before the first backup."""
        proc = subprocess.run(
            [
                "git",
                "-C",
                str(self.root),
                "rev-parse",
                "--verify",
                "--quiet",
                f"refs/heads/{BRANCH}",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        return proc.stdout.strip() or None

    def recover(self) -> None:
        """Undo what a killed run may have left: git lock files and a working tree that does
        not match the branch. Call only while holding the run lock (no other git user)."""
        git_dir = self.root / ".git"
        for stale in (git_dir / "index.lock", git_dir / "HEAD.lock"):
            stale.unlink(missing_ok=True)
        for stale in (git_dir / "refs").rglob("*.lock"):
            stale.unlink(missing_ok=True)
        if self.head():
            self.heal_missing_blobs()
            self.git("reset", "--quiet", "--hard", BRANCH)

    def heal_missing_blobs(self) -> None:
        """Check that every file of the branch can be read before the working tree is reset
        to it: a blob that was lost is written back from the working tree's copy when that copy
        is exactly it; otherwise `GitError` (exit 3) and the working tree stays untouched, so a
        damaged repository never costs the last readable copy of a backup."""
        listing = self.git("ls-tree", "-r", "-z", BRANCH).split("\0")
        blobs = {}
        for entry in filter(None, listing):
            meta, path = entry.split("\t", 1)
            blobs[path] = meta.split()[2]
        if not blobs:
            return
        checked = self.git(
            "cat-file", "--batch-check", input_text="".join(f"{b}\n" for b in blobs.values())
        ).splitlines()
        missing = {
            path: blob
            for (path, blob), line in zip(blobs.items(), checked, strict=False)
            if line.endswith(" missing")
        }
        lost = []
        for path, blob in missing.items():
            copy = self.root / path
            if copy.is_file() and not copy.is_symlink():
                healed = self.git("hash-object", "-w", "--no-filters", "--", path).strip()
                if healed == blob:
                    continue
            lost.append(path)
        if lost:
            raise GitError(
                f"the config repository {self.root} lost the stored copy of "
                f"{', '.join(sorted(lost)[:5])}; nothing was changed (its working-tree files, "
                "if any, were left as they are)",
                "restore <state>/configs from a pushed remote or a file backup "
                "(git fsck --full names what is missing)",
            )

    # -- reading ----------------------------------------------------------------------------

    def read(self, path: str) -> str | None:
        """The stored text at ``path`` on the branch, or None if there is none."""
        if not self.head():
            return None
        proc = subprocess.run(
            ["git", "-C", str(self.root), "cat-file", "blob", f"{BRANCH}:{path}"],
            capture_output=True,
            check=False,
        )
        return proc.stdout.decode("utf-8") if proc.returncode == 0 else None

    def read_all(self) -> dict[str, str]:
        """Every stored file on the branch, read from the synchronised working tree."""
        if not self.head():
            return {}
        names = self.git("ls-tree", "-r", "--name-only", "-z", BRANCH).split("\0")
        return {n: (self.root / n).read_text(encoding="utf-8") for n in names if n}

    # -- writing ----------------------------------------------------------------------------

    def _write_blobs(self, files: Mapping[str, str]) -> dict[str, str]:
        """Store each text as a blob object; path -> blob id."""
        with tempfile.TemporaryDirectory(dir=self.root / ".git") as tmp:
            sources = []
            for index, text in enumerate(files.values()):
                source = Path(tmp) / f"{index}"
                source.write_text(text, encoding="utf-8")
                sources.append(str(source))
            ids = self.git(
                "hash-object",
                "-w",
                "--no-filters",
                "--stdin-paths",
                input_text="\n".join(sources) + "\n",
            ).split()
        return dict(zip(files, ids, strict=True))

    def _build_tree(self, blobs: Mapping[str, str], parent: str | None) -> str:
        with tempfile.TemporaryDirectory(dir=self.root / ".git") as tmp:
            env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
            if parent:
                self.git("read-tree", parent, env=env)
            info = "".join(f"100644 blob {blob}\t{path}\n" for path, blob in blobs.items())
            self.git("update-index", "--add", "--index-info", input_text=info, env=env)
            return self.git("write-tree", env=env).strip()

    def commit(
        self,
        files: Mapping[str, str],
        message: str,
        known_secrets: Iterable[str] = (),
        platforms: Mapping[str, str] | None = None,
        *,
        scan_secrets: bool = True,
    ) -> str | None:
        """Store ``files`` (path -> text) as ONE commit; its id, or None if nothing changed.

        ``platforms`` maps a path to its platform for the scan (default: every detector).

        The secret scan runs on every file first: any finding refuses the whole commit
        (`SecretLeakError` with the findings per path), naming file, line and rule but never
        the secret. ``scan_secrets=False`` only for the owner-only private repository, whose
        purpose is the full copies. The message is metadata, not configuration: it is not
        scanned, but a credential netrawat holds is replaced in it by the placeholder.
        """
        known = tuple(known_secrets)
        leaks: dict[str, list[str]] = {}
        for path, text in files.items() if scan_secrets else ():
            found = scan(text, (platforms or {}).get(path, ""), known)
            if found:
                leaks[path] = [f.describe(path) for f in found]
        if leaks:
            where = "; ".join(line for found in leaks.values() for line in found[:3])
            raise SecretLeakError(
                f"secret scan blocked storing {', '.join(leaks)}: {where}",
                "add a sanitize rule for that line (netrawat/platforms/<os>.py); "
                "nothing of these files was stored",
                leaks,
            )
        message = redact_known(message, known)
        if not files:
            return None
        parent = self.head()
        tree = self._build_tree(self._write_blobs(files), parent)
        if parent and tree == self.git("rev-parse", f"{parent}^{{tree}}").strip():
            return None
        args = ["commit-tree", tree, "-F", "-"] + (["-p", parent] if parent else [])
        sha = self.git(*args, input_text=message).strip()
        self.git(
            "update-ref", "-m", "netrawat backup", f"refs/heads/{BRANCH}", sha, parent or _ZERO
        )
        self.git("reset", "--quiet", "--hard", BRANCH)
        return sha

    def push(self, remote: str) -> None:
        """Push the branch to ``remote`` (a configured remote name or URL; after ``--``, so a
        value starting with ``-`` is never read as an option)."""
        self.git("push", "--quiet", "--", remote, f"refs/heads/{BRANCH}:refs/heads/{BRANCH}")

    def fsck(self) -> str:
        """``git fsck --full`` output (raises GitError if the repository is corrupt)."""
        return self.git("fsck", "--full", "--no-progress")
