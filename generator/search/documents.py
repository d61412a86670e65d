"""Search: the document Pagefind indexes for each page, and running Pagefind over them.

Chinese recall depends on cutting the query and the page the same way, and Pagefind's
own segmenters disagree (jieba when indexing, the browser's ICU when searching): plain
Pagefind does not find 送医送药 on a page that has 送医送药下乡 (`bench/search.py`).  So
Pagefind is given no Chinese words at all.  Each page becomes a search document of tokens (`tokens()`): every pair of
adjacent Han characters (bigram), the last character of each Han run (so a one-character
query finds a run's end too: a query token matches the tokens it begins), and each word
of other scripts.  The index language (`LANGUAGE`) is one Pagefind does not segment, and
the search box cuts a query into the same tokens (zhengxie-search.js), so a phrase is found
wherever its characters stand together.

Each token is given once per page, weighted by how often the page uses it (and more in
the title).  A common word then costs one small entry per page in its index chunk
instead of every position, which keeps a phone's first query small.

Every token also carries its page's search group, a letter (`GROUPS`, from the page's
output path): 提案 on a page of group k is the word 提案k.  Pagefind's WebAssembly
compares each result page with every page entry of the query's words, so a query time
grows with the square of the pages that match; the search box runs one query per group
(提案a, 提案b, ...), sixteen small squares instead of one large one.  Groups also let a
large site be indexed in several Pagefind runs that share no word (`bundle`).

Documents live in a content-addressed store (`.cache/search-docs/<key>.html`, with the
page's result fragment, its plain text, title and collection, in `<key>.pf_fragment`); a build
records each page's key, so a page not rendered again keeps its document.  For indexing
they are gathered into trees of hard links named like the site's pages
(`indexing`).
"""
from __future__ import annotations

import hashlib
import html
import json
import multiprocessing
import os
import re
from collections import Counter
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from generator.search.bundle import PAGE_FILTER, fragment_file
from generator.output import die_with_parent, write_file

STORE = Path(".cache") / "search-docs"
LANGUAGE = "und"  # "undetermined": no stemming, no segmentation on either side
TITLE_WEIGHT = 7  # what Pagefind gives an <h1>
MAX_WEIGHT = 6  # a body token's weight grows by one each time its count doubles, up to this
GROUPS = "abcdefghijklmnop"  # search groups: the search box queries each one apart (zhengxie-search.js GROUPS)

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


def group_of(output: str) -> str:
    """A page's search group: a letter from the hash of its output path (stable across edits)."""
    return GROUPS[hashlib.sha256(output.encode("utf-8")).digest()[0] % len(GROUPS)]


def document(output: str, content_html: str, title: str, meta: dict | None) -> tuple[str, dict]:
    """A page's search document for Pagefind, and its result fragment.

    Every token carries the page's group letter and is given once.  `title` stands where
    the page has no <h1>.
    """
    meta = meta or {}
    text = plain_text(content_html)
    heading = _H1.search(content_html)
    title = plain_text(heading.group(1)) if heading else title  # the page's own heading, not its nav entry
    group = group_of(output)
    spans = [f'<span data-pagefind-filter="{PAGE_FILTER}:{html.escape(output)}"></span>']
    filters = {}
    for key in ("collection", "year"):
        if meta.get(key) not in (None, ""):
            filters[key] = [str(meta[key])]
            spans.append(f'<span data-pagefind-filter="{key}:{html.escape(str(meta[key]))}"></span>')
    title_tokens = list(dict.fromkeys(tokens(title)))
    blocks = {TITLE_WEIGHT: title_tokens}
    in_title = set(title_tokens)
    for token, count in Counter(tokens(text)).items():
        if token not in in_title:
            blocks.setdefault(min(MAX_WEIGHT, count.bit_length()), []).append(token)  # 1, 2-3, 4-7, ... uses
    for weight, words in blocks.items():
        if words:
            spans.append(f'<p data-pagefind-weight="{weight}">{html.escape(" ".join(w + group for w in words))}</p>')
    doc = f'<!doctype html><html lang="{LANGUAGE}"><body><div data-pagefind-body>{"".join(spans)}</div></body></html>'
    shown = {"title": title, **({"collection": meta["collection"]} if meta.get("collection") else {})}
    count = sum(len(words) for words in blocks.values())  # what Pagefind counts: the tokens
    fragment = {"url": _url_of(output), "content": text, "word_count": count, "filters": filters, "meta": shown, "anchors": []}
    return doc, fragment


