"""Running Pagefind over the search documents, and the index's figures.

Pagefind keeps every (word, page) pair of a run in memory (about 300 bytes each), so a
large site is indexed in several runs, one at a time, each over whole search groups
(`documents.GROUPS`) and up to `RUN_BYTES` of documents; `bundle.merge` puts the
runs together.  Each run reads a temporary tree of hard links to the documents in the
store (`documents.STORE`).  A build does all this in a process of its own (`Indexing`),
while MkDocs is still writing pages.
"""
from __future__ import annotations

import multiprocessing
import os
import shutil
import subprocess
import tempfile
import threading
from concurrent.futures import Future
from concurrent.futures import wait as wait_for
from dataclasses import dataclass
from pathlib import Path

from generator.output import describe_os_error, die_with_parent, internal_error, link_file
from generator.search.bundle import FormatProblem, check_version, merge
from generator.search.documents import GROUPS, LANGUAGE, STORE, group_of, stored

SEARCH_DIR = "pagefind"
RUN_BYTES = 12_000_000  # documents given to one Pagefind run (Pagefind needs about 70 times as much memory)


@dataclass
class IndexStats:
    pages: int
    files: int
    bytes: int


def index_documents(root: Path, documents: dict[str, str], site_dir: Path) -> tuple[IndexStats | None, str | None]:
    """Index `documents` ({page output path: store key}) into `site_dir`/pagefind; (stats, problem).

    Pagefind runs over whole search groups, up to `RUN_BYTES` of documents at a time, one
    run after another; `bundle.merge` puts the runs together.
    """
    store = root / STORE
    # Inside the site being made (a killed build's is discarded with it), removed before it is shown.
    work = Path(tempfile.mkdtemp(dir=site_dir, prefix=".search-"))
    try:
        runs = []
        for number, outputs in enumerate(_runs(store, documents)):
            tree, bundle = work / f"documents-{number}", work / f"bundle-{number}"
            for output in outputs:
                link_file(stored(store, documents[output], ".html"), tree / output)
            problem = run_pagefind(tree, bundle)
            if problem:
                return None, problem
            shutil.rmtree(tree)
            runs.append(bundle)
        merged = work / SEARCH_DIR
        try:
            merge(runs, merged, lambda output: (documents[output], stored(store, documents[output], ".pf_fragment")))
        except FormatProblem as problem:
            return None, str(problem)
        shutil.rmtree(site_dir / SEARCH_DIR, ignore_errors=True)
        merged.rename(site_dir / SEARCH_DIR)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return index_stats(site_dir), None


def run_pagefind(tree: Path, bundle: Path) -> str | None:
    """Pagefind's bundle of the documents in `tree`, written to `bundle`; what went wrong, if anything."""
    # The CLI over hard links, not Pagefind's Python API (PagefindIndex.add_html_file): the
    # API sends every document through one pipe as base64 JSON, a request at a time, and
    # gives the same index six to ten times slower with as much memory (bench/README.md).
    from pagefind_bin_extended import get_executable

    done = subprocess.run(
        [
            str(get_executable()),
            "--site", str(tree),
            "--output-path", str(bundle),
            "--force-language", LANGUAGE,
            "--quiet",
        ],
        capture_output=True,
        text=True,
        preexec_fn=die_with_parent,
    )
    if done.returncode < 0:
        return f"Pagefind 意外结束（信号 {-done.returncode}，可能是内存不足或被终止）"
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()
        return f"Pagefind 出错（退出码 {done.returncode}）：{said[-1] if said else '没有说明'}"
    try:
        check_version(bundle)
    except FormatProblem as problem:
        return str(problem)
    return None


