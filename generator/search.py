"""Search: the document Pagefind indexes for each page, and running Pagefind over them.

Chinese recall depends on cutting the query and the page the same way, and Pagefind's
own segmenters disagree (jieba when indexing, the browser's ICU when searching): plain
Pagefind does not find 送医送药 on a page that has 送医送药下乡 (`bench/search.py`).  So
Pagefind is given no Chinese words at all.  Each page becomes a search document of tokens (`tokens()`): every pair of
adjacent Han characters (bigram), the last character of each Han run (so a one-character
query finds a run's end too: a query token matches the tokens it begins), and each word
of other scripts.  The index language (`LANGUAGE`) is one Pagefind does not segment, and
the search box cuts a query into the same tokens (search.js), so a phrase is found
wherever its characters stand together.

Each token is given once per page, weighted by how often the page uses it (and more in
the title).  A common word then costs one small entry per page in its index chunk
instead of every position, which keeps a phone's first query small.

Documents live in a content-addressed store (`.cache/search-docs/<key>.html`, with the
page's plain text in `<key>.txt`); a build records each page's key, so a page not
rendered again keeps its document.  For indexing they are gathered into a tree of hard
links named like the site's pages (`index_documents`); afterwards each result fragment's
content (the tokens, useless to a reader) is replaced by the page's plain text, which is
what the search box shows excerpts from.
"""
from __future__ import annotations

import ctypes
import gzip
import hashlib
import html
import json
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import cbor2

from generator.output import link_file, write_file

SEARCH_DIR = "pagefind"
STORE = Path(".cache") / "search-docs"
LANGUAGE = "und"  # "undetermined": no stemming, no segmentation on either side
TITLE_WEIGHT = 7  # what Pagefind gives an <h1>
FINISHING_THREADS = 4
MAX_WEIGHT = 6  # a body token's weight grows by one each time its count doubles, up to this

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_RUNS = re.compile(f"[{_HAN}]+|[^\\W{_HAN}_]+")  # a Han run, or a word of another script
_IS_HAN = re.compile(f"[{_HAN}]")
_DROPPED = re.compile(r'<a class="headerlink".*?</a>|<a class="zx-pdf.*?</a>|<svg.*?</svg>', re.S)  # ¶ links, PDF links, charts
_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|td|th|div|figcaption|blockquote|pre)>", re.I)
_TAGS = re.compile(r"<[^>]+>")
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
_SPACES = re.compile(r"\s+")


def tokens(text: str) -> list[str]:
    """The index tokens of a text, in order (the search box cuts queries the same way)."""
    out: list[str] = []
    for run in _RUNS.findall(text):
        if not _IS_HAN.match(run):
            out.append(run.lower())
        elif len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
            out.append(run[-1])
    return out


def plain_text(content_html: str) -> str:
    """What a reader sees of a page body, on one line (excerpts are cut from it)."""
    text = _BLOCK_END.sub(lambda m: m.group(0) + " ", _DROPPED.sub("", content_html))
    return _SPACES.sub(" ", html.unescape(_TAGS.sub("", text))).strip()


def document(content_html: str, title: str, meta: dict | None) -> tuple[str, str]:
    """A page's search document for Pagefind, and its plain text (`title` where it has no <h1>)."""
    meta = meta or {}
    text = plain_text(content_html)
    heading = _H1.search(content_html)
    title = plain_text(heading.group(1)) if heading else title  # the page's own heading, not its nav entry
    spans = [f'<span data-pagefind-meta="title:{html.escape(title)}"></span>']
    for key in ("collection", "year"):
        if meta.get(key) not in (None, ""):
            spans.append(f'<span data-pagefind-filter="{key}:{html.escape(str(meta[key]))}"></span>')
    if meta.get("collection"):
        spans.append(f'<span data-pagefind-meta="collection:{html.escape(meta["collection"])}"></span>')
    blocks = {TITLE_WEIGHT: list(dict.fromkeys(tokens(title)))}
    for token, count in Counter(tokens(text)).items():
        blocks.setdefault(min(MAX_WEIGHT, count.bit_length()), []).append(token)  # 1, 2-3, 4-7, ... uses
    for weight, words in blocks.items():
        if words:
            spans.append(f'<p data-pagefind-weight="{weight}">{html.escape(" ".join(words))}</p>')
    body = "".join(spans)
    return f'<!doctype html><html lang="{LANGUAGE}"><body><div data-pagefind-body>{body}</div></body></html>', text


