"""The performance benchmark: time and memory of `zhengxie build`, search bytes, and four ratios.

    python bench/run.py [--quick] [--keep] [--no-browser] [N ...]   (default N: 1000 10000; --quick: 1000)

For each N, a corpus from `make_corpus.py` (in a temporary directory, or bench/corpus-N
with --keep) is built several ways, each build in a fresh measuring process:

  zhengxie --no-pdf (cold)   `zhengxie build --no-pdf`, .cache/ and site/ deleted first
  bare MkDocs + Pagefind     what one would do by hand with the same tools: the same pages,
                             pre-rendered to plain Markdown (not timed with it), a bare
                             `mkdocs build` with the same Material configuration, then the
                             same Pagefind run
  full (cold)                `zhengxie build` with PDFs, .cache/ and site/ deleted first
  full (no change)           the same again, nothing changed
  full (one edit)            after a sentence is appended to the newest briefing

then a phone's first search query is measured in Chromium (bench/search.py's first_query).
Ratios: (a) overhead = zhengxie --no-pdf / bare; (b) scaling = (a)'s zhengxie build at the
largest N / at the smallest; (c) caching = full (no change) / full (cold); (d) full (one
edit) / full (cold).  Prints a table and the same figures to bench/last-run.json; asserts
nothing.  The 10,000-page case takes a long time (the first build with PDFs alone may take
5-15 minutes); progress lines are printed as it goes.

Memory, two figures per build:
  largest process  ru_maxrss of RUSAGE_CHILDREN read in a fresh wrapper process that runs
                   only that one build: the peak resident size of the largest single
                   process among the build and every descendant it waited for (Pagefind,
                   PDF workers).  Processes running at the same time are not added up.
  process tree     the proportional set sizes (PSS, /proc/PID/smaps_rollup) of the build
                   and all its live descendants added up, sampled every 0.2 s: what the
                   machine needs at once, with pages shared between processes (libraries,
                   fonts) counted once in all.  May miss a spike shorter than the interval.
                   Falls back to resident sizes (VmRSS) where smaps_rollup is unreadable.
The memory target is judged on the larger of the two.
"""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import types
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))

from make_corpus import make  # noqa: E402

RESULTS = BENCH / "last-run.json"
DEFAULT_SIZES = [1000, 10000]
QUERIES = ("送医送药", "提案办理", "口述历史")  # as bench/search.py
STAGES = ["检查", "网页", "搜索索引", "PDF"]

# Targets, printed next to the figures.
OVERHEAD_MAX = 1.25  # (a)
SCALING_MAX = 11.0  # (b)
CACHED_MAX = 0.15  # (c), with 0 PDFs rendered again
PEAK_MB_MAX = 2048  # at 10,000 pages
PEAK_AT = 10000
FIRST_QUERY_KB_MAX = 300  # bench/search.py's targets
FIRST_QUERY_MS_MAX = 500

SAMPLE_EVERY = 0.2  # seconds between samples of the process tree's memory
HEARTBEAT = 60  # seconds between "still running" lines during a long build

# Runs one command and reports its resources: RUSAGE_CHILDREN of a process that has had
# no other child, so ru_maxrss is that command's (and its waited-for descendants') alone.
WRAPPER = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.run(sys.argv[2:]).returncode
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as out:
    json.dump({"seconds": seconds, "returncode": code, "maxrss_kb": usage.ru_maxrss,
               "cpu_seconds": usage.ru_utime + usage.ru_stime}, out)
