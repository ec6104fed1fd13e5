"""The wheel owns what it runs: built from the checkout, installed (not editable) into a
clean virtual environment and run from another directory, netrawat lists both platforms'
templates, compares against intended configs, starts its lab from the example inventory it
ships, surveys a device and tells the whole SOP in its demo, as from the checkout."""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.lab

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("netrawat", "netrawat_lab", "tasks", "playbooks", "templates", "inventory")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """``bin/`` of a fresh venv holding only the built wheel; its dependencies come from this
    test run's environment through a .pth path (no netrawat of the checkout on it)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    for name in (*SOURCES, "pyproject.toml", "setup.py", "README.md"):
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy2
        copy(ROOT / name, source / name)  # type: ignore[operator]
    dist = work / "dist"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(dist), str(source)],
        check=True, capture_output=True, text=True, cwd=work,
    )  # fmt: skip
    (work / "build.log").write_text(built.stdout + built.stderr, encoding="utf-8")
    (wheel,) = dist.glob("netrawat-*.whl")
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=False)
    where = "import sysconfig; print(sysconfig.get_path('purelib'))"
    purelib = subprocess.run(
        [str(env_dir / "bin" / "python"), "-c", where], check=True, capture_output=True, text=True
    ).stdout.strip()
    (Path(purelib) / "dependencies.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n", encoding="utf-8"
    )
    install = ["install", "--no-deps", "-q", "--target", purelib, str(wheel)]
    subprocess.run([sys.executable, "-m", "pip", *install], check=True, capture_output=True)
    yield env_dir / "bin"


def _netrawat(
    bin_dir: Path, cwd: Path, *args: str, timeout: int = 180
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETRAWAT_")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        [str(bin_dir / "python"), "-m", "netrawat", *args],
        check=False, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


def test_the_installed_package_is_not_the_checkout(installed: Path, tmp_path: Path) -> None:
    probe = "import netrawat, netrawat_lab, netrawat.templates as t; print(t.__file__)"
    command = [str(installed / "python"), "-c", probe]
    out = subprocess.run(command, check=False, cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert str(ROOT) not in out.stdout and "site-packages" in out.stdout


def test_building_the_wheel_gives_no_setuptools_warning(installed: Path) -> None:
    """Data folders (templates/cisco_ios/repair, netrawat/web/static, ...) are listed as
    namespace packages: setuptools warns about none ("Package ... is absent from the
    `packages` configuration"), and the wheel still holds them (the tests below run them)."""
    log = (installed.parent.parent / "build.log").read_text(encoding="utf-8")
    assert "absent from the `packages` configuration" not in log, log[-2000:]
    assert "Warning" not in log, log[-2000:]


def test_repair_list_shows_both_platforms_templates(installed: Path, tmp_path: Path) -> None:
    done = _netrawat(installed, tmp_path, "repair", "--list", "--json")
    assert done.returncode == 0, done.stderr
    platforms = {t["platform"] for t in json.loads(done.stdout)}
    assert platforms == {"mikrotik_routeros", "cisco_ios"}


def test_lab_health_and_intended_diff_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    lab_dir, state = tmp_path / "lab", tmp_path / "state"
    up = _netrawat(installed, tmp_path, "lab", "up", "--dir", str(lab_dir), "--devices", "2")
    assert up.returncode == 0, up.stderr
    try:
        fleet = ("--inventory", str(lab_dir), "--state", str(state), "--trust-new-hosts", "--json")
        health = _netrawat(installed, tmp_path, "health", *fleet)
        assert health.returncode in (0, 1), health.stderr
        assert json.loads(health.stdout)["devices"]
        diff = _netrawat(installed, tmp_path, "diff", "--against", "intended", *fleet)
        assert diff.returncode in (0, 1), diff.stderr
        assert json.loads(diff.stdout)["hosts"]
        assert "Traceback" not in health.stderr + diff.stderr
    finally:
        _netrawat(installed, tmp_path, "lab", "down", "--dir", str(lab_dir))


def test_the_demo_runs_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    done = _netrawat(installed, tmp_path, "demo", "--dir", str(tmp_path / "demo"), timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "Traceback" not in done.stderr
