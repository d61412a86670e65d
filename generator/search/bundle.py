"""The search bundle a browser loads, put together from one or more Pagefind runs.

Pagefind keeps every (word, page) pair of a run in memory, about 300 bytes each (7.7 GB
for 10,000 long pages), so a large site is indexed in several runs, one at a time
(`indexing.index_documents`), each over the pages of some search groups (`documents.GROUPS`).
Every word carries its page's group letter, so no word is in two runs: merging runs only
puts their words in order and shifts each word's first page number (Pagefind stores a
word's pages as differences from the previous one).  Words are scanned in Pagefind's
binary form (CBOR) without decoding each page entry, which is what keeps this fast.

While merging, chunks are cut again so that all group variants of a token (提案a ...
提案p) sit in one chunk: a query fetches one chunk per token, not two or three.

Fragments (what a result shows) are not Pagefind's: each page's fragment (its plain text,
title and collection) is made with its document and kept in the search store, and is
linked into the bundle here.  Pagefind's page order is read from the `page` filter every
document carries; that filter is not published.
"""
from __future__ import annotations

import gzip
import hashlib
import heapq
import io
import itertools
import json
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cbor2

from generator.output import link_file

# The Pagefind releases whose files this module was checked against (tests/test_pagefind_format.py);
# its file format is not a public interface, so any other release is refused.
TESTED_VERSIONS = ("1.5.2",)
MAGIC = b"pagefind_dcd"  # what starts every decompressed Pagefind data file
PAGE_FILTER = "page"  # each document's output path, for Pagefind's page order; not published
CHUNK_BYTES = 64_000  # a chunk (before compression) is cut at this size, between tokens
THREADS = 4  # chunks packed at once
LEVEL = 5  # gzip level: 2.5 % larger than Pagefind's 6, half the time

# CBOR pieces of a word's page entry [page, [locations], [meta locations]]: integers and
# array headers.  A word's pages are matched in one pass of the regex engine.
_INT = rb"(?:[\x00-\x17\x20-\x37]|[\x18\x38][\x00-\xff]|[\x19\x39][\x00-\xff]{2}|[\x1a\x3a][\x00-\xff]{4}|[\x1b\x3b][\x00-\xff]{8})"
_ARRAY = rb"(?:[\x80-\x97]|\x98[\x00-\xff]|\x99[\x00-\xff]{2}|\x9a[\x00-\xff]{4})"
_PAGES = re.compile(rb"(?:\x83" + _INT + _ARRAY + _INT + rb"*+" + _ARRAY + _INT + rb"*+)*+")


class FormatProblem(Exception):
    """Pagefind's files are not what this module was checked against (the message is the editor's)."""


