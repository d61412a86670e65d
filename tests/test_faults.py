"""Faults of the environment: a full disk, a read-only folder, a search indexing process or a
PDF worker that dies.  Every command ends in one Chinese line naming the cause, exit code 1,
no traceback, content/ and the previous site/ as they were.

The faults are made in a private mount namespace (`unshare -m`): a small tmpfs that is
filled up, or a read-only bind mount; nothing outside the test's folders is touched.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, Result, copy_project, processes_in, tree_digest, zhengxie
from docx import Document


def _namespaces_work() -> bool:
    """`unshare -m true` works, and so does mounting a tmpfs in the private namespace it makes."""
    import tempfile

    try:
        with tempfile.TemporaryDirectory() as folder:
            return all(subprocess.run(command, capture_output=True, timeout=20).returncode == 0 for command in (
                ["unshare", "-m", "true"],
                ["unshare", "-m", "sh", "-c", 'mount -t tmpfs -o size=1m tmpfs "$1"', "sh", folder],
            ))
    except (OSError, subprocess.SubprocessError):
        return False


pytestmark = pytest.mark.skipif(
    not _namespaces_work(),
    reason="`unshare -m true` (or a tmpfs mounted inside it) fails here: the faults are made in a private mount namespace, which needs root",
)

# Progress on stderr, not a message: a build's line as each stage ends (`terminal.Stages.end`),
# a preview's MkDocs INFO lines.
PROGRESS_LINE = re.compile(r"^(检查|网页|搜索索引|PDF)：.*秒$|^MkDocs INFO: ")
ENGLISH = re.compile(r"Errno|\b[A-Za-z]+(?: [A-Za-z-]+){2,}\b")  # an English sentence, not a name like Pagefind
FULL = "磁盘空间不足"
READ_ONLY = "只读"
DIED = "意外结束"

# Runs inside `unshare -m`: sets the fault up, runs the command, and (for the tmpfs, which
# goes with the namespace) copies content/ and site/ out as the command left them.
FAULT_SCRIPT = r"""
set -e
mode=$1; free=$2; project=$3; out=$4; shift 4
exec >"$out/setup.log" 2>&1
root="$project"
case "$mode" in
  disk)
    mount -t tmpfs -o size=64m tmpfs "$out/disk"
    cp -a "$project" "$out/disk/p"
    mkdir "$out/disk/tmp"
    dd if=/dev/zero of="$out/disk/filler" bs=64k || true
    if [ "$free" -gt 0 ]; then truncate -s "-$free" "$out/disk/filler"; fi
    df -k "$out/disk"
    root="$out/disk/p"
    export TMPDIR="$out/disk/tmp";;
  read-only) mount --bind "$project" "$project" && mount -o remount,bind,ro "$project";;
  read-only-site) mount --bind "$project/site" "$project/site" && mount -o remount,bind,ro "$project/site";;
  read-only-cache) mount --bind "$project/.cache" "$project/.cache" && mount -o remount,bind,ro "$project/.cache";;
  *) exit 99;;
esac
cd "$root"
: >"$out/started"
set +e
"$PYTHON" -m generator "$@" --root "$root" >"$out/stdout" 2>"$out/stderr"
code=$?
if [ "$mode" = disk ]; then
  mkdir -p "$out/after"
  cp -a "$root/content" "$out/after/content"
  [ -e "$root/site" ] && cp -a "$root/site" "$out/after/site"
fi
exit $code
"""


def _start_in_fault(mode: str, project: Path, out: Path, args: list[str], free: int = 0) -> subprocess.Popen:
    """`python -m generator *args --root …` under the fault `mode`; its output goes to `out`/stdout, stderr."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "disk").mkdir(exist_ok=True)
    return subprocess.Popen(
        ["unshare", "-m", "sh", "-c", FAULT_SCRIPT, "fault", mode, str(free), str(project), str(out), *args],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHON": sys.executable},
    )


