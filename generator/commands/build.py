"""`zhengxie build`: check, pages, MkDocs into a staging directory, then swap into site/."""
from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from generator import diagnostics, incremental, types
from generator.search import indexing as search_index
from generator.commands.common import print_diagnostics, show_dir
from generator.frontmatter import counting_reads
from generator.model import Corpus
from generator.names import PDF_DIR
from generator.output import build_lock, discard, discard_leftovers, staging_dir, swap_in, write_file
from generator.pages import SiteContent
from generator.project import check_project, site_content
from generator.terminal import Stages, paint


def build(
    root: Path, site_dir: Path, drafts: bool = False, pdf: bool = True, stats_json: Path | None = None,
    public: bool = False,
) -> int:
    with build_lock(root, _waiting):
        discard_leftovers(site_dir)  # staging directories of builds that were killed
        stages = Stages()
        try:
            code = _build(root, site_dir, drafts, pdf, stages, public)
        finally:
            stages.abandon()
    if code == 0 and stats_json is not None:
        write_file(stats_json, json.dumps(stages.as_dict(), ensure_ascii=False, indent=2).encode("utf-8"))
    return code


def _waiting() -> None:
    print("另一个 zhengxie build 正在生成这个项目，等它结束后再开始……", file=sys.stderr, flush=True)


@dataclass
class _Checked:
    corpus: Corpus  # what is published: drafts and, for the public edition, internal items left out
    content: SiteContent
    warnings: int


@dataclass
class _Printed:
    summary: str = ""  # the PDFs' part of the closing line
    warnings: int = 0


def _build(root: Path, site_dir: Path, drafts: bool, pdf: bool, stages: Stages, public: bool) -> int:
    # Load and check every content file; any error stops the build before anything is written.
    checked = _check_content(root, site_dir, stages, drafts, public, pdf)
    if isinstance(checked, str):
        return _fail(stages, checked)
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(_content_epoch(checked.corpus)))  # dated by content, not clock
    with _staging(site_dir) as (staged, indexing):
        # MkDocs writes the pages into the staging directory; search indexing starts from its callback.
        reuse = _make_pages(root, site_dir, staged, checked.content, stages, indexing)
        if isinstance(reuse, str):
            return _fail(stages, reuse)
        # Wait for what is left of the search index, or keep the last one when no page changed.
        index = _finish_search_index(root, site_dir, staged, stages, indexing)
        if isinstance(index, str):
            return _fail(stages, index)
        # Render the PDFs into the staging directory's pdf/.
        printed = _make_pdfs(root, site_dir, staged, checked.corpus, stages) if pdf else _Printed()
        if isinstance(printed, str):
            return _fail(stages, printed)
        # The complete site takes site/'s place in one step.
        swap_in(staged, site_dir)
    # Record what this build was made from, for the next one, once its site is in place.
    incremental.save_state(root, reuse.state)
    _report(root, site_dir, stages, checked, index, printed)
    return 0


def _fail(stages: Stages, message: str) -> int:
    stages.abandon()
    print(message, file=sys.stderr)
    return 1


def _check_content(root: Path, site_dir: Path, stages: Stages, drafts: bool, public: bool, pdf: bool) -> _Checked | str:
    loading = stages.begin("检查", "个文件")
    loading.start(_count_sources(root))
    with counting_reads(loading.advance):
        corpus, found = check_project(root, keep_files=True)
    print_diagnostics(found)
    warnings = sum(d.level == diagnostics.WARNING for d in found)
    if diagnostics.has_errors(found):
        errors = len(found) - warnings
        return f"发现 {errors} 个错误，未生成网站（{show_dir(root, site_dir)} 保持不变）。"
    corpus = corpus if drafts else corpus.published()
    corpus = corpus.public() if public else corpus  # the public edition: no internal item anywhere
    content = site_content(root, corpus, pdf)
    stages.end(f"{loading.done} 个内容文件，{len(content.pages)} 个自动生成的页面")
    return _Checked(corpus, content, warnings)


def _count_sources(root: Path) -> int:
    return sum(1 for p in (root / "content").rglob("*.md")) if (root / "content").is_dir() else 0


@contextmanager
def _staging(site_dir: Path) -> Iterator[tuple[Path, search_index.Indexing]]:
    """The directory beside site/ the build is made in, and the search indexing that writes into it."""
    staged = staging_dir(site_dir)
    indexing = search_index.Indexing()
    try:
        yield staged, indexing
    finally:
        indexing.cancel()  # a failed build's Pagefind is stopped before its folder goes
        discard(staged)


