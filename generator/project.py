"""A project on disk (mkdocs.yml, content/, docs/): check it, turn it into site content."""
from __future__ import annotations

import sys
from pathlib import Path

from generator import diagnostics
from generator.checks import check_corpus
from generator.content_files import ATTACHMENTS, MAX_SOURCE_BYTES, FileProblem, is_temporary, read_inside
from generator.diagnostics import Diagnostic, error
from generator.image_files import ImageProblem, check_image, is_image_name
from generator.frontmatter import counting_reads, read_markdown
from generator.load import load_corpus
from generator.model import Corpus
from generator.pages import SiteContent, build_pages
from generator.published import inspect


class SiteProblem(Exception):
    """Content errors met outside the CLI (for example by a bare `mkdocs build`)."""


def check_project(root: Path, keep_files: bool = False) -> tuple[Corpus, list[Diagnostic]]:
    """Load and validate everything; diagnostics come back sorted by path and line.

    `keep_files`: a build keeps the bytes of the files it publishes (read here, once).
    """
    corpus, found = load_corpus(root, keep_files)
    found += check_corpus(root, corpus)
    found += check_docs(root)
    return corpus, diagnostics.sort(found)


def check_docs(root: Path) -> list[Diagnostic]:
    """The hand-written pages pass the same allow-list as content, and docs/' other files (which
    MkDocs publishes as they are) the same rules as the files content uses."""
    found = docs_files(root)
    for page in docs_pages(root):
        path = f"docs/{page}"
        with counting_reads(lambda: None):  # a build's progress counts content files
            source, problems = read_markdown(root / path, path)
        found += problems
        if source is not None:
            found += inspect(path, source.body, source.body_line).problems
    return found


def docs_files(root: Path) -> list[Diagnostic]:
    """What docs/ may hold besides pages: documents and images (checked from their bytes), inside it."""
    docs = root / "docs"
    found: list[Diagnostic] = []
    for file in sorted(docs.rglob("*")) if docs.is_dir() else []:
        relative = file.relative_to(docs).as_posix()
        path = f"docs/{relative}"
        if file.is_dir() and not file.is_symlink() or file.suffix == ".md" or is_temporary(file.name):
            continue
        problem = publishable(docs, relative)
        if problem:
            found.append(error(path, 0, f"这个文件不能发布：{problem}"))
    return found


def publishable(docs: Path, relative: str) -> str | None:
    """Why a file of docs/ (a static file MkDocs copies) may not be published, or None."""
    suffix = Path(relative).suffix.lower()
    if suffix not in ATTACHMENTS:
        return "网站只发布 docs/ 中的页面（.md）和文档、图片等附件，不发布网页、脚本一类的文件；请删去或移出 docs/"
    try:
        data = read_inside(docs, relative, MAX_SOURCE_BYTES)
        if is_image_name(relative):
            check_image(relative, data)
    except (FileProblem, ImageProblem) as problem:
        return str(problem).replace("content/", "docs/")
    return None


def docs_pages(root: Path) -> list[str]:
    docs = root / "docs"
    return sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md")) if docs.is_dir() else []


def site_content(root: Path, corpus: Corpus, pdf: bool = False) -> SiteContent:
    """Pages of `corpus` as given (drafts already kept or dropped by the caller)."""
    return build_pages(corpus, docs_pages(root), pdf)


def load_site_content(root: Path, drafts: bool, strict: bool) -> SiteContent:
    """For the MkDocs plugin run on its own: strict stops on errors, a preview reports and goes on."""
    corpus, found = check_project(root, keep_files=True)
    report = "\n".join(d.format() for d in found)
    if diagnostics.has_errors(found) and (strict or corpus.site is None):
        raise SiteProblem(f"内容有错误，未生成网站：\n{report}")
    if report:
        print(report, file=sys.stderr)
    return site_content(root, corpus if drafts else corpus.published())