def _ended(command: subprocess.Popen, out: Path, timeout: float) -> Result:
    command.wait(timeout)
    assert (out / "started").exists(), f"the fault could not be set up:\n{(out / 'setup.log').read_text()}"
    read = lambda name: (out / name).read_text(encoding="utf-8", errors="replace") if (out / name).exists() else ""
    return Result(command.returncode, read("stdout"), read("stderr"))


def _left_tree(mode: str, project: Path, out: Path) -> Path:
    """Where content/ and site/ are, as the command left them."""
    return out / "after" if mode == "disk" else project


def run_in_fault(mode: str, project: Path, out: Path, args: list[str], free: int = 0, timeout: float = 180) -> Result:
    return _ended(_start_in_fault(mode, project, out, args, free), out, timeout)


def _digests(folder: Path) -> tuple[dict, dict]:
    return tree_digest(folder / "content"), tree_digest(folder / "site")


def assert_fault_reported(result: Result, cause: str, before: tuple, after: tuple, where: Path) -> None:
    """A command the fault stopped: exit 1, one Chinese line naming `cause` (and, if it names
    a file by its full path, one in `where`, the folder with the fault), nothing changed.
    A command that fitted (exit 0) only has to show no traceback.  `before`, `after`: the
    digests of content/ and site/.  Every rule broken is listed."""
    __tracebackhide__ = True
    assert "Traceback" not in result.output, result.output
    if result.code == 0:
        return
    said = [line for line in result.stderr.splitlines() if line.strip() and not PROGRESS_LINE.match(line)]
    broken = []
    if result.code != 1:
        broken.append(f"exit code {result.code}, not 1")
    if len(said) != 1:
        broken.append(f"{len(said)} lines on stderr, not one")
    if not any(re.search(cause, line) for line in said):
        broken.append(f"no line names the cause ({cause})")
    if any(ENGLISH.search(line) for line in said):
        broken.append("English words in what it says")
    outside = [named for line in said for named in FULL_PATH.findall(line) if not Path(named).is_relative_to(where)]
    if outside:
        broken.append(f"names a file outside {where}, where the fault is: {outside[0]}")
    if _changes(before[0], after[0]):
        broken.append(f"content/ changed: {_changes(before[0], after[0])}")
    if _changes(before[1], after[1]):
        broken.append(f"the previous site/ changed: {_changes(before[1], after[1])}")
    assert not broken, "; ".join(broken) + ". stderr:\n" + _shown(result.stderr)


def _shown(text: str, lines: int = 12) -> str:
    kept = text.splitlines()
    return "\n".join(kept[:lines] + ([f"… and {len(kept) - lines} more lines"] if len(kept) > lines else []))


FULL_PATH = re.compile(r"(?<![\w./-])/[^\s（）：；，]+")


def _changes(before: dict, after: dict) -> list[str]:
    """The files added, removed or rewritten (the first ten)."""
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))[:10]


# --- the project, built once ----------------------------------------------------------------


