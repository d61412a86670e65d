"""The site is replaced only by a complete build: killed builds, concurrent builds, the swap."""
from __future__ import annotations

import fcntl
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest
from conftest import processes_in, tree_digest, zhengxie


def _start_build(project) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--root", str(project)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"}, cwd=project,
    )


def _staging(project):
    return list(project.glob(".site.new-*"))


# A killed build must leave site/ as it was, wherever it is killed.
KILL_POINTS = {
    "staging directory made": lambda staged: True,
    "pages written": lambda staged: (staged / "index.html").exists(),
    "PDFs being written": lambda staged: any((staged.parent / ".cache" / "pdf").glob("*.pdf")),  # one PDF done
    "search index being written": lambda staged: any(staged.glob(".search-*/bundle-*")),  # a Pagefind run done
}


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_a_killed_build_leaves_the_previous_site_and_is_cleaned_up_next_time(project, point):
    assert zhengxie(project, "build").code == 0
    before = tree_digest(project / "site")
    shutil.rmtree(project / ".cache")  # a cold cache: every stage takes its time
    issue = project / "content/briefings/2019/02.md"
    issue.write_text(issue.read_text(encoding="utf-8") + "\n被中断的生成所加的一段。\n", encoding="utf-8")
    build = _start_build(project)
    reached = False
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and build.poll() is None:
        staged = _staging(project)
        if staged and KILL_POINTS[point](staged[0]):
            reached = True
            build.send_signal(signal.SIGKILL)
            break
        time.sleep(0.005)
    build.wait(30)
    if not reached:
        pytest.skip(f"the build finished before “{point}” could be caught")
    assert not processes_in(project), "the build's workers, indexing process and Pagefind die with it"
    assert tree_digest(project / "site") == before
    assert _staging(project), "the killed build's staging directory is there to be cleaned up"
    again = zhengxie(project, "build")
    assert again.code == 0, again.output
    left = [(p, sorted(str(q.relative_to(p)) for q in p.rglob("*"))[:10]) for p in _staging(project)]
    assert not left and not list(project.glob(".site.old-*")), left
    assert "被中断的生成所加的一段" in (project / "site/briefings/2019/02/index.html").read_text(encoding="utf-8")


def test_site_is_never_missing_while_it_is_replaced(project):
    assert zhengxie(project, "build", "--no-pdf").code == 0
    issue = project / "content/briefings/2019/02.md"
    issue.write_text(issue.read_text(encoding="utf-8") + "\n再加一段。\n", encoding="utf-8")
    build = _start_build(project)
    missing = 0
    checks = 0
    while build.poll() is None:
        checks += 1
        if not (project / "site/index.html").is_file():
            missing += 1
    build.wait(30)
    assert build.returncode == 0
    assert checks > 100 and missing == 0


def test_a_second_build_waits_for_the_first(project):
    lock_file = project / ".cache" / "build.lock"
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as a running build holds it
        build = _start_build(project)
        time.sleep(3)
        assert build.poll() is None, "the second build did not wait"
        assert not (project / "site").exists() and not _staging(project)
        fcntl.flock(held, fcntl.LOCK_UN)
    out, err = build.communicate(timeout=120)
    assert build.returncode == 0, err
    assert err.startswith("另一个 zhengxie build 正在生成这个项目，等它结束后再开始")
    assert (project / "site/index.html").is_file()


def test_two_builds_give_the_same_bytes_dated_by_the_content(project, tmp_path):
    env_free = zhengxie(project, "build", "--site-dir", str(tmp_path / "a"))
    assert env_free.code == 0, env_free.output
    shutil.rmtree(project / ".cache")  # the second build renders every PDF again
    assert zhengxie(project, "build", "--site-dir", str(tmp_path / "b")).code == 0
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")  # search index and PDFs included
    stamp = int.from_bytes((tmp_path / "a/sitemap.xml.gz").read_bytes()[4:8], "little")
    newest = max(re.findall(r"^date: (\d{4}-\d{2}-\d{2})", "".join(
        p.read_text(encoding="utf-8") for p in (project / "content/briefings").rglob("*.md")), re.MULTILINE))
    assert time.strftime("%Y-%m-%d", time.gmtime(stamp)) == newest  # the newest briefing's date, not today