def check_version(run: Path) -> None:
    """Refuse a Pagefind run whose release is not one of `TESTED_VERSIONS`."""
    try:
        version = json.loads((run / "pagefind-entry.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError, TypeError):
        version = "未知"
    if version not in TESTED_VERSIONS:
        raise FormatProblem(
            f"Pagefind 版本为 {version}，本程序只在 {'、'.join(TESTED_VERSIONS)} 上验证过它的索引格式"
            "（运行 make build 会重新安装 requirements.lock 锁定的版本）"
        )


def read(file: Path) -> bytes:
    """A Pagefind data file's content (its signature checked and removed)."""
    data = gzip.decompress(file.read_bytes())
    if not data.startswith(MAGIC):
        raise ValueError(f"not a Pagefind data file: {file}")
    return data[len(MAGIC):]


def packed(data: bytes) -> bytes:
    """A Pagefind data file's bytes: signature, then gzip (reproducible: no time stamp)."""
    return gzip.compress(MAGIC + data, compresslevel=LEVEL, mtime=0)


def fragment_file(fragment: dict) -> bytes:
    """A result fragment as Pagefind's file (url, content, word_count, filters, meta, anchors)."""
    return packed(json.dumps(fragment, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def _full_hash(data: bytes) -> str:
    return hashlib.sha256(MAGIC + data).hexdigest()


class Names:
    """Pagefind's file naming: a prefix and a hash's first digits, more where two would clash."""

    def __init__(self, prefix: str, digits: int = 7) -> None:
        self.prefix, self.digits, self.taken = prefix, digits, set()

    def __call__(self, full: str) -> str:
        digits = self.digits
        while f"{self.prefix}_{full[:digits]}" in self.taken:
            digits += 1
        name = f"{self.prefix}_{full[:digits]}"
        self.taken.add(name)
        return name


# -- CBOR, as much of it as Pagefind's word chunks need ----------------------------------

def _head(data: bytes, at: int) -> tuple[int, int, int]:
    """(major type, argument, offset after the head) of the CBOR item at `at`."""
    first = data[at]
    major, info = first >> 5, first & 0x1F
    if info < 24:
        return major, info, at + 1
    size = 1 << (info - 24)  # 1, 2, 4 or 8 bytes follow
    return major, int.from_bytes(data[at + 1 : at + 1 + size], "big"), at + 1 + size


def _encode_head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * size):
            return bytes([major << 5 | info]) + value.to_bytes(size, "big")
    raise ValueError(value)


def _words(data: bytes):
    """(word, entry bytes, offset of its pages list, whether it has no variants) for each word
    entry of a chunk, in order.

    An entry without variants is never decoded: when the scan does not end exactly where
    the entry's variants begin, Pagefind's format is not the one checked and FormatProblem
    is raised (a silent full decode would make indexing a large site many times slower).
    """
    if data[:1] != b"\x81":  # [words]
        raise FormatProblem("索引块不是只含一个词表的数组")
    major, count, at = _head(data, 1)
    if major != 4:
        raise FormatProblem("索引块的词表不是数组")
    for _ in range(count):
        start = at
        if data[at : at + 1] != b"\x83":  # [word, pages, variants]
            raise FormatProblem(f"第 {start} 字节处的词条不是三项的数组")
        major, length, at = _head(data, at + 1)
        if major != 3:
            raise FormatProblem(f"第 {start} 字节处的词条没有以文字开头")
        word = data[at : at + length].decode("utf-8")
        at += length
        pages_at = at
        major, _, at = _head(data, at)
        if major != 4:
            raise FormatProblem(f"词条 {word} 的页面表不是数组")
        at = _PAGES.match(data, at).end()
        plain = data[at : at + 1] == b"\x80"  # no variants (forms with diacritics): the usual case
        if plain:
            at += 1
        else:  # decoded (rare), and the scan checked against the decoder
            stream = io.BytesIO(data)
            stream.seek(pages_at)
            decoder = cbor2.CBORDecoder(stream)
            decoder.decode()
            if stream.tell() != at:
                raise FormatProblem(f"词条 {word} 的页面表与已验证的格式不符")
            decoder.decode()
            at = stream.tell()
        yield word, data[start:at], pages_at - start, plain
    if at != len(data):
        raise FormatProblem("索引块在词表之后还有内容")


def _shifted(entry: bytes, pages_at: int, plain: bool, offset: int) -> bytes:
    """The entry with its first page number (and its variants' first ones) moved by `offset`."""
    if offset == 0:
        return entry
    if not plain:  # decoded and encoded again (rare)
        word, pages, variants = cbor2.loads(entry)
        for listed in [pages] + [forms for _, forms in variants]:
            if listed:
                listed[0][0] += offset
        return cbor2.dumps([word, pages, variants])
    _, count, first = _head(entry, pages_at)
    if not count:
        return entry
    _, page, after = _head(entry, first + 1)  # first + 1: past the page entry's array head
    return entry[: first + 1] + _encode_head(0, page + offset) + entry[after:]


def _chunk(entries: list[bytes]) -> bytes:
    return _encode_head(4, 1) + _encode_head(4, len(entries)) + b"".join(entries)


# -- merging -----------------------------------------------------------------------------

class Run:
    """One Pagefind run's bundle, read."""

    def __init__(self, bundle: Path) -> None:
        self.bundle = bundle
        self.entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        (self.language, about), = self.entry["languages"].items()
        self.meta = cbor2.loads(read(bundle / f"pagefind.{about['hash']}.pf_meta"))
        # meta: [version, pages [[fragment, word count]], chunks [[from, to, file]], filters [[name, file]], sorts, meta fields]
        self.filters = {
            name: dict((value, pages) for value, pages in cbor2.loads(read(bundle / "filter" / f"{file}.pf_filter"))[1])
            for name, file in self.meta[3]
        }
        order = {page: output for output, pages in self.filters.pop(PAGE_FILTER, {}).items() for page in pages}
        self.outputs = [order[number] for number in range(len(self.meta[1]))]

    def words(self, offset: int):
        """(word, entry bytes) of every word in the run, in order, page numbers moved by `offset`."""
        for _, _, file in self.meta[2]:
            try:
                for word, entry, pages_at, plain in _words(read(self.bundle / "index" / f"{file}.pf_index")):
                    yield word, _shifted(entry, pages_at, plain, offset)
            except FormatProblem as problem:
                raise FormatProblem(f"Pagefind 的索引文件 {file}.pf_index 与已验证的格式不符：{problem}") from None


# The runs become one bundle here rather than being left to the browser's mergeIndex: each
# merged index has its own entry file, meta file and WebAssembly instance, so a phone would
# fetch sixteen meta files before its first query and, for every token, one chunk from each
# of the sixteen runs instead of one.
def merge(runs: list[Path], bundle: Path, fragment_of) -> None:
    """Write the bundle `bundle` from the Pagefind runs' bundles `runs`.

    `fragment_of(output)` gives a page's stored fragment: its key (a hash of everything the
    fragment is made from) and the file `fragment_file` made, which is linked into the
    bundle under a name from the key.
    `bundle` must not exist; the runs' folders are consumed.
    """
    read_runs = [Run(path) for path in runs]
    first = read_runs[0]
    language = first.language
    bundle.mkdir()
    for item in first.bundle.iterdir():  # the script, the WebAssembly, the UI files
        if item.is_file() and item.suffix != ".pf_meta" and item.name != "pagefind-entry.json":
            item.rename(bundle / item.name)
    for name in ("index", "fragment", "filter"):
        (bundle / name).mkdir()

    pages, offsets = [], []
    names = Names(language)
    for run in read_runs:
        offsets.append(len(pages))
        for output, (_, count) in zip(run.outputs, run.meta[1]):
            key, file = fragment_of(output)
            name = names(key)  # in page order: reproducible
            link_file(file, bundle / "fragment" / f"{name}.pf_fragment")
            pages.append([name, count])

    if len(read_runs) == 1:  # Pagefind's own chunks stand
        chunks = first.meta[2]
        for _, _, file in chunks:
            (first.bundle / "index" / f"{file}.pf_index").rename(bundle / "index" / f"{file}.pf_index")
    else:
        chunks = _merged_chunks(read_runs, offsets, bundle, language)

    filters = []
    filter_names = Names(language)
    for name in sorted({name for run in read_runs for name in run.filters}):
        values: dict[str, list[int]] = {}
        for run, offset in zip(read_runs, offsets):
            for value, numbers in run.filters.get(name, {}).items():
                values.setdefault(value, []).extend(number + offset for number in numbers)
        data = cbor2.dumps([name, sorted(values.items())])
        file = filter_names(_full_hash(data))
        (bundle / "filter" / f"{file}.pf_filter").write_bytes(packed(data))
        filters.append([name, file])

    meta = cbor2.dumps([first.meta[0], pages, chunks, filters, [], first.meta[5]])
    meta_name = f"{language}_{_full_hash(meta)[:10]}"
    (bundle / f"pagefind.{meta_name}.pf_meta").write_bytes(packed(meta))
    entry = dict(first.entry)
    entry["languages"] = {language: {**first.entry["languages"][language], "hash": meta_name, "page_count": len(pages)}}
    (bundle / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    for run in read_runs:
        shutil.rmtree(run.bundle, ignore_errors=True)


def _merged_chunks(runs: list[Run], offsets: list[int], bundle: Path, language: str) -> list[list[str]]:
    """Every run's words in one order, cut into chunks that keep a token's variants together."""
    streams = [run.words(offset) for run, offset in zip(runs, offsets)]
    names = Names(language)
    chunks: list[list[str]] = []
    pending = []
    threads = ThreadPoolExecutor(THREADS)  # zlib leaves the GIL: chunks are packed beside the scan

    def write(file: Path, data: bytes) -> None:
        file.write_bytes(packed(data))

    def flush(entries: list[tuple[str, bytes]]) -> None:
        data = _chunk([entry for _, entry in entries])
        name = names(_full_hash(data))
        chunks.append([entries[0][0], entries[-1][0], name])
        pending.append(threads.submit(write, bundle / "index" / f"{name}.pf_index", data))

    current: list[tuple[str, bytes]] = []
    size = 0
    token: list[tuple[str, bytes]] = []  # the variants of one token (one word less its group letter)
    for word, entries in itertools.groupby(heapq.merge(*streams, key=lambda item: item[0]), key=lambda item: item[0]):
        entries = [entry for _, entry in entries]
        entry = entries[0] if len(entries) == 1 else _combined(entries)
        if token and word[:-1] != token[0][0][:-1]:
            size = _add_token(token, current, size, flush)
            token = []
        token.append((word, entry))
    if token:
        _add_token(token, current, size, flush)
    if current:
        flush(current)
    for done in pending:
        done.result()
    threads.shutdown()
    return chunks


def _combined(entries: list[bytes]) -> bytes:
    """One entry from a word's entries in several runs (page numbers already moved).

    Pagefind adds words of its own, without a group letter (the digits of 2018k are also
    indexed as 2018), so such a word can come from more than one run.  Such words are few,
    and they are decoded.
    """
    word, variants_of, pages = None, {}, []
    for entry in entries:
        word, listed, variants = cbor2.loads(entry)
        pages += _absolute(listed)
        for form, forms in variants:
            variants_of.setdefault(form, []).extend(_absolute(forms))
    variants = [[form, _relative(sorted(listed))] for form, listed in variants_of.items()]
    return cbor2.dumps([word, _relative(sorted(pages)), variants])


def _absolute(pages: list) -> list:
    number, out = 0, []
    for delta, places, meta_places in pages:
        number += delta
        out.append([number, places, meta_places])
    return out


def _relative(pages: list) -> list:
    previous, out = 0, []
    for number, places, meta_places in pages:
        out.append([number - previous, places, meta_places])
        previous = number
    return out


def _add_token(token: list, current: list, size: int, flush) -> int:
    """Add one token's entries to the chunk being made, starting a new chunk first if needed."""
    token_size = sum(len(entry) for _, entry in token)
    if current and size + token_size > CHUNK_BYTES:
        flush(list(current))
        current.clear()
        size = 0
    current.extend(token)
    size += token_size
    if size >= CHUNK_BYTES:
        flush(list(current))
        current.clear()
        size = 0
    return size