INLINE = 8  # documents a build makes itself before it starts workers
BATCH = 32  # pages handed to a worker at once


class DocumentWriter:
    """Puts rendered pages' search documents in the store, beside MkDocs' rendering.

    MkDocs renders in one thread, and cutting a page into tokens costs a good part of what
    rendering it does, so documents are made in worker processes (one fewer than the
    processors, at least one) while MkDocs goes on.  Pages are handed over `BATCH` at a
    time: the pool's threads in this process wake once per batch, not once per page, and
    so take less of the interpreter from MkDocs (page by page, MkDocs' rendering of 10,000
    pages took 13 s longer).  A document's key is the hash of what it is made from (and of
    `salt`, the generator's version), so a page whose document is already in the store
    costs nothing.
    """

    def __init__(self, root: Path, salt: str) -> None:
        self.store = root / STORE
        self.salt = salt
        self.pool: ProcessPoolExecutor | None = None
        self.batch: list[tuple] = []
        self.pending: list[Future] = []
        self.made = 0

    def add(self, output: str, content_html: str, title: str, meta: dict | None) -> str:
        """The key of the page's document; it is made unless the store has it."""
        made_from = json.dumps([self.salt, output, title, meta, content_html], ensure_ascii=False, sort_keys=True, default=str)
        key = hashlib.sha256(made_from.encode("utf-8")).hexdigest()[:24]
        if stored(self.store, key, ".html").is_file():
            return key
        if self.made < INLINE:  # a preview's rebuild needs one or two: no worker is started
            self.made += 1
            _store_document(self.store, key, output, content_html, title, meta)
        else:
            self.batch.append((key, output, content_html, title, meta))
            if len(self.batch) >= BATCH:
                self.submitted()
        return key

    def submitted(self) -> list[Future]:
        """Hands the pages held back to a worker; the futures of the documents not yet made."""
        if self.batch:
            if self.pool is None:
                workers = max(1, (os.cpu_count() or 2) - 1)
                self.pool = ProcessPoolExecutor(
                    workers, mp_context=multiprocessing.get_context("spawn"),
                    initializer=die_with_parent, initargs=(os.getpid(),),  # an idle worker outlives a killed build otherwise
                )
            self.pending.append(self.pool.submit(_store_documents, self.store, self.batch))
            self.batch = []
        return list(self.pending)

    def finish(self) -> None:
        """Wait until every document is in the store (a worker's exception is raised here)."""
        self.submitted()
        pending, self.pending = self.pending, []
        try:
            for future in pending:
                future.result()
        finally:
            self.abandon()

    def abandon(self) -> None:
        """Stop the workers (documents under way are finished, the others dropped)."""
        self.batch, self.pending = [], []
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None


def _store_documents(store: Path, pages: list[tuple]) -> None:
    for key, output, content_html, title, meta in pages:
        _store_document(store, key, output, content_html, title, meta)


def _store_document(store: Path, key: str, output: str, content_html: str, title: str, meta: dict | None) -> None:
    doc, fragment = document(output, content_html, title, meta)
    write_file(stored(store, key, ".pf_fragment"), fragment_file(fragment))
    write_file(stored(store, key, ".html"), doc.encode("utf-8"))  # last: it marks a complete pair


def stored(store: Path, key: str, suffix: str) -> Path:
    """A document's file in the store: `.html` for Pagefind, `.pf_fragment` for its result."""
    return store / f"{key}{suffix}"


def has_document(root: Path, key: str | None) -> bool:
    """Whether the store holds the complete document `key` (its `.html` is written last)."""
    return key is not None and stored(root / STORE, key, ".html").is_file()


def _url_of(output: str) -> str:
    """The URL Pagefind gives a result from this output path (its rule: "index.html" dropped)."""
    return "/" + output.replace("index.html", "")