sys.exit(code)
"""

PAGEFIND = """
import subprocess, sys
from pathlib import Path
from pagefind_bin_extended import get_executable
from generator.search.indexing import index_stats
# what a user would run by hand: Pagefind (extended) over the built site, its defaults
subprocess.run([str(get_executable()), "--site", sys.argv[1], "--quiet"], check=True)
stats = index_stats(Path(sys.argv[1]))
print(f"Pagefind: {stats.pages} pages, {stats.bytes / 1e6:.1f} MB in {stats.files} files")
"""

_T0 = time.monotonic()


def say(message: str) -> None:
    """A progress line with the clock and the time since the start."""
    elapsed = int(time.monotonic() - _T0)
    print(f"[{time.strftime('%H:%M:%S')} +{elapsed // 60:d}:{elapsed % 60:02d}] {message}", flush=True)


# ---------------------------------------------------------------- measuring one process


@dataclass
class Measured:
    label: str
    seconds: float  # wall time of the command
    cpu_seconds: float  # user + system of the command and its waited-for descendants
    largest_process_mb: float  # ru_maxrss (RSS of the largest single process), see the module docstring
    tree_peak_mb: float  # sampled PSS sum over the process tree
    stats: dict | None = None  # the build's --stats-json
    extra: dict = field(default_factory=dict)

    @property
    def peak_mb(self) -> float:
        return max(self.largest_process_mb, self.tree_peak_mb)


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(p) for p in f.read().split()]
    except OSError:
        pass
    return found


def _memory_kb(pid: int) -> int:
    """PSS of a process, or its RSS where smaps_rollup cannot be read (0 once it has ended)."""
    for name, key in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        try:
            with open(f"/proc/{pid}/{name}") as f:
                for line in f:
                    if line.startswith(key):
                        return int(line.split()[1])
        except OSError:
            continue
    return 0


def tree_memory_mb(root_pid: int) -> float:
    """Memory of `root_pid`'s descendants (not `root_pid` itself: the wrapper), added up."""
    total, pending = 0, _children(root_pid)
    while pending:
        pid = pending.pop()
        total += _memory_kb(pid)
        pending += _children(pid)
    return total / 1024


