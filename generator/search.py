"""Search: what each page gives Pagefind, and running Pagefind over the built site.

Chinese recall depends on cutting the query and the page the same way.  Pagefind's
segmenter cuts a word differently in different contexts (脱贫 alone, 精准脱贫 in a
phrase), so besides the page's own text each page carries index-only text: every
pair of adjacent Han characters (bigram), space-separated.  The search box cuts a
query's Han runs into the same bigrams (search.js), so a phrase is found wherever
its characters stand together, whatever the segmenter made of the page (the query
uses pairs that tile the phrase without overlapping: each pair costs an index chunk).
"""
from __future__ import annotations

import ctypes
import html
import os
import re
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

SEARCH_DIR = "pagefind"
# Marks where the index-only text starts in a page's indexed content; search.js cuts
# excerpts there, so no result ever shows the bigrams.
SENTINEL = "〓"
# Not worth finding: heading permalinks (¶) and the editors' download links.
EXCLUDED = ".headerlink, .zx-pdf"

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
_TAGS = re.compile(r"<[^>]+>")


def bigrams(text: str) -> list[str]:
    """Distinct adjacent-character pairs of every Han run, in order of first appearance."""
    seen: dict[str, None] = {}
    for run in _HAN_RUN.findall(text):
        for i in range(len(run) - 1):
            seen.setdefault(run[i : i + 2], None)
    return list(seen)


def searchable(content_html: str, meta: dict | None) -> str:
    """A page's rendered body wrapped for Pagefind: the indexed region, filters, index-only bigrams."""
    meta = meta or {}
    tags = []
    for key in ("collection", "year"):
        if meta.get(key) not in (None, ""):
            tags.append(f'<span data-pagefind-filter="{key}:{html.escape(str(meta[key]))}" hidden></span>')
    if meta.get("collection"):
        tags.append(f'<span data-pagefind-meta="collection:{html.escape(meta["collection"])}" hidden></span>')
    text = html.unescape(_TAGS.sub(" ", content_html))
    extra = " ".join(bigrams(text))
    if extra:
        tags.append(f'<div class="zx-search-only" hidden aria-hidden="true">{SENTINEL} {extra}</div>')
    return f"<div data-pagefind-body>{content_html}{''.join(tags)}</div>"


@dataclass
class IndexStats:
    pages: int
    files: int
    bytes: int


def index_site(site_dir: Path, low_priority: bool = False) -> tuple[IndexStats | None, str | None]:
    """Run Pagefind (extended: it segments Chinese) over a built site; (stats, problem).

    `low_priority` (the preview's background indexing) leaves the processor to rebuilds.
    """
    from pagefind_bin_extended import get_executable

    done = subprocess.run(
        [
            str(get_executable()),
            "--site", str(site_dir),
            "--output-subdir", SEARCH_DIR,
            "--exclude-selectors", EXCLUDED,
            "--quiet",
        ],
        capture_output=True,
        text=True,
        preexec_fn=lambda: _child_setup(low_priority),
    )
    if done.returncode != 0:
        return None, (done.stderr or done.stdout).strip() or f"Pagefind 退出码 {done.returncode}"
    return index_stats(site_dir), None


_PR_SET_PDEATHSIG = 1


def _child_setup(low_priority: bool) -> None:
    """In the Pagefind process: die with the build (a killed build leaves no writer behind)."""
    try:
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: the next build's cleanup is all there is
    if low_priority:
        os.nice(10)


def index_stats(site_dir: Path) -> IndexStats:
    """Pages, files and bytes of the search index in a built site."""
    bundle = site_dir / SEARCH_DIR
    files = [p for p in bundle.rglob("*") if p.is_file()]
    pages = len(list((bundle / "fragment").glob("*")))
    return IndexStats(pages, len(files), sum(p.stat().st_size for p in files))