def _briefing_docx(path: Path) -> Path:
    document = Document()
    document.add_paragraph("政协工作简报", style="Title")
    document.add_paragraph("政协昆都仑区委员会办公室　　2019年12月20日")
    document.add_heading("区政协召开常委会议", level=1)
    document.add_paragraph("会议听取了有关情况的通报，委员们围绕议题提出了意见建议。")
    document.save(path)
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The sample project with a site/ and a .cache/ from a build with plenty of space."""
    root = copy_project(tmp_path_factory.mktemp("faults") / "project")
    result = zhengxie(root, "build")
    assert result.code == 0, result.output
    return root


@pytest.fixture(scope="module")
def docx(tmp_path_factory) -> Path:
    return _briefing_docx(tmp_path_factory.mktemp("word") / "简报.docx")


def _needs_fixing(root: Path) -> None:
    """An ASCII comma between Chinese characters: `fmt --fix` has a file to rewrite."""
    issue = root / "content/briefings/2019/02.md"
    issue.write_text(issue.read_text(encoding="utf-8").replace("调研中，委员们", "调研中,委员们", 1), encoding="utf-8")


COMMANDS = {
    "check": ["check"],
    "build": ["build"],
    "build --no-pdf": ["build", "--no-pdf"],
    "pdf": ["pdf", "content/briefings/2019/02.md", "-o", "2019-02.pdf"],
    "new briefing": ["new", "briefing", "--date", "2019-12-20"],
    "new rule": ["new", "rule", "huiyi"],
    "import": ["import", "{docx}", "briefing"],
    "fmt --fix": ["fmt", "--fix"],
    "stats": ["stats"],
}


def _project_for(built: Path, tmp_path: Path, name: str, cache: bool = True) -> Path:
    project = tmp_path / "project"
    shutil.copytree(built, project, symlinks=True)
    if not cache:
        shutil.rmtree(project / ".cache")
    if name == "fmt --fix":
        _needs_fixing(project)
    return project


def _args(name: str, docx: Path) -> list[str]:
    return [docx.as_posix() if a == "{docx}" else a for a in COMMANDS[name]]


# --- a full disk ----------------------------------------------------------------------------

# Free bytes left on the disk.  With the sample project a build runs out of space while
# copying the theme (0-1 MB), while MkDocs writes pages (3 MB) or, with .cache/ deleted,
# among the PDFs (6 MB); with the cache kept, 6 MB is enough.  Not 4 MB: there the shortage
# falls in MkDocs or in the search index, which is written beside it, as they happen to
# take turns (a search index that fails is test_search_indexing_killed's).  The other
# commands need little: from 1 MB on they fit.
FREE = {"0 KB": 0, "100 KB": 100_000, "1 MB": 1_000_000}
FREE_FOR_BUILDS = {**FREE, "3 MB": 3_000_000, "6 MB": 6_000_000}
BUILDS = ["build", "build --no-pdf"]
WRITERS = {"pdf", "new briefing", "new rule", "import", "fmt --fix"}  # the other commands write no file


def _cannot_fit(name: str, free: int, cache: bool) -> bool:
    """The command has no room for what it writes (the sizes above): exit 0 would be a fault
    not reported, which `assert_fault_reported` lets pass as a command that fitted."""
    if name in BUILDS:
        return free < 6_000_000 or (name == "build" and not cache)
    return name in WRITERS and free == 0


def _on_full_disk(built, docx, tmp_path, name, free, cache=True):
    project = _project_for(built, tmp_path, name, cache)
    before = _digests(project)
    out = tmp_path / "fault"
    result = run_in_fault("disk", project, out, _args(name, docx), free)
    if _cannot_fit(name, free, cache):
        assert result.code != 0, f"exit 0 with {free} bytes free: the full disk went unreported\n{_shown(result.output)}"
    assert_fault_reported(result, FULL, before, _digests(_left_tree("disk", project, out)), out / "disk")


@pytest.mark.parametrize("free", list(FREE))
@pytest.mark.parametrize("name", [name for name in COMMANDS if name not in BUILDS])
def test_full_disk(built, docx, tmp_path, name, free):
    """The project (with its site/ and .cache/) and TMPDIR on a tmpfs with only `free` bytes left."""
    _on_full_disk(built, docx, tmp_path, name, FREE[free])


@pytest.mark.parametrize("cache", ["cache kept", "cache deleted"])
@pytest.mark.parametrize("free", list(FREE_FOR_BUILDS))
@pytest.mark.parametrize("name", BUILDS)
def test_full_disk_build(built, docx, tmp_path, name, free, cache):
    """A build with its project and TMPDIR on a tmpfs with only `free` bytes left; with
    .cache/ deleted every page, the search index and every PDF are made again."""
    _on_full_disk(built, docx, tmp_path, name, FREE_FOR_BUILDS[free], cache == "cache kept")


# --- a read-only folder ---------------------------------------------------------------------

# site/ on a mount of its own cannot be renamed (EBUSY) whether or not it is read-only.
READ_ONLY_CAUSES = {"read-only": READ_ONLY, "read-only-site": f"{READ_ONLY}|正被占用", "read-only-cache": READ_ONLY}


@pytest.mark.parametrize(("name", "mode"), [
    (name, mode) for name in COMMANDS for mode in READ_ONLY_CAUSES if name in BUILDS or mode != "read-only-site"
])  # only a build touches site/
def test_read_only(built, docx, tmp_path, name, mode):
    """The whole project, or only its site/, or only its .cache/, bind-mounted read-only."""
    project = _project_for(built, tmp_path, name)
    before = _digests(project)
    result = run_in_fault(mode, project, tmp_path / "fault", _args(name, docx))
    if mode != "read-only-cache" and (name in BUILDS or name in WRITERS):  # what it writes cannot be written
        assert result.code != 0, f"exit 0 under {mode}: the fault went unreported\n{_shown(result.output)}"
    assert_fault_reported(result, READ_ONLY_CAUSES[mode], before, _digests(project), project)


# --- serve ----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _children(pid: int) -> list[int]:
    """The processes `pid` started, from any of its threads."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:  # ended meanwhile
            pass
    return found


