"""Compiling print jobs with Typst: a content-hash cache, and independent PDFs in parallel.

The compile root is a fresh temporary directory holding only the templates, the job's
data.json and its images, so nothing a document contains can reach any other file.
"""
from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Callable

from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import typst

from generator.output import die_with_parent, link_file, write_file
from generator.print import catalog
from generator.print.documents import PrintJob

TEMPLATES = Path(__file__).parent / "templates"
PARALLEL_FROM = 24  # pending PDFs from which rendering is shared among processes
# Typst memoises layouts and the binding offers no eviction: a worker is replaced after this
# many documents, which bounds its memory (a fresh one costs a font scan, about 0.15 s).
TASKS_PER_WORKER = 200
# A job this large (a whole 文史 volume) needs about 300 MB and leaves it behind in Typst's
# memo, so such jobs are rendered after the others, one at a time, each by a process of its
# own: the build never holds two volumes' memo (10,000 pages: 1.95 GB with two at once).
HEAVY_BYTES = 256_000

_compiler: typst.Compiler | None = None  # one per process: fonts are scanned once


@dataclass
class Rendered:
    """A finished job: where its PDF went and is cached (the job's data is not kept, so a
    large build does not hold every document's content once its PDF exists)."""

    output: str
    source: str  # the first content file of the document (for messages)
    cache_file: Path
    cached: bool
    problem: str | None = None
    warnings: tuple[str, ...] = ()  # Typst's, kept with the cached PDF so a cache hit repeats them


def warnings_file(cache_file: Path) -> Path:
    return cache_file.with_suffix(".warnings")


def _cached_warnings(cache_file: Path) -> tuple[str, ...]:
    try:
        return tuple(warnings_file(cache_file).read_text(encoding="utf-8").splitlines())
    except (OSError, ValueError):  # none kept (the usual case), or unreadable: nothing to repeat
        return ()


