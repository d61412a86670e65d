"""content/ -> Corpus + diagnostics.  Loading never raises on bad content."""
from __future__ import annotations

from pathlib import Path

from generator import types
from generator.content_files import ContentFiles, Use, is_temporary, unused_files
from generator.diagnostics import Diagnostic, warning
from generator.frontmatter import reading_limits
from generator.load.common import relative
from generator.load.site import load_site
from generator.model import DEFAULT_LIMITS, Corpus

SETTINGS = ("fonts", "site.yml")  # what content/ holds besides the types' folders


def load_corpus(root: Path, keep_files: bool = False) -> tuple[Corpus, list[Diagnostic]]:
    """`keep_files`: keep the bytes of the files records use in the store (a build publishes them)."""
    content = root / "content"
    problems: list[Diagnostic] = []
    site, found = load_site(root)
    problems += found
    corpus = Corpus(site=site)
    max_mb, max_line, _ = site.limits if site else DEFAULT_LIMITS
    with reading_limits(max_mb * MEGABYTE, max_line):
        _load_collections(root, corpus, problems)
    if content.is_dir():
        for entry in sorted(content.iterdir()):
            if entry.name not in (*folders(), *SETTINGS) and not is_temporary(entry.name):
                problems.append(
                    warning(relative(root, entry), 0, f"content/ 下的“{entry.name}”不属于任何栏目，将被忽略")
                )
    problems += _check_files(root, corpus, keep_files)
    return corpus, problems


def _load_collections(root: Path, corpus: Corpus, problems: list[Diagnostic]) -> None:
    for content_type in types.REGISTRY:
        folder = root / "content" / content_type.folder
        records, found = content_type.load(root, folder) if folder.is_dir() else ([], [])
        corpus.items[content_type.key] = records
        problems += found


MEGABYTE = 1024 * 1024


def folders() -> tuple[str, ...]:
    """The types' folders under content/ (where the files records use may be)."""
    return types.folders()


def _check_files(root: Path, corpus: Corpus, keep: bool) -> list[Diagnostic]:
    """Every file a record uses, read and checked once; a warning for each file none uses."""
    max_mb, _, max_megapixels = corpus.site.limits if corpus.site else DEFAULT_LIMITS
    files = ContentFiles(root, max_mb * MEGABYTE, max_megapixels, keep, folders())
    uses = [Use(record.source.path, ref.line, ref.target, path, ref.kind) for record, ref, path in corpus.file_uses()]
    problems = files.check(uses)
    corpus.files = files.files
    return problems + unused_files(root, {use.path for use in uses}, folders())
