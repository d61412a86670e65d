"""The print stage: corpus -> jobs -> preflight warnings -> PDFs (cached, in parallel)."""
from __future__ import annotations

from pathlib import Path

from generator import types
from generator.diagnostics import Diagnostic, error, has_errors, warning
from generator.incremental import environment
from generator.model import Corpus
from generator.references import ReferenceIndex
from generator.print import documents, fonts, images, tree
from generator.print.render import Rendered, render_all
from generator.terminal import NoProgress

CACHE = Path(".cache") / "pdf"
BLOCKS = Path(".cache") / "print-blocks.json"  # parsed bodies, so an unchanged body is not parsed again
FONT_COVERAGE = Path(".cache") / "fonts"  # the characters each font file covers


def jobs_for(root: Path, corpus: Corpus, families: dict[str, str]) -> list[documents.PrintJob]:
    """Every record's print job, type by type (a record without one, like an empty volume, has none)."""
    printing = documents.Printing(corpus.files, corpus.site, families, ReferenceIndex(corpus))
    jobs = (t.print_job(record, printing) for t in types.REGISTRY for record in corpus.of(t))
    return [job for job in jobs if job is not None]


def _printed_strings(value, key: str = ""):
    """Every string a template prints (metadata, file names and settings left out)."""
    if key in ("fonts", "meta", "size", "src", "source", "url", "t", "id"):
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for child_key, child in value.items():
            yield from _printed_strings(child, child_key)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _printed_strings(item)


def _locate(root: Path, sources: list[str], needle: str) -> tuple[str, int]:
    """The first source file and line holding `needle` (the first source, line 0, if none does)."""
    for path in sources:
        file = root / path
        for number, line in enumerate(file.read_text(encoding="utf-8").split("\n"), start=1):
            if needle in line:
                return path, number
    return sources[0], 0


def preflight(root: Path, jobs: list[documents.PrintJob], covered: frozenset[int], kept: dict) -> list[Diagnostic]:
    """Warnings a printer would want before the run: unprintable characters, low-resolution images."""
    found: list[Diagnostic] = []
    for job in jobs:
        text = "".join(_printed_strings(job.data))
        for char in fonts.uncovered(text, covered):
            path, line = _locate(root, job.sources, char)
            found.append(warning(path, line, f"字符“{char}”（U+{ord(char):04X}）不在任何印刷字体中，PDF 中会缺字"))
        for node in documents.walk(job.data):
            if node.get("t") == "figure" and node.get("source"):
                dpi = images.print_dpi(kept[node["source"]].image, node["width"])
                if dpi is not None and dpi < images.MIN_DPI:
                    name = node["source"].rsplit("/", 1)[-1]
                    path, line = _locate(root, job.sources, name)
                    found.append(
                        warning(path, line, f"图片“{name}”印刷时只有 {dpi:.0f} dpi（宽 {node['width']:.0f} 毫米），低于 {images.MIN_DPI} dpi，请换用更清晰的原图")
                    )
    return found


def prepare(root: Path, corpus: Corpus) -> tuple[list[documents.PrintJob], dict[str, str], list[Diagnostic]]:
    families, problems = fonts.resolve(root, corpus.site)
    if problems:
        return [], families, problems
    with tree.cached(tree.BlockCache(root / BLOCKS, environment(root))) as cache:
        jobs = jobs_for(root, corpus, families)
    cache.save()
    return jobs, families, preflight(root, jobs, fonts.coverage(root, families, root / FONT_COVERAGE), corpus.files)


def build_pdfs(root: Path, corpus: Corpus, out_dir: Path, progress=None) -> tuple[list[Rendered], list[Diagnostic]]:
    """All PDFs of the corpus into out_dir; returns what was rendered and the diagnostics.

    `progress` (a terminal.Stage) advances once per PDF, rendered or taken from the cache.
    """
    jobs, families, found = prepare(root, corpus)
    if has_errors(found):
        return [], found
    progress = progress or NoProgress()
    progress.start(len(jobs))
    rendered = render(root, jobs, families, out_dir, progress.advance)
    return rendered, found + rendering_diagnostics(rendered)


def render(root: Path, jobs, families: dict[str, str], out_dir: Path, done=None) -> list[Rendered]:
    font_files = fonts.files_of(root, families)
    return render_all(jobs, out_dir, root / CACHE, fonts.font_paths(root), font_files, done=done)


def rendering_diagnostics(rendered: list[Rendered]) -> list[Diagnostic]:
    """Documents that got no PDF (errors) and Typst's warnings about those that did."""
    found = [error(r.source, 0, f"无法生成 PDF：{r.problem}") for r in rendered if r.problem]
    found += [
        warning(r.source, 0, f"生成 {r.output} 时排版程序提示：{text}。PDF 已生成，请打开它检查版面，必要时改写这部分内容")
        for r in rendered if not r.problem for text in r.warnings
    ]
    return found


def job_for_file(root: Path, corpus: Corpus, path: str, families: dict[str, str]) -> documents.PrintJob | None:
    """The document a content file belongs to (a 文史 article prints as its whole volume)."""
    printing = documents.Printing(corpus.files, corpus.site, families, ReferenceIndex(corpus))
    for content_type in types.REGISTRY:
        for record in corpus.of(content_type):
            if path in content_type.sources(record):
                return content_type.print_job(record, printing)
    return None


def pdf_for_file(root: Path, corpus: Corpus, path: str, out_dir: Path) -> tuple[Path | None, list[Diagnostic]]:
    """Render the document of one content file into out_dir; returns the PDF's path there."""
    families, found = fonts.resolve(root, corpus.site)
    if found:
        return None, found
    job = job_for_file(root, corpus, path, families)
    if job is None:
        return None, [error(path, 0, f"这个文件不对应任何可打印的文档（{_printable()}）")]
    found = preflight(root, [job], fonts.coverage(root, families), corpus.files)
    rendered = rendering_diagnostics(render(root, [job], families, out_dir))
    return (None if has_errors(rendered) else out_dir / job.output), found + rendered


def _printable() -> str:
    """简报、文史、制度、年度工作要点或工作报告: the kinds of document that are printed."""
    names = [t.print_name for t in types.REGISTRY if t.print_name]
    return "、".join(names[:-1]) + "或" + names[-1] if len(names) > 1 else "".join(names)
