"""The config repository: one commit per run, no commit without change, atomic under kill -9."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from netrawat.configs.repo import ConfigRepo, GitError, SecretLeakError, backup_path
from netrawat.errors import InputError

CHURN = """
import sys
from pathlib import Path
from netrawat.configs.repo import ConfigRepo
repo = ConfigRepo(Path(sys.argv[1]))
repo.ensure()
generation = 0
print("ready", flush=True)
while True:
    generation += 1
    body = "".join(f"/ip address add address=10.{generation % 250}.{i % 250}.1/24\\n"
                   for i in range(3000))
    files = {f"opd{n}/RTR-{n}.rsc": f"# generation {generation}\\n" + body for n in range(8)}
    repo.commit(files, f"generation {generation}")
"""


@pytest.fixture
def repo(tmp_path: Path) -> ConfigRepo:
    made = ConfigRepo(tmp_path / "configs")
    made.ensure()
    return made


def _log(repo: ConfigRepo) -> list[str]:
    return repo.git("log", "--format=%s").splitlines()


def test_commit_then_unchanged_then_one_change(repo: ConfigRepo) -> None:
    assert repo.head() is None
    first = repo.commit({"dinkes/RTR-DINKES.rsc": "/ip dns set servers=10.0.0.53\n"}, "first")
    assert first and repo.head() == first
    assert repo.commit({"dinkes/RTR-DINKES.rsc": "/ip dns set servers=10.0.0.53\n"}, "x") is None
    assert repo.commit({}, "nothing") is None
    second = repo.commit({"dinkes/RTR-DINKES.rsc": "/ip dns set servers=10.9.9.9\n"}, "second")
    assert second and second != first
    assert _log(repo) == ["second", "first"]
    diff = repo.git("diff", first, second, "--unified=0").splitlines()
    assert [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")] == [
        "-/ip dns set servers=10.0.0.53",
        "+/ip dns set servers=10.9.9.9",
    ]
    assert repo.read("dinkes/RTR-DINKES.rsc") == "/ip dns set servers=10.9.9.9\n"
    assert (repo.root / "dinkes" / "RTR-DINKES.rsc").read_text() == "/ip dns set servers=10.9.9.9\n"
    assert repo.git("status", "--porcelain") == ""


def test_other_hosts_files_are_kept(repo: ConfigRepo) -> None:
    repo.commit({"a/A.rsc": "/a\n", "b/B.cfg": "end\n"}, "both")
    repo.commit({"a/A.rsc": "/a2\n"}, "only a")
    assert repo.read_all() == {"a/A.rsc": "/a2\n", "b/B.cfg": "end\n"}


def test_secret_blocks_the_whole_commit(repo: ConfigRepo) -> None:
    repo.commit({"a/A.cfg": "hostname A\nend\n"}, "clean")
    before = repo.head()
    with pytest.raises(SecretLeakError) as info:
        repo.commit(
            {"a/A.cfg": "hostname A2\nend\n", "b/B.cfg": "enable secret 5 $1$abcdefgh\nend\n"},
            "leaky",
            platforms={"b/B.cfg": "cisco_ios"},
        )
    assert "b/B.cfg:1" in info.value.one_line()
    assert "ios-enable-secret" in info.value.one_line(), "the rule is named"
    assert list(info.value.leaks) == ["b/B.cfg"], "the clean file could still be stored"
    assert "abcdefgh" not in info.value.one_line()
    assert repo.head() == before
    with pytest.raises(SecretLeakError):
        repo.commit({"a/A.rsc": "/system note set note=Rahasia-42\n"}, "m", ["Rahasia-42"])


def test_metadata_is_never_blocked_on_a_credential(repo: ConfigRepo) -> None:
    """Issue 15.3: password ``root`` matched ``Operator: root`` and blocked every backup. The
    message is not scanned; a credential netrawat holds is replaced in it instead."""
    sha = repo.commit(
        {"a/A.rsc": "/ip dns\n"}, "Operator: root\nB said Rahasia-42", ["root", "Rahasia-42"]
    )
    assert sha is not None
    message = repo.git("log", "-1", "--format=%B")
    assert "Operator: root" in message and "Rahasia-42" not in message
    assert "B said <removed>" in message
    assert repo.commit({"a/A.rsc": "/ip dns\n/user add name=root\n"}, "m", ["root"])


@pytest.mark.parametrize(
    ("opd", "host"), [("../etc", "R"), ("dinkes", "a/b"), ("dinkes", ".."), ("", "R")]
)
def test_unsafe_names_never_become_paths(opd: str, host: str) -> None:
    with pytest.raises(InputError):
        backup_path(opd, host, "rsc")
    assert backup_path("dinkes", "RTR-DINKES", "rsc") == "dinkes/RTR-DINKES.rsc"


def test_kill_9_mid_commit_leaves_a_consistent_repository(repo: ConfigRepo) -> None:
    generations = set()
    for delay in (0.35, 0.6, 0.9, 1.3):
        proc = subprocess.Popen(
            [sys.executable, "-c", CHURN, str(repo.root)], stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(delay)
        proc.kill()
        proc.wait()
        repo.ensure()  # what the next run does first
        fsck = subprocess.run(
            ["git", "-C", str(repo.root), "fsck", "--full", "--strict"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert fsck.returncode == 0, fsck.stdout + fsck.stderr
        assert repo.git("status", "--porcelain") == ""
        stored = repo.read_all()
        heads = {text.splitlines()[0] for text in stored.values()}
        assert len(heads) <= 1, "a commit holds files of one generation only"
        generations |= heads
    assert repo.head() is not None
    assert generations


def _lose_blob(repo: ConfigRepo, path: str) -> str:
    """Delete the loose object of ``path``'s blob, as a failing disk or a careless hand would."""
    blob = repo.git("rev-parse", f"main:{path}").strip()
    (repo.root / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    return blob


def test_a_lost_blob_is_healed_from_its_working_copy(repo: ConfigRepo) -> None:
    """Issue 15.7: recovery never removes the last readable copy."""
    text = "/ip dns set servers=10.0.0.53\n"
    repo.commit({"dinkes/RTR-DINKES.rsc": text, "rsud/RTR-RSUD.rsc": "/x\n"}, "first")
    _lose_blob(repo, "dinkes/RTR-DINKES.rsc")
    repo.recover()  # what the next backup does first
    assert (repo.root / "dinkes/RTR-DINKES.rsc").read_text() == text
    assert repo.read("dinkes/RTR-DINKES.rsc") == text
    repo.fsck()


def test_a_lost_blob_without_a_copy_stops_the_run_and_touches_nothing(repo: ConfigRepo) -> None:
    repo.commit({"dinkes/RTR-DINKES.rsc": "/a\n", "rsud/RTR-RSUD.rsc": "/b\n"}, "first")
    _lose_blob(repo, "dinkes/RTR-DINKES.rsc")
    edited = repo.root / "dinkes/RTR-DINKES.rsc"
    edited.write_text("/edited by hand\n")
    with pytest.raises(GitError) as caught:
        repo.recover()
    assert caught.value.exit_code == 3 and "dinkes/RTR-DINKES.rsc" in caught.value.message
    assert edited.read_text() == "/edited by hand\n"
    assert (repo.root / "rsud/RTR-RSUD.rsc").read_text() == "/b\n"


def test_push_takes_the_remote_after_a_double_dash(repo: ConfigRepo, tmp_path: Path) -> None:
    repo.commit({"a/B.rsc": "/x\n"}, "first")
    with pytest.raises(GitError) as caught:
        repo.push("--upload-pack=touch /tmp/netrawat-pwned")
    assert "does not appear to be a git repository" in caught.value.message or caught.value
    assert not Path("/tmp/netrawat-pwned").exists()
