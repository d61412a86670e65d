"""Orchestration: check, pages, MkDocs into a staging directory, then swap into site/."""
from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from generator import diagnostics, incremental
from generator.search.indexing import Indexing, index_stats
from generator.names import PDF_DIR
from generator.frontmatter import counting_reads
from generator.output import build_lock, discard, discard_leftovers, staging_dir, swap_in, write_file
from generator.project import check_project, site_content
from generator.terminal import Stages, paint


def print_diagnostics(found: list[diagnostics.Diagnostic]) -> None:
    """One `path:line: 错误: …` line per problem; on a terminal the level word is coloured."""
    for diagnostic in found:
        error = diagnostic.level == diagnostics.ERROR
        word = "错误" if error else "警告"
        line = diagnostic.format().replace(f": {word}: ", f": {paint(word, 'error' if error else 'warning', sys.stderr)}: ", 1)
        print(line, file=sys.stderr)


def check(root: Path, as_json: bool = False) -> int:
    corpus, found = check_project(root)
    if corpus.site is not None:
        from generator.typography.command import check_warnings

        found = diagnostics.sort(found + check_warnings(root, corpus.site.spacing))
    if as_json:
        rows = [{"path": d.path, "line": d.line, "level": d.level, "message": d.message} for d in found]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 1 if diagnostics.has_errors(found) else 0
    print_diagnostics(found)
    errors = sum(d.level == diagnostics.ERROR for d in found)
    warnings = len(found) - errors
    if errors:
        print(paint(f"检查未通过：{errors} 个错误，{warnings} 个警告。", "error", sys.stderr), file=sys.stderr)
        return 1
    print(paint(f"检查通过{f'（{warnings} 个警告）' if warnings else ''}。", "ok", sys.stdout))
    return 0


def _count_sources(root: Path) -> int:
    return sum(1 for p in (root / "content").rglob("*.md")) if (root / "content").is_dir() else 0


def _waiting() -> None:
    print("另一个 zhengxie build 正在生成这个项目，等它结束后再开始……", file=sys.stderr, flush=True)


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


def _build(root: Path, site_dir: Path, drafts: bool, pdf: bool, stages: Stages, public: bool) -> int:
    loading = stages.begin("检查", "个文件")
    loading.start(_count_sources(root))
    with counting_reads(loading.advance):
        corpus, found = check_project(root, keep_files=True)
    print_diagnostics(found)
    warnings = sum(d.level == diagnostics.WARNING for d in found)
    if diagnostics.has_errors(found):
        stages.abandon()
        errors = len(found) - warnings
        print(f"发现 {errors} 个错误，未生成网站（{_show(root, site_dir)} 保持不变）。", file=sys.stderr)
        return 1
    corpus = corpus if drafts else corpus.published()
    corpus = corpus.public() if public else corpus  # the public edition: no internal item anywhere
    content = site_content(root, corpus, pdf)
    stages.end(f"{loading.done} 个内容文件，{len(content.pages)} 个自动生成的页面")

    from generator.mkdocs_plugin import build_site  # the adapter is loaded only when building

    os.environ.setdefault("SOURCE_DATE_EPOCH", str(_content_epoch(corpus)))  # dated by content, not clock

    staged = staging_dir(site_dir)
    indexing = Indexing()
    try:
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
            stages.abandon()
            print(f"生成网站失败：{problem}；{_show(root, site_dir)} 保持不变。", file=sys.stderr)
            return 1
        rendered, total = len(reuse.rendered), len(reuse.state.pages)
        stages.end(f"{total} 页（新生成 {rendered} 页）" if previous is not None else f"{total} 页")
        stages.figures.update(pages=total, pages_rendered=rendered, pages_reused=total - rendered)
        stages.begin("搜索索引", "页")  # what is left of it once the pages are written
        if indexing.started:  # a new index is made beside the old one, which it then replaces
            stats, problem = indexing.result()
        else:  # no page changed: the index stands
            stats, problem = index_stats(staged), None
        if problem:
            stages.abandon()
            print(f"生成搜索索引失败：{problem}；{_show(root, site_dir)} 保持不变。", file=sys.stderr)
            return 1
        stages.end(f"{stats.pages} 页，{stats.bytes / 1e6:.1f} MB")
        stages.figures.update(search_pages=stats.pages, search_bytes=stats.bytes)
        pdf_summary = ""
        if pdf:
            from generator.print.build import build_pdfs
            from generator.print.render import WORKER_DIED

            rendering = stages.begin("PDF", "个")
            rendered, found = build_pdfs(root, corpus, staged / PDF_DIR, rendering)
            died = sum(r.problem == WORKER_DIED for r in rendered)
            if died:  # not the documents' fault: one line for the lot
                stages.abandon()
                print(f"生成 PDF 失败：{WORKER_DIED}，{died} 个 PDF 未生成；{_show(root, site_dir)} 保持不变。", file=sys.stderr)
                return 1
            print_diagnostics(diagnostics.sort(found))
            warnings += sum(d.level == diagnostics.WARNING for d in found)
            if diagnostics.has_errors(found):
                stages.abandon()
                print(f"生成 PDF 失败，{_show(root, site_dir)} 保持不变。", file=sys.stderr)
                return 1
            reused = sum(r.cached for r in rendered)
            pdf_summary = f"，PDF {len(rendered)} 个（{reused} 个内容未变，取自缓存）"
            stages.end(f"新排 {len(rendered) - reused} 个，取自缓存 {reused} 个")
            stages.figures.update(pdf_rendered=len(rendered) - reused, pdf_reused=reused)
        swap_in(staged, site_dir)
    finally:
        indexing.cancel()  # a failed build's Pagefind is stopped before its folder goes
        discard(staged)
    incremental.save_state(root, reuse.state)  # what this build was made from, for the next one
    seconds = time.monotonic() - stages.started
    print(
        paint(f"已生成网站 {_show(root, site_dir)}", "ok", sys.stdout)
        + f"：{len(content.pages)} 个自动生成的页面{pdf_summary}，"
        f"搜索索引 {stats.pages} 页（{stats.bytes / 1e6:.1f} MB），用时 {seconds:.1f} 秒。"
    )
    print(f"各阶段用时：{stages.summary()}。" + (f"警告 {warnings} 个，见上。" if warnings else ""))
    return 0