def _identity(font_files: list[str]) -> bytes:
    """What besides the job itself decides the bytes: Typst, the templates, the catalog update, the font files."""
    digest = hashlib.sha256(metadata.version("typst").encode())
    digest.update(Path(catalog.__file__).read_bytes())
    for template in sorted(TEMPLATES.glob("*.typ")):
        digest.update(template.name.encode() + template.read_bytes())
    for file in sorted(font_files):
        stat = os.stat(file)
        digest.update(f"{file}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.digest()


def job_key(job: PrintJob, identity: bytes, payload: bytes) -> str:
    """The cache key of a job whose data, as JSON, is `payload`."""
    digest = hashlib.sha256(identity)
    if isinstance(job.template, Path):  # a type's own template: its bytes decide the PDF too
        digest.update(job.template.name.encode() + b"\0" + job.template.read_bytes())
    else:
        digest.update(job.template.encode())
    digest.update((job.pdf_standard or "").encode())
    digest.update(b"outline shown" if job.show_outline else b"")
    digest.update(payload)
    for name, file in sorted(job.images.items()):
        digest.update(name.encode() + b"\0" + file.name.encode())  # kept files are named by their digest
    return digest.hexdigest()


def _init_worker(font_paths: list[str], parent: int | None = None) -> None:
    global _compiler
    if parent is not None:
        die_with_parent(parent)  # a killed build leaves no worker writing into its cache
    _compiler = typst.Compiler(font_paths=font_paths)


def compile_job(job: PrintJob, font_paths: list[str]) -> tuple[bytes, tuple[str, ...]]:
    """PDF bytes for one job and Typst's warnings (raises typst.TypstError on failure)."""
    global _compiler
    if _compiler is None:
        _init_worker(font_paths)
    with tempfile.TemporaryDirectory(prefix="zhengxie-print-") as folder:
        compile_root = Path(folder)
        for template in TEMPLATES.glob("*.typ"):
            shutil.copy(template, compile_root / template.name)
        if isinstance(job.template, Path):  # beside the shared ones, so it can import common.typ
            shutil.copy(job.template, compile_root / job.template.name)
        (compile_root / "data.json").write_text(json.dumps(job.data, ensure_ascii=False), encoding="utf-8")
        for name, file in job.images.items():
            (compile_root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(file, compile_root / name)
        options = {"pdf_standards": [job.pdf_standard]} if job.pdf_standard else {}
        pdf, found = _compiler.compile_with_warnings(
            input=str(compile_root / Path(job.template).name), root=str(compile_root), format="pdf", **options
        )
    warnings = tuple(dict.fromkeys(" ".join(str(w.message).split()) for w in found))
    return (catalog.show_outline(pdf) if job.show_outline else pdf), warnings


Outcome = tuple[str | None, tuple[str, ...]]  # (the problem, None when the PDF is in the cache; warnings)


def _compile_to(job: PrintJob, font_paths: list[str], cache_file: Path) -> Outcome:
    try:
        pdf, warnings = compile_job(job, font_paths)
    except typst.TypstError as exc:
        return (str(exc).strip().splitlines()[0] if str(exc).strip() else "Typst 编译失败"), ()
    if warnings:  # written first: the PDF's presence is what makes a cache hit
        write_file(warnings_file(cache_file), ("\n".join(warnings) + "\n").encode())
    write_file(cache_file, pdf)
    return None, warnings


def _compile_pending(task: tuple[PrintJob, list[str], Path]) -> Outcome:
    return _compile_to(*task)


WORKER_DIED = "排版进程意外结束（可能是内存不足或被终止）"


def _compile_all(tasks: list, font_paths: list[str], processes: int, per_process: int):
    """Each task's outcome (its problem, None when its PDF is in the cache, and its warnings), in order.

    `processes` 0: rendered here.  Otherwise by that many spawned processes, in rounds of
    `processes * per_process` tasks, each round by fresh processes (Typst's memo has no
    eviction, so a process is not kept for ever).  A process that dies fails its task and
    every task after it, with a message, instead of leaving the build waiting.
    """
    if not processes:
        yield from map(_compile_pending, tasks)
        return
    # spawn, not fork: Typst's runtime in this process may hold threads and locks.  Rounds,
    # not max_tasks_per_child: replacing workers while map() runs hangs (Python 3.11), and
    # multiprocessing.Pool waits for ever on a task whose worker was killed.
    context = multiprocessing.get_context("spawn")
    given = 0
    try:
        for start in range(0, len(tasks), processes * per_process):
            chunk = tasks[start : start + processes * per_process]
            with ProcessPoolExecutor(
                min(processes, len(chunk)), mp_context=context, initializer=_init_worker, initargs=(font_paths, os.getpid()),
            ) as pool:
                for outcome in pool.map(_compile_pending, chunk):
                    given += 1
                    yield outcome
    except BrokenProcessPool:
        yield from [(WORKER_DIED, ())] * (len(tasks) - given)
    except ValueError as exc:  # a worker killed while the pool was still starting it
        if str(exc) != "handle is closed":
            raise
        yield from [(WORKER_DIED, ())] * (len(tasks) - given)


def render_all(
    jobs: list[PrintJob], out_dir: Path, cache_dir: Path, font_paths: list[str], font_files: list[str],
    workers: int | None = None, done: Callable[[], None] | None = None,
) -> list[Rendered]:
    """Render every job into out_dir (same tree as the pages); unchanged ones come from the cache.

    `done` is called once per job as it is finished (a progress bar).
    """
    done = done or (lambda: None)
    identity = _identity(font_files)
    results: list[Rendered] = []
    light: list[tuple[PrintJob, list[str], Path]] = []  # tasks of _compile_pending
    heavy: list[tuple[PrintJob, list[str], Path]] = []
    for job in jobs:
        payload = json.dumps(job.data, sort_keys=True, ensure_ascii=False).encode()
        cache_file = cache_dir / f"{job_key(job, identity, payload)}.pdf"
        if cache_file.is_file():
            results.append(Rendered(job.output, job.sources[0], cache_file, cached=True, warnings=_cached_warnings(cache_file)))
            done()
        else:
            (heavy if len(payload) >= HEAVY_BYTES else light).append((job, font_paths, cache_file))
    if workers is None:
        # Starting a worker (a fresh interpreter, fonts scanned) costs about as much as a few
        # briefings, so a handful of PDFs is rendered here and only larger batches are shared out.
        workers = os.cpu_count() or 1 if len(light) + len(heavy) >= PARALLEL_FROM else 1
    for tasks, processes, per_process in (
        (light, min(workers, len(light)) if workers > 1 else 0, TASKS_PER_WORKER),
        (heavy, 1 if len(heavy) > 1 else 0, 1),  # one at a time, each in a fresh process when there are several
    ):
        for (job, _, cache_file), (problem, warnings) in zip(tasks, _compile_all(tasks, font_paths, processes, per_process)):
            results.append(Rendered(job.output, job.sources[0], cache_file, False, problem, warnings))
            done()
    for result in results:
        if result.problem is None:
            link_file(result.cache_file, out_dir / result.output)  # cache files are never rewritten
    return results
