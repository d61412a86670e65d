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
import gzip
import hashlib
import html
import json
import os
import re
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

import cbor2

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
    canonical_filters(site_dir / SEARCH_DIR)
    return index_stats(site_dir), None


_MAGIC = b"pagefind_dcd"  # what starts every decompressed Pagefind data file (CBOR after it)


def _read_cbor(file: Path):
    data = gzip.decompress(file.read_bytes())
    if not data.startswith(_MAGIC):
        raise ValueError(f"not a Pagefind data file: {file}")
    return cbor2.loads(data[len(_MAGIC):])


def _write_cbor(folder: Path, name: str, suffix: str, value, digits: int) -> str:
    """Write `value` as a Pagefind data file named by the hash of its content; returns the hash."""
    data = _MAGIC + cbor2.dumps(value)
    digest = f"{name}_{hashlib.sha256(data).hexdigest()[:digits]}"
    (folder / f"{digest}{suffix}").write_bytes(gzip.compress(data, mtime=0))
    return digest


def canonical_filters(bundle: Path) -> None:
    """Pagefind writes filter values in hash-map order, different on every run: sort them, so
    that the same site gives the same index bytes (the files are renamed by their new content,
    and the language's meta file and the entry file point at the new names)."""
    entry_file = bundle / "pagefind-entry.json"
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    for language, about in entry["languages"].items():
        meta_file = bundle / f"pagefind.{about['hash']}.pf_meta"
        meta = _read_cbor(meta_file)
        filters = meta[3]  # [[filter name, file hash], ...], also in hash-map order
        filters.sort()
        for item in filters:
            old = bundle / "filter" / f"{item[1]}.pf_filter"
            name, values = _read_cbor(old)
            old.unlink()
            item[1] = _write_cbor(bundle / "filter", language, ".pf_filter", [name, sorted(values)], 7)
        meta_file.unlink()
        about["hash"] = _write_cbor(bundle, f"pagefind.{language}", ".pf_meta", meta, 10).removeprefix("pagefind.")
    entry_file.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


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