def _content_epoch(corpus) -> int:
    """Midnight (UTC) of the latest date in the content: what the sitemap is dated with."""
    dates = [b.date for b in corpus.briefings if b.date]
    dates += [d for r in corpus.rules for d in (r.adopted, r.effective) if d]
    dates += [dt.date(p.year, 1, 1) for p in (*corpus.plans, *corpus.reports)]
    latest = max(dates, default=dt.date(2000, 1, 1))
    return int(dt.datetime(latest.year, latest.month, latest.day, tzinfo=dt.timezone.utc).timestamp())


def overview(root: Path) -> int:
    """`zhengxie stats`: the corpus at a glance (drafts included, marked)."""
    from generator.overview import describe

    corpus, found = check_project(root)
    if corpus.site is None:
        print_diagnostics(found)
        return 1
    print(describe(corpus))
    return 0


def single_pdf(root: Path, file: Path, output: Path | None) -> int:
    """`zhengxie pdf`: one document, written where asked, never into site/."""
    file = file.resolve()
    output = (output or Path(file.stem + ".pdf")).resolve()
    if output.is_relative_to((root / "site").resolve()) or output.is_relative_to((root / "content").resolve()):
        print(f"zhengxie: 不能写入 {_show(root, output.parent)}（site/ 只由 zhengxie build 整体替换，content/ 只放源文件）", file=sys.stderr)
        return 1
    if not file.is_file() or not file.is_relative_to((root / "content").resolve()):
        print(f"zhengxie: {file} 不是 content/ 中的文件", file=sys.stderr)
        return 1
    corpus, found = check_project(root, keep_files=True)
    errors = [d for d in found if d.level == diagnostics.ERROR and d.path == file.relative_to(root.resolve()).as_posix()]
    if errors:
        print_diagnostics(errors)
        return 1

    from generator.print.build import pdf_for_file

    with tempfile.TemporaryDirectory() as folder:
        made, found = pdf_for_file(root, corpus, file.relative_to(root.resolve()).as_posix(), Path(folder))
        print_diagnostics(diagnostics.sort(found))
        if made is None:
            return 1
        write_file(output, made.read_bytes())
    print(output)
    return 0


def _show(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix() + "/"
    except ValueError:
        return str(path)