def _make_pages(
    root: Path, site_dir: Path, staged: Path, content: SiteContent, stages: Stages, indexing: search_index.Indexing,
) -> incremental.PageReuse | str:
    from generator.mkdocs_plugin import build_site  # the adapter is loaded only when building

    pages = stages.begin("网页", "步")
    previous = incremental.load_state(root, site_dir)
    reuse = incremental.PageReuse(root, previous, site_dir, shares_old_files=True)
    if not reuse.same_layout(content):
        reuse.previous = previous = None  # other pages, titles or settings: every page afresh
    if previous is not None:
        # Start from the last build: unchanged pages and the search index are kept.
        incremental.link_tree(site_dir, staged, skip=(PDF_DIR,))

    def pages_read(state: incremental.BuildState, made: list) -> None:
        # Indexing starts, in a process of its own, while MkDocs writes the pages out
        # (unless no page changed).  Before print: making the print jobs holds every
        # document's content in this process, so it is at its smallest now.
        if previous is None or state.search_key() != previous.search_key():
            indexing.start(root, state.search_docs, staged, made)

    problem = build_site(root, staged, content, pages, reuse, incremental=previous is not None, pages_read=pages_read)
    if problem:
        return f"生成网站失败：{problem}；{show_dir(root, site_dir)} 保持不变。"
    rendered, total = len(reuse.rendered), len(reuse.state.pages)
    stages.end(f"{total} 页（新生成 {rendered} 页）" if previous is not None else f"{total} 页")
    stages.figures.update(pages=total, pages_rendered=rendered, pages_reused=total - rendered)
    return reuse


def _finish_search_index(
    root: Path, site_dir: Path, staged: Path, stages: Stages, indexing: search_index.Indexing,
) -> search_index.IndexStats | str:
    stages.begin("搜索索引", "页")  # what is left of it once the pages are written
    if indexing.started:  # a new index is made beside the old one, which it then replaces
        stats, problem = indexing.result()
    else:  # no page changed: the index stands
        stats, problem = search_index.index_stats(staged), None
    if problem:
        return f"生成搜索索引失败：{problem}；{show_dir(root, site_dir)} 保持不变。"
    stages.end(f"{stats.pages} 页，{stats.bytes / 1e6:.1f} MB")
    stages.figures.update(search_pages=stats.pages, search_bytes=stats.bytes)
    return stats


def _make_pdfs(root: Path, site_dir: Path, staged: Path, corpus: Corpus, stages: Stages) -> _Printed | str:
    from generator.print.build import build_pdfs
    from generator.print.render import WORKER_DIED

    rendering = stages.begin("PDF", "个")
    rendered, found = build_pdfs(root, corpus, staged / PDF_DIR, rendering)
    died = sum(r.problem == WORKER_DIED for r in rendered)
    if died:  # not the documents' fault: one line for the lot
        return f"生成 PDF 失败：{WORKER_DIED}，{died} 个 PDF 未生成；{show_dir(root, site_dir)} 保持不变。"
    print_diagnostics(diagnostics.sort(found))
    if diagnostics.has_errors(found):
        return f"生成 PDF 失败，{show_dir(root, site_dir)} 保持不变。"
    reused = sum(r.cached for r in rendered)
    stages.end(f"新排 {len(rendered) - reused} 个，取自缓存 {reused} 个")
    stages.figures.update(pdf_rendered=len(rendered) - reused, pdf_reused=reused)
    return _Printed(
        f"，PDF {len(rendered)} 个（{reused} 个内容未变，取自缓存）", sum(d.level == diagnostics.WARNING for d in found),
    )


def _report(
    root: Path, site_dir: Path, stages: Stages, checked: _Checked, index: search_index.IndexStats, printed: _Printed,
) -> None:
    seconds = time.monotonic() - stages.started
    print(
        paint(f"已生成网站 {show_dir(root, site_dir)}", "ok", sys.stdout)
        + f"：{len(checked.content.pages)} 个自动生成的页面{printed.summary}，"
        f"搜索索引 {index.pages} 页（{index.bytes / 1e6:.1f} MB），用时 {seconds:.1f} 秒。"
    )
    warnings = checked.warnings + printed.warnings
    print(f"各阶段用时：{stages.summary()}。" + (f"警告 {warnings} 个，见上。" if warnings else ""))


def _content_epoch(corpus: Corpus) -> int:
    """Midnight (UTC) of the latest date in the content: what the sitemap is dated with."""
    dates = [day for t in types.REGISTRY for record in corpus.of(t) for day in t.dates(record)]
    latest = max(dates, default=dt.date(2000, 1, 1))
    return int(dt.datetime(latest.year, latest.month, latest.day, tzinfo=dt.timezone.utc).timestamp())