class Indexing:
    """`index_documents` in a process of its own, started while the build goes on.

    A build starts it once MkDocs has rendered every page's body; MkDocs then writes the
    pages out through the theme (a third of its time) while Pagefind runs on the other
    processor.  A thread here waits for the documents still being made (`made`, from
    `DocumentWriter.submitted`) and then starts the process and waits for it.  Linking the
    documents and merging the runs would otherwise be done by a thread of this process,
    taking turns with MkDocs for the interpreter at each file it touches (with that
    thread, indexing 10,000 pages beside MkDocs took 91 s instead of 71 s).
    """

    def __init__(self) -> None:
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()
        self.process = None
        self.stopped = False
        self.outcome: tuple[IndexStats | None, str | None] = (None, None)
        self.failure: BaseException | None = None

    @property
    def started(self) -> bool:
        return self.thread is not None

    def start(
        self, root: Path, documents: dict[str, str], site_dir: Path, made: list[Future] = (), low_priority: bool = False
    ) -> None:
        """Index `documents` into `site_dir` once `made` are done; `low_priority` (a preview's
        indexing) leaves the processor to its rebuilds."""
        arguments = (root, dict(documents), site_dir, low_priority)
        self.thread = threading.Thread(target=self._run, args=(arguments, list(made)), daemon=True)
        self.thread.start()

    def _run(self, arguments: tuple, made: list[Future]) -> None:
        try:
            wait_for(made)
            if any(f.cancelled() or f.exception() is not None for f in made):
                self.outcome = None, "搜索文档未能全部写入"  # DocumentWriter.finish says why
                return
            context = multiprocessing.get_context("spawn")
            receiving, sending = context.Pipe(duplex=False)
            with self.lock:
                if self.stopped:
                    return
                self.process = context.Process(target=_index_apart, args=(sending, os.getpid(), *arguments), daemon=True)
                self.process.start()
            sending.close()
            try:
                _, value = receiving.recv()
            except EOFError:  # stopped, or killed (by the system, when memory runs out)
                value = None
            self.process.join()
            self.outcome = value or (None, f"索引进程意外结束（退出码 {self.process.exitcode}，可能是内存不足或被终止）")
        except BaseException as exc:  # noqa: BLE001 - raised again by result(), in the build's own thread
            self.failure = exc

    def result(self) -> tuple[IndexStats | None, str | None]:
        """(stats, problem) once the index is complete; what went wrong in the thread itself is raised here."""
        self.thread.join()
        if self.failure is not None and not self.stopped:
            raise self.failure
        return self.outcome

    def cancel(self) -> None:
        """Stop indexing under way and wait (nothing if it has ended or never started)."""
        if self.thread is None:
            return
        with self.lock:
            self.stopped = True
            if self.process is not None and self.process.is_alive():
                self.process.terminate()  # its Pagefind dies with it
        self.thread.join()


def _index_apart(sending, parent: int, root: Path, documents: dict[str, str], site_dir: Path, low_priority: bool) -> None:
    """In the indexing process: `index_documents`, its outcome sent back through `sending`."""
    die_with_parent(parent)
    if low_priority:
        os.nice(10)
    try:
        outcome = index_documents(root, documents, site_dir)
    except OSError as exc:  # a full disk, a folder made read-only meanwhile
        outcome = None, describe_os_error(exc, root)
    except Exception as exc:  # noqa: BLE001 - a bug (or a file cut short by a full disk): one line, details in .cache/
        outcome = None, internal_error(root, exc)
    sending.send(("done", outcome))


def _runs(store: Path, documents: dict[str, str]) -> list[list[str]]:
    """The pages of each Pagefind run: whole search groups, in order, each run holding as
    many as fit in `RUN_BYTES` of documents (a larger group alone)."""
    groups: dict[str, list[str]] = {group: [] for group in GROUPS}
    size = dict.fromkeys(GROUPS, 0)
    for output, key in sorted(documents.items()):
        group = group_of(output)
        groups[group].append(output)
        size[group] += stored(store, key, ".html").stat().st_size
    runs: list[list[str]] = [[]]
    held = 0
    for group in GROUPS:
        if runs[-1] and held + size[group] > RUN_BYTES:
            runs.append([])
            held = 0
        runs[-1].extend(groups[group])
        held += size[group]
    return [run for run in runs if run]


def index_stats(site_dir: Path) -> IndexStats:
    """Pages, files and bytes of the search index in a built site."""
    bundle = site_dir / SEARCH_DIR
    files = [p for p in bundle.rglob("*") if p.is_file()]
    pages = len(list((bundle / "fragment").glob("*")))
    return IndexStats(pages, len(files), sum(p.stat().st_size for p in files))