INLINE = 8  # documents a build makes itself before it starts workers


class DocumentWriter:
    """Puts rendered pages' search documents in the store, beside MkDocs' rendering.

    MkDocs renders in one thread, and cutting a page into tokens costs a good part of what
    rendering it does, so documents are made in worker processes (one fewer than the
    processors, at least one) while MkDocs goes on.  A document's key is the hash of what
    it is made from (and of `salt`, the generator's version), so a page whose document is
    already in the store costs nothing.
    """

    def __init__(self, root: Path, salt: str) -> None:
        self.store = root / STORE
        self.salt = salt
        self.pool: ProcessPoolExecutor | None = None
        self.pending: list = []
        self.made = 0

    def add(self, content_html: str, title: str, meta: dict | None) -> str:
        """The key of the page's document; it is made unless the store has it."""
        made_from = json.dumps([self.salt, title, meta, content_html], ensure_ascii=False, sort_keys=True, default=str)
        key = hashlib.sha256(made_from.encode("utf-8")).hexdigest()[:24]
        if _stored(self.store, key, ".html").is_file():
            return key
        if self.made < INLINE:  # a preview's rebuild needs one or two: no worker is started
            self.made += 1
            _store_document(self.store, key, content_html, title, meta)
        else:
            if self.pool is None:
                workers = max(1, (os.cpu_count() or 2) - 1)
                self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
            self.pending.append(self.pool.submit(_store_document, self.store, key, content_html, title, meta))
        return key

    def finish(self) -> None:
        """Wait until every document is in the store (a worker's exception is raised here)."""
        pending, self.pending = self.pending, []
        try:
            for future in pending:
                future.result()
        finally:
            if self.pool is not None:
                self.pool.shutdown(cancel_futures=True)
                self.pool = None


def _store_document(store: Path, key: str, content_html: str, title: str, meta: dict | None) -> None:
    doc, text = document(content_html, title, meta)
    write_file(_stored(store, key, ".txt"), text.encode("utf-8"))
    write_file(_stored(store, key, ".html"), doc.encode("utf-8"))  # last: it marks a complete pair


def _stored(store: Path, key: str, suffix: str) -> Path:
    """A document's file in the store: `.html` for Pagefind, `.txt` for the page's plain text."""
    return store / f"{key}{suffix}"


def has_document(root: Path, key: str | None) -> bool:
    """Whether the store holds the complete document `key` (its `.html` is written last)."""
    return key is not None and _stored(root / STORE, key, ".html").is_file()


@dataclass
class IndexStats:
    pages: int
    files: int
    bytes: int


def index_documents(
    root: Path, documents: dict[str, str], site_dir: Path, low_priority: bool = False
) -> tuple[IndexStats | None, str | None]:
    """Index `documents` ({page output path: store key}) into `site_dir`/pagefind; (stats, problem).

    `low_priority` (the preview's background indexing) leaves the processor to rebuilds.
    """
    from pagefind_bin_extended import get_executable

    store = root / STORE
    # Inside the site being made (a killed build's is discarded with it), removed before it is shown.
    tree = Path(tempfile.mkdtemp(dir=site_dir, prefix=".search-documents-"))
    bundle = site_dir / SEARCH_DIR
    keys = {_url_of(output): key for output, key in documents.items()}
    try:
        for output, key in documents.items():
            link_file(_stored(store, key, ".html"), tree / output)
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
            preexec_fn=lambda: _child_setup(low_priority),
        )
        if done.returncode != 0:
            return None, (done.stderr or done.stdout).strip() or f"Pagefind 退出码 {done.returncode}"
        _finish(bundle, lambda url: _stored(store, keys[url], ".txt").read_text(encoding="utf-8"))
    finally:
        shutil.rmtree(tree, ignore_errors=True)
    return index_stats(site_dir), None


