"""Pagefind's Python indexing API against the CLI over a tree of hard links, on a built project.

    python bench/pagefind_api.py ROOT cli|api       (ROOT built with `zhengxie build`)

Indexes the project's search documents (from the store, as `search.indexing` does: the same
runs), either with the Pagefind CLI over hard-link trees or with `pagefind.index.PagefindIndex`
(`add_html_file` for each document, then `write_files`), merges the runs with
`search.bundle.merge`, and prints wall time, the largest Pagefind process and a digest of
every word's pages and places as a browser reads them (equal digests: equal search results).
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cbor2  # noqa: E402

from generator import incremental  # noqa: E402
from generator.output import link_file  # noqa: E402
from generator.search import bundle, indexing  # noqa: E402
from generator.search.documents import LANGUAGE, STORE, stored  # noqa: E402


async def _api_run(store: Path, documents: dict[str, str], outputs: list[str], target: Path) -> None:
    from pagefind.index import PagefindIndex

    async with PagefindIndex(config={"force_language": LANGUAGE, "output_path": str(target)}) as index:
        for output in outputs:
            await index.add_html_file(content=stored(store, documents[output], ".html").read_text(encoding="utf-8"), source_path=output)


def digest(folder: Path) -> str:
    """Every word with its pages (as URLs) and places: what a query can find."""
    entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
    ((_, about),) = entry["languages"].items()
    meta = cbor2.loads(bundle.read(folder / f"pagefind.{about['hash']}.pf_meta"))
    urls = [json.loads(bundle.read(folder / "fragment" / f"{name}.pf_fragment"))["url"] for name, _ in meta[1]]
    words = {}
    for _, _, file in meta[2]:
        for word, pages, _ in cbor2.loads(bundle.read(folder / "index" / f"{file}.pf_index"))[0]:
            number, listed = 0, []
            for delta, places, _ in pages:
                number += delta
                listed.append((urls[number], places))
            words[word] = sorted(listed)
    return hashlib.sha256(repr(sorted(words.items())).encode()).hexdigest()[:16] + f" ({len(words)} words, {len(urls)} pages)"


def main() -> None:
    root, how = Path(sys.argv[1]).resolve(), sys.argv[2]
    documents = incremental.load_state(root, root / "site").search_docs
    store = root / STORE
    work = Path(tempfile.mkdtemp(prefix="pagefind-api-"))
    started = time.monotonic()
    runs = []
    for number, outputs in enumerate(indexing._runs(store, documents)):
        target = work / f"bundle-{number}"
        if how == "cli":
            tree = work / f"documents-{number}"
            for output in outputs:
                link_file(stored(store, documents[output], ".html"), tree / output)
            problem = indexing.run_pagefind(tree, target)
            assert problem is None, problem
            shutil.rmtree(tree)
        else:
            asyncio.run(_api_run(store, documents, outputs, target))
        runs.append(target)
    indexed = time.monotonic() - started
    bundle.merge(runs, work / "pagefind", lambda output: (documents[output], stored(store, documents[output], ".pf_fragment")))
    total = time.monotonic() - started
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{how}: {len(runs)} runs, Pagefind {indexed:.1f} s, with merge {total:.1f} s, largest Pagefind process {largest:.0f} MB")
    print(f"  index: {digest(work / 'pagefind')}")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
