"""Shared fixtures: a private copy of the sample project, the CLI run as a user runs it."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def copy_project(target: Path) -> Path:
    for name in ("content", "docs"):
        shutil.copytree(REPO / name, target / name)
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    return target


def zhengxie(root: Path, *args: str) -> Result:
    """Run `python -m generator` in a fresh process, as the console script does."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "-m", "generator", *args, "--root", str(root)] if args else [sys.executable, "-m", "generator"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=root,
    )
    return Result(done.returncode, done.stdout, done.stderr)


def processes_in(folder: Path, wait: float = 5.0) -> list[str]:
    """Command lines of the processes still working in `folder` (their working directory
    is in it), after giving them `wait` seconds to end; this process is not counted."""
    folder = folder.resolve()
    deadline = time.monotonic() + wait
    while True:
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) == os.getpid():
                continue
            try:
                cwd = Path(os.readlink(entry / "cwd"))
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:  # ended meanwhile, or not ours to read
                continue
            if cwd.is_relative_to(folder) and command:
                found.append(command)
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` with a hash of its bytes (to prove nothing was written)."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The sample project built once by `zhengxie build`; returns its site/ directory."""
    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    result = zhengxie(root, "build")
    assert result.code == 0, result.output
    return root / "site"


# Folders of files written for a person to look at (screenshots); listed after the run.
ARTIFACTS: list[Path] = []


def pytest_terminal_summary(terminalreporter):
    for folder in ARTIFACTS:
        terminalreporter.write_line(f"screenshots for a person to look at: {folder}")