def _url_of(output: str) -> str:
    """The URL Pagefind gives a result from this output path (its rule: "index.html" dropped)."""
    return "/" + output.replace("index.html", "")


_MAGIC = b"pagefind_dcd"  # what starts every decompressed Pagefind data file


def _read(file: Path) -> bytes:
    data = gzip.decompress(file.read_bytes())
    if not data.startswith(_MAGIC):
        raise ValueError(f"not a Pagefind data file: {file}")
    return data[len(_MAGIC):]


def _packed(data: bytes) -> tuple[str, bytes]:
    """A Pagefind data file's bytes (signature, then gzip) and the hash its name comes from."""
    data = _MAGIC + data
    return hashlib.sha256(data).hexdigest(), gzip.compress(data, compresslevel=6, mtime=0)


def _write(folder: Path, prefix: str, suffix: str, data: bytes, digits: int) -> str:
    """Write a Pagefind data file named by the hash of its content; returns the name (no suffix)."""
    full, packed = _packed(data)
    name = f"{prefix}_{full[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(packed)
    return name


def _rewrite_fragment(bundle: Path, folder: Path, name: str, text_of) -> str:
    """A result fragment with the page's text for content, written under its full hash; returns it."""
    fragment = json.loads(_read(bundle / "fragment" / f"{name}.pf_fragment"))
    fragment["content"] = text_of(fragment["url"])
    full, packed = _packed(json.dumps(fragment, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    (folder / f"{full}.pf_fragment").write_bytes(packed)
    return full


def _short_name(prefix: str, full: str, digits: int, taken: set[str]) -> str:
    """Pagefind's naming: a prefix and the hash's first digits, more where two would clash."""
    while f"{prefix}_{full[:digits]}" in taken:
        digits += 1
    taken.add(f"{prefix}_{full[:digits]}")
    return f"{prefix}_{full[:digits]}"


def _finish(bundle: Path, text_of) -> None:
    """Put each page's plain text in its fragment, and make the bundle's bytes reproducible.

    Fragments are renamed by their new content.  Pagefind writes filter values in hash-map
    order, different on every run: they are sorted and renamed by content too; the
    language's meta file and the entry file then point at the new names.  New files go to
    new folders (a new name may be an old file's name), which then replace the old ones.
    """
    entry_file = bundle / "pagefind-entry.json"
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    folders = {name: bundle / f"{name}.new" for name in ("fragment", "filter")}
    for folder in folders.values():
        folder.mkdir()
    for language, about in entry["languages"].items():
        meta_file = bundle / f"pagefind.{about['hash']}.pf_meta"
        meta = cbor2.loads(_read(meta_file))
        pages = meta[1]  # [[fragment name, word count], ...]
        with ThreadPoolExecutor(FINISHING_THREADS) as threads:  # file and zlib work leaves the GIL
            written = list(threads.map(lambda page: _rewrite_fragment(bundle, folders["fragment"], page[0], text_of), pages))
        taken: set[str] = set()
        for page, full in zip(pages, written):  # short names given in page order: reproducible
            name = _short_name(language, full, 7, taken)
            (folders["fragment"] / f"{full}.pf_fragment").rename(folders["fragment"] / f"{name}.pf_fragment")
            page[0] = name
        filters = meta[3]  # [[filter name, file name], ...]
        filters.sort()
        for item in filters:
            name, values = cbor2.loads(_read(bundle / "filter" / f"{item[1]}.pf_filter"))
            item[1] = _write(folders["filter"], language, ".pf_filter", cbor2.dumps([name, sorted(values)]), 7)
        meta_file.unlink()
        about["hash"] = _write(bundle, f"pagefind.{language}", ".pf_meta", cbor2.dumps(meta), 10).removeprefix("pagefind.")
    for name, folder in folders.items():
        shutil.rmtree(bundle / name, ignore_errors=True)
        folder.rename(bundle / name)
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