def _wait_until(predicate, seconds: float, every: float = 0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    return predicate()


SERVE_FAULTS = {
    "full disk, 0 KB": ("disk", 0),
    "full disk, 1 MB": ("disk", 1_000_000),
    "read-only": ("read-only", 0),
    "read-only-site": ("read-only-site", 0),
    "read-only-cache": ("read-only-cache", 0),
}


@pytest.mark.parametrize("fault", list(SERVE_FAULTS))
def test_serve(built, tmp_path, fault):
    """`serve` with the project (and, for the full disk, TMPDIR) on a full tmpfs or read-only:
    it starts, or ends by itself in one Chinese line; stopped with SIGTERM, no traceback."""
    mode, free = SERVE_FAULTS[fault]
    project = _project_for(built, tmp_path, "serve")
    before = _digests(project)
    out, port = tmp_path / "fault", _free_port()
    command = _start_in_fault(mode, project, out, ["serve", "--address", f"127.0.0.1:{port}"], free)
    try:
        serving = _wait_until(lambda: command.poll() is not None or _listening(port), 90, every=0.2)
        assert serving, "serve neither started nor ended within 90 s"
        stopped = command.poll() is None
        if stopped:
            server = _wait_until(lambda: _children(command.pid), 10)  # the shell's one child: zhengxie serve
            assert len(server) == 1, f"zhengxie serve is not the one child of the shell: {server}"
            os.kill(server[0], signal.SIGTERM)
        result = _ended(command, out, 60)
    finally:
        if command.poll() is None:
            command.kill()
    assert "Traceback" not in result.output, result.output
    if not stopped:  # it could not run at all: said why, in one line
        assert_fault_reported(result, FULL if mode == "disk" else READ_ONLY, before,
                              _digests(_left_tree(mode, project, out)), out / "disk" if mode == "disk" else project)
    assert _digests(_left_tree(mode, project, out)) == before, "serve never writes content/ or site/"


# --- a search indexing process or a PDF worker that dies -----------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A generated project of 200 pages (Pagefind runs for about a second, 129 PDFs), built without PDFs."""
    root = tmp_path_factory.mktemp("corpus") / "project"
    subprocess.run([sys.executable, str(REPO / "bench/make_corpus.py"), "200", str(root)], check=True, capture_output=True)
    result = zhengxie(root, "build", "--no-pdf")
    assert result.code == 0, result.output
    return root


def _descendants(pid: int) -> list[int]:
    found, level = [], [pid]
    while level:
        level = [child for parent in level for child in _children(parent)]
        found += level
    return found


def _command_line(pid: int) -> list[str]:
    """The arguments of process `pid` (between fork and exec: its parent's)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def _parent(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def _is_pagefind(pid: int) -> bool:
    return "pagefind" in Path(next(iter(_command_line(pid)), "")).name


def _is_spawned_worker(pid: int) -> bool:
    return any("spawn_main" in argument for argument in _command_line(pid))


def _start_build(project: Path, out: Path, *args: str) -> subprocess.Popen:
    out.mkdir(parents=True, exist_ok=True)
    with (out / "stdout").open("w") as stdout, (out / "stderr").open("w") as stderr:
        return subprocess.Popen(
            [sys.executable, "-m", "generator", "build", *args, "--root", str(project)],
            stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"}, cwd=project,
        )


def _kill_and_finish(build: subprocess.Popen, out: Path, pick) -> Result:
    """SIGKILL the process `pick(pids of the build's descendants)` names as soon as it names one;
    the build's result (it must end by itself: no hang)."""
    try:
        target = _wait_until(lambda: build.poll() is not None or pick(_descendants(build.pid)), 120, 0.005)
        assert build.poll() is None and target, "the build ended before the process to kill appeared"
        os.kill(target, signal.SIGKILL)
        build.wait(180)
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
    return Result(build.returncode, (out / "stdout").read_text(encoding="utf-8"), (out / "stderr").read_text(encoding="utf-8"))


def _first(pids, test):
    return next(filter(test, pids), None)


SEARCH_VICTIMS = {
    "Pagefind": lambda build, pids: _first(pids, _is_pagefind),
    # The process Pagefind runs in (it takes its Pagefind with it).
    "the indexing process": lambda build, pids: _parent(_first(pids, _is_pagefind) or 0),
    # The first spawned child: document workers start with the first pages, indexing after the last.
    "a search document worker": lambda build, pids: _first(pids, lambda pid: pid in _children(build) and _is_spawned_worker(pid)),
}


@pytest.mark.parametrize("victim", list(SEARCH_VICTIMS))
def test_search_indexing_killed(corpus, tmp_path, victim):
    """A full `build --no-pdf` (.cache/ deleted, so every search document and the whole index
    are made) where `victim` is killed (SIGKILL) as soon as it appears."""
    project = tmp_path / "project"
    shutil.copytree(corpus, project, symlinks=True)
    shutil.rmtree(project / ".cache")
    before = _digests(project)
    out = tmp_path / "run"
    build = _start_build(project, out, "--no-pdf")
    result = _kill_and_finish(build, out, lambda pids: SEARCH_VICTIMS[victim](build.pid, pids))
    assert result.code != 0, "the build went on as if the index were complete"
    assert_fault_reported(result, DIED, before, _digests(project), project)
    assert not processes_in(project), "no process of the failed build is left"


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="with one processor PDFs are rendered in the build's own process")
def test_pdf_worker_killed(corpus, tmp_path):
    """A build with PDFs and an empty .cache/pdf (129 PDFs, shared among spawned print
    workers) whose first print worker is killed (SIGKILL) once the first PDF is done."""
    project = tmp_path / "project"
    shutil.copytree(corpus, project, symlinks=True)
    shutil.rmtree(project / ".cache/pdf", ignore_errors=True)
    before = _digests(project)
    out = tmp_path / "run"
    build = _start_build(project, out)

    def print_worker(pids: list[int]) -> int | None:
        # After the search index stage (the indexing process and document workers are gone),
        # once a worker has rendered a PDF (every worker has been started by then).
        if "搜索索引：" not in (out / "stderr").read_text(encoding="utf-8") or not any((project / ".cache/pdf").glob("*.pdf")):
            return None
        return _first(pids, lambda pid: pid in _children(build.pid) and _is_spawned_worker(pid))

    result = _kill_and_finish(build, out, print_worker)
    assert result.code != 0, "the build went on as if every PDF were made"
    assert_fault_reported(result, DIED, before, _digests(project), project)
    assert not processes_in(project), "no process of the failed build is left"