def run_measured(label: str, argv: list[str], cwd: Path = REPO) -> Measured:
    """Run `argv` in a fresh wrapper process; its output is echoed (indented) as progress."""
    say(f"{label}: started")
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        usage_file = Path(f.name)
    # NO_MKDOCS_2_WARNING: Material's end-of-life banner, printed by every MkDocs run.
    env = {**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1", "NO_MKDOCS_2_WARNING": "1"}
    wrapper = subprocess.Popen(
        [sys.executable, "-c", WRAPPER, str(usage_file), *argv],
        cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8", errors="replace",
    )
    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        started = last_beat = time.monotonic()
        while not done.wait(SAMPLE_EVERY):
            now_mb = tree_memory_mb(wrapper.pid)
            peak[0] = max(peak[0], now_mb)
            if time.monotonic() - last_beat >= HEARTBEAT:
                last_beat = time.monotonic()
                say(f"{label}: still running, {last_beat - started:.0f} s, {now_mb:.0f} MB in use now")

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = []
    for line in wrapper.stdout:
        output.append(line)
        print(f"    | {line.rstrip()}", flush=True)
    wrapper.wait()
    done.set()
    sampler.join()
    try:
        usage = json.loads(usage_file.read_text())
    finally:
        usage_file.unlink(missing_ok=True)
    if usage["returncode"] != 0:
        sys.exit(f"{label} failed (exit {usage['returncode']}); its output is above")
    measured = Measured(label, usage["seconds"], usage["cpu_seconds"], usage["maxrss_kb"] / 1024, peak[0])
    say(f"{label}: {measured.seconds:.1f} s, peak {measured.peak_mb:.0f} MB")
    return measured


# ---------------------------------------------------------------- the builds


def zhengxie_build(label: str, root: Path, pdf: bool) -> Measured:
    stats_file = root / ".bench-stats.json"
    stats_file.unlink(missing_ok=True)
    argv = [sys.executable, "-m", "generator", "build", "--root", str(root), "--stats-json", str(stats_file)]
    measured = run_measured(label, argv + ([] if pdf else ["--no-pdf"]))
    measured.stats = json.loads(stats_file.read_text(encoding="utf-8"))
    stats_file.unlink()
    return measured


def make_cold(root: Path) -> None:
    for name in (".cache", "site"):
        shutil.rmtree(root / name, ignore_errors=True)


def newest_briefing(root: Path) -> Path:
    briefings = root / "content" / "briefings"
    year = max(int(p.name) for p in briefings.iterdir() if p.name.isdigit())
    return sorted((briefings / str(year)).glob("*.md"))[-1]


def append_sentence(path: Path) -> None:
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(text + "测速时在文末追加的一句话。\n", encoding="utf-8")


# ---------------------------------------------------------------- the bare MkDocs baseline


class _ConfigDumper(yaml.SafeDumper):
    """YAML for mkdocs.yml, whose loader (yaml.Loader) also reads python/name and python/object/apply."""


def _represent_partial(dumper: yaml.SafeDumper, value: functools.partial):
    # pymdownx.slugs.slugify(**kwds) returns partial(_uslugify, **kwds): write the call.
    if value.func.__module__ == "pymdownx.slugs" and not value.args:
        return dumper.represent_mapping(
            "tag:yaml.org,2002:python/object/apply:pymdownx.slugs.slugify", {"kwds": dict(value.keywords)}
        )
    raise yaml.representer.RepresenterError(f"cannot write {value!r} into mkdocs.yml")


def _represent_function(dumper: yaml.SafeDumper, value: types.FunctionType):
    if "<locals>" in value.__qualname__:
        raise yaml.representer.RepresenterError(f"cannot write {value!r} into mkdocs.yml")
    return dumper.represent_scalar(f"tag:yaml.org,2002:python/name:{value.__module__}.{value.__qualname__}", "")


_ConfigDumper.add_representer(functools.partial, _represent_partial)
_ConfigDumper.add_representer(types.FunctionType, _represent_function)


def markdown_configuration() -> tuple[list, list[str]]:
    """The shared Markdown configuration as mkdocs.yml entries, and the notes on what was left out.

    As the plugin installs it: `markdown.extensions()` with `EXTENSION_CONFIGS`.  An extension
    given as an object is named by its module when the module has `makeExtension`.
    """
    import importlib

    from generator import markdown as shared

    entries, notes = [], []
    for extension in shared.extensions():
        if isinstance(extension, str):
            name = extension
        else:
            module = type(extension).__module__
            if not hasattr(importlib.import_module(module), "makeExtension"):
                notes.append(f"{module}.{type(extension).__name__} left out (its module has no makeExtension)")
                continue
            name = module
        config = shared.EXTENSION_CONFIGS.get(name)
        entries.append({name: dict(config)} if config else name)
    return entries, notes


def prerender(root: Path, bare: Path) -> tuple[int, list[str]]:
    """The pages of a `--no-pdf` build as plain Markdown in bare/docs, and a plain mkdocs.yml.

    Returns the number of generated pages and notes on what differs from zhengxie's configuration.
    """
    from generator import diagnostics
    from generator.pages import HOME_MARKER
    from generator.project import check_project, site_content

    corpus, found = check_project(root)
    if diagnostics.has_errors(found):
        sys.exit("the corpus does not pass zhengxie check:\n" + "\n".join(d.format() for d in found))
    content = site_content(root, corpus.published())
    shutil.rmtree(bare, ignore_errors=True)
    docs = bare / "docs"
    shutil.copytree(root / "docs", docs)
    for page in docs.rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        if HOME_MARKER in text:
            page.write_text(text.replace(HOME_MARKER, content.home), encoding="utf-8")
    for page in content.pages:
        target = docs / page.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.text(), encoding="utf-8")
    for asset in content.assets:
        target = docs / asset
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / "content" / asset, target)

    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    plugins = [p for p in config.get("plugins", []) if _plugin_name(p) not in ("zhengxie", "search")]
    extensions, notes = markdown_configuration()
    config.update(
        site_name=content.site_name,
        site_description=content.site_description,
        docs_dir="docs",
        site_dir="site",
        nav=content.nav,
        plugins=plugins,
        markdown_extensions=extensions,
        # As the plugin does: the nav lists collections and years only, by design.
        validation={"nav": {"omitted_files": "ignore"}},
    )
    (bare / "mkdocs.yml").write_text(
        yaml.dump(config, Dumper=_ConfigDumper, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    notes.append("the zhengxie plugin's assets (zhengxie.css, the search box script) are not added")
    return len(content.pages), notes


def _plugin_name(entry) -> str:
    return entry if isinstance(entry, str) else next(iter(entry))


def bare_build(bare: Path) -> Measured:
    shutil.rmtree(bare / "site", ignore_errors=True)
    mkdocs = run_measured("bare mkdocs build", [sys.executable, "-m", "mkdocs", "build", "-q"], cwd=bare)
    pagefind = run_measured("bare Pagefind", [sys.executable, "-c", PAGEFIND, str(bare / "site")])
    return Measured(
        "bare MkDocs + Pagefind",
        mkdocs.seconds + pagefind.seconds,
        mkdocs.cpu_seconds + pagefind.cpu_seconds,
        max(mkdocs.largest_process_mb, pagefind.largest_process_mb),
        max(mkdocs.tree_peak_mb, pagefind.tree_peak_mb),
        extra={
            "mkdocs_seconds": mkdocs.seconds,
            "pagefind_seconds": pagefind.seconds,
            "html_pages": _html_pages(bare / "site"),
            "search_bytes": _size(bare / "site" / "pagefind"),
        },
    )


def _html_pages(site: Path) -> int:
    """Pages MkDocs wrote (with directory URLs each is a folder's index.html; 404.html is not counted)."""
    return sum(1 for _ in site.rglob("index.html"))


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# ---------------------------------------------------------------- search in the browser


def first_queries(site: Path) -> list[dict]:
    """Bytes and time of a phone's first query, gzip off and on (bench/search.py's measurement)."""
    from playwright.sync_api import sync_playwright
    from search import CHROMIUM, CHROMIUM_ARGS, first_query  # tests/browser.py's, as bench/search.py uses them

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for compress in (False, True):
                for query in QUERIES:
                    total, ms, count = first_query(browser, site, query, compress)
                    rows.append({"query": query, "gzip": compress, "bytes": total, "ms": ms, "responses": count})
                    say(f"first query {query}, gzip {'on' if compress else 'off'}: {total / 1024:.0f} KB, {ms:.0f} ms")
        finally:
            browser.close()
    return rows


# ---------------------------------------------------------------- one corpus size


def run_size(pages: int, keep: bool, browser: bool) -> dict:
    say(f"===== {pages:,} pages =====")
    if keep:
        folder = None
        base = BENCH / f"corpus-{pages}"
        root = base
        bare = BENCH / f"corpus-{pages}-bare"
    else:
        folder = tempfile.TemporaryDirectory(prefix=f"zhengxie-bench-{pages}-")
        base = Path(folder.name)
        root, bare = base / "project", base / "bare"
    try:
        say(f"making the corpus in {root}")
        started = time.perf_counter()
        counts = make(root, pages)
        make_seconds = time.perf_counter() - started
        say(f"corpus: {', '.join(f'{k} {v}' for k, v in counts.items())} ({make_seconds:.1f} s)")

        say("pre-rendering the pages as plain Markdown for the bare MkDocs build (not timed with it)")
        started = time.perf_counter()
        generated, notes = prerender(root, bare)
        prerender_seconds = time.perf_counter() - started
        say(f"pre-rendered {generated} pages in {prerender_seconds:.1f} s")

        builds: dict[str, Measured] = {}
        make_cold(root)
        builds["zhengxie --no-pdf (cold)"] = zhengxie_build("zhengxie --no-pdf (cold)", root, pdf=False)
        builds["bare MkDocs + Pagefind"] = bare_build(bare)
        make_cold(root)
        builds["full (cold)"] = zhengxie_build("full build (cold .cache)", root, pdf=True)
        builds["full (no change)"] = zhengxie_build("full build (no change)", root, pdf=True)
        edited = newest_briefing(root)
        append_sentence(edited)
        say(f"appended a sentence to {edited.relative_to(root)}")
        builds["full (one edit)"] = zhengxie_build("full build (one briefing edited)", root, pdf=True)

        search_rows = []
        if browser:
            try:
                search_rows = first_queries(root / "site")
            except Exception as problem:  # a missing browser must not cost the build figures
                say(f"first query not measured: {type(problem).__name__}: {problem}")
        return {
            "pages": pages,
            "corpus": counts,
            "make_corpus_seconds": make_seconds,
            "prerender_seconds": prerender_seconds,
            "bare_notes": notes,
            "edited": edited.relative_to(root).as_posix(),
            "builds": {name: asdict(m) | {"peak_mb": m.peak_mb} for name, m in builds.items()},
            "first_query": search_rows,
        }
    finally:
        if folder is not None:
            folder.cleanup()


# ---------------------------------------------------------------- report


def _fmt(value, pattern: str = "{}") -> str:
    return "n/a" if value is None else pattern.format(value)


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "missed")


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(_width(str(c)) for c in column) for column in zip(headers, *rows)]
    lines = []
    for index, row in enumerate([headers, *rows]):
        cells = [str(c) + " " * (w - _width(str(c))) if i == 0 else " " * (w - _width(str(c))) + str(c)
                 for i, (c, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _width(text: str) -> int:
    # CJK characters take two columns on a terminal.
    return sum(2 if "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" else 1 for ch in text)


def report_size(run: dict) -> str:
    builds = run["builds"]
    out = [f"\n=== {run['pages']:,} pages: {', '.join(f'{k} {v}' for k, v in run['corpus'].items())} ===",
           f"corpus made in {run['make_corpus_seconds']:.1f} s; pre-rendering for the bare build "
           f"{run['prerender_seconds']:.1f} s (not counted in it)"]
    rows = []
    for name, b in builds.items():
        s = b["stats"] or {}
        pdfs = f"{s['pdf_rendered']}/{s['pdf_reused']}" if "pdf_rendered" in s else "-"
        page_cache = (f"{s['pages_rendered']}/{s['pages_reused']}" if "pages_rendered" in s
                      else ("n/a" if b["stats"] else "-"))
        html = s.get("pages", b["extra"].get("html_pages"))
        index = s.get("search_bytes", b["extra"].get("search_bytes"))
        rows.append([name, f"{b['seconds']:.1f}", f"{b['cpu_seconds']:.1f}", f"{b['largest_process_mb']:.0f}",
                     f"{b['tree_peak_mb']:.0f}", _fmt(html), pdfs, page_cache, _fmt(index and index / 1e6, "{:.1f}")])
    out.append(_table(["build", "wall s", "CPU s", "largest proc MB (RSS)", "proc tree MB (PSS)", "pages", "PDFs new/reused",
                       "pages new/reused", "index MB"], rows))
    out.append("")
    rows = []
    for name, b in builds.items():
        if not b["stats"]:
            extra = b["extra"]
            rows.append([name, f"mkdocs {extra['mkdocs_seconds']:.1f}", "", "", f"Pagefind {extra['pagefind_seconds']:.1f}"])
            continue
        by_name = {s["name"]: s for s in b["stats"]["stages"]}
        rows.append([name, *(f"{by_name[n]['seconds']:.1f} s / {by_name[n]['peak_mb']:.0f} MB" if n in by_name else "-"
                             for n in STAGES)])
    out.append(_table(["stage: s / peak MB so far", *STAGES], rows))
    out.append("(pages: HTML pages MkDocs wrote; PDFs and pages new/reused: rendered vs taken from .cache/; "
               "n/a: not reported by this version of zhengxie)")
    out.append("bare build: " + "; ".join(run["bare_notes"]))
    if run["first_query"]:
        out.append("")
        out.append(_table(
            ["first query (phone, full site)", "gzip", "KB", "responses", "ms to results"],
            [[q["query"], "on" if q["gzip"] else "off", f"{q['bytes'] / 1024:.0f}", str(q["responses"]),
              f"{q['ms']:.0f}"] for q in run["first_query"]],
        ))
        out.append(f"targets: <= {FIRST_QUERY_KB_MAX} KB and <= {FIRST_QUERY_MS_MAX} ms (bench/search.py)")
    return "\n".join(out)


def ratios(runs: list[dict]) -> list[dict]:
    rows = []

    def add(name: str, value: str, target: str, ok: bool | None, **figures) -> None:
        rows.append({"name": name, "value": value, "target": target, "verdict": _verdict(ok), "figures": figures})

    for run in runs:
        n = f"{run['pages']:,}"
        b = run["builds"]
        ours, bare = b["zhengxie --no-pdf (cold)"]["seconds"], b["bare MkDocs + Pagefind"]["seconds"]
        add(f"(a) overhead, {n} pages", f"{ours / bare:.2f} ({ours:.1f} s / {bare:.1f} s)", f"<= {OVERHEAD_MAX}",
            ours / bare <= OVERHEAD_MAX, ratio=ours / bare)
    if len(runs) > 1:
        small, large = runs[0], runs[-1]
        t_small = small["builds"]["zhengxie --no-pdf (cold)"]["seconds"]
        t_large = large["builds"]["zhengxie --no-pdf (cold)"]["seconds"]
        scale = large["pages"] / small["pages"]
        target = SCALING_MAX * scale / 10  # 11 for 10x the pages
        add(f"(b) scaling, {large['pages']:,} / {small['pages']:,} pages", f"{t_large / t_small:.2f}",
            f"<= {target:g}", t_large / t_small <= target, ratio=t_large / t_small)
    else:
        add("(b) scaling, 10,000 / 1,000 pages", "n/a (one size only)", f"<= {SCALING_MAX:g}", None)
    for run in runs:
        n = f"{run['pages']:,}"
        b = run["builds"]
        cold, again, edit = (b[k] for k in ("full (cold)", "full (no change)", "full (one edit)"))
        r = again["seconds"] / cold["seconds"]
        rendered = again["stats"].get("pdf_rendered")
        add(f"(c) caching, {n} pages", f"{r:.3f}, {_fmt(rendered)} PDFs rendered again",
            f"<= {CACHED_MAX} and 0 PDFs", r <= CACHED_MAX and rendered == 0, ratio=r, pdf_rendered=rendered,
            pages_rendered=again["stats"].get("pages_rendered"))
        r = edit["seconds"] / cold["seconds"]
        rendered = edit["stats"].get("pdf_rendered")
        pages_rendered = edit["stats"].get("pages_rendered")
        add(f"(d) one briefing edited, {n} pages",
            f"{r:.3f}, {_fmt(rendered)} PDFs rendered, {_fmt(pages_rendered)} pages rendered",
            "only that issue's PDF (1)", rendered == 1, ratio=r, pdf_rendered=rendered, pages_rendered=pages_rendered)
    for run in runs:
        peak = max(m["peak_mb"] for name, m in run["builds"].items() if name != "bare MkDocs + Pagefind")
        judged = run["pages"] >= PEAK_AT
        add(f"peak memory of zhengxie builds, {run['pages']:,} pages", f"{peak:.0f} MB",
            f"<= {PEAK_MB_MAX / 1024:g} GB" + ("" if judged else f" (at {PEAK_AT:,} pages)"),
            peak <= PEAK_MB_MAX if judged else None, peak_mb=peak)
    if not any(run["pages"] >= PEAK_AT for run in runs):
        add(f"peak memory, {PEAK_AT:,} pages", "not run", f"<= {PEAK_MB_MAX / 1024:g} GB", None)
    for run in runs:
        on = [q for q in run["first_query"] if q["gzip"]]
        if on:
            worst_kb = max(q["bytes"] for q in on) / 1024
            worst_ms = max(q["ms"] for q in on)
            add(f"first query, gzip on, worst of {len(on)}, {run['pages']:,} pages", f"{worst_kb:.0f} KB, {worst_ms:.0f} ms",
                f"<= {FIRST_QUERY_KB_MAX} KB, <= {FIRST_QUERY_MS_MAX} ms",
                worst_kb <= FIRST_QUERY_KB_MAX and worst_ms <= FIRST_QUERY_MS_MAX, kb=worst_kb, ms=worst_ms)
    return rows


def main() -> None:
    options = argparse.ArgumentParser(description="zhengxie's performance benchmark (prints figures, asserts nothing)")
    options.add_argument("sizes", nargs="*", type=int, metavar="N", help="corpus sizes in pages (default 1000 10000)")
    options.add_argument("--quick", action="store_true", help="1,000 pages only")
    options.add_argument("--keep", action="store_true", help="build in bench/corpus-N (kept) instead of a temporary directory")
    options.add_argument("--no-browser", action="store_true", help="skip the first-query measurement in Chromium")
    args = options.parse_args()
    sizes = [1000] if args.quick else sorted(args.sizes or DEFAULT_SIZES)

    machine = {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    say(f"benchmark of {', '.join(f'{n:,}' for n in sizes)} pages on {machine['cpus']} CPUs; results to {RESULTS}")
    runs = []
    for n in sizes:
        runs.append(run_size(n, args.keep, not args.no_browser))
        write_results(machine, runs, complete=len(runs) == len(sizes))  # a later failure keeps these

    print("\n" + "=" * 100)
    print(__doc__.split("\n\n", 1)[0].splitlines()[0])
    print("wall s: the command's elapsed time; CPU s: user + system of it and its children; memory: see bench/run.py")
    for run in runs:
        print(report_size(run))
    rows = ratios(runs)
    print("\nRatios (measured side by side in this run)")
    print(_table(["ratio or figure", "measured", "target", "verdict"], [[r["name"], r["value"], r["target"], r["verdict"]] for r in rows]))

    print(f"\nfigures written to {RESULTS.relative_to(REPO)}", flush=True)


def write_results(machine: dict, runs: list[dict], complete: bool) -> None:
    RESULTS.write_text(json.dumps({
        "finished": dt.datetime.now().isoformat(timespec="seconds"),
        "complete": complete,
        "machine": machine,
        "runs": runs,
        "ratios": ratios(runs),
    }, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
