"""Search figures: recall of the token index (generator/search/documents.py) against plain Pagefind,
and the bytes a phone fetches for its first query on a large generated corpus.

    python bench/search.py [N]        (N pages for the size test, default 10000)

Prints figures; asserts nothing.  Targets: <= 300 KB transferred for the first query and
results shown within 500 ms on the local server (10,000 pages); recall@10 >= 0.95.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(Path(__file__).parent))

from browser import CHROMIUM, CHROMIUM_ARGS, SiteServer  # noqa: E402
from make_corpus import make  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from pagefind_bin_extended import get_executable  # noqa: E402

ZHENGXIE = [sys.executable, "-m", "generator"]
QUERIES = yaml.safe_load((REPO / "tests" / "search_queries.yml").read_text(encoding="utf-8"))


def build(root: Path) -> float:
    started = time.perf_counter()
    subprocess.run([*ZHENGXIE, "build", "--no-pdf", "--root", str(root)], check=True, capture_output=True)
    return time.perf_counter() - started


def size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def plain_pagefind(site: Path, target: Path) -> None:
    """The same site indexed by plain Pagefind: each page's article, its own Chinese segmentation."""
    shutil.copytree(site, target)
    shutil.rmtree(target / "pagefind")
    for page in target.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace('<article class="md-content__inner', '<article data-pagefind-body class="md-content__inner', 1), encoding="utf-8")
    subprocess.run([str(get_executable()), "--site", str(target), "--exclude-selectors", ".headerlink, .zx-pdf", "--quiet"], check=True)


RAW = """async ([q, ours]) => {
  const results = ours
    ? await window.zhengxieSearch.find(q)
    : (await (await import('/pagefind/pagefind.js')).search(q)).results;
  const data = await Promise.all(results.slice(0, 10).map(r => r.data()));
  return data.map(d => new URL(d.url, location.href).pathname.replace(/^\\//, ''));
}"""


def recall(browser, site: Path, ours: bool) -> tuple[float, list]:
    with SiteServer(site) as server:
        page = browser.new_page()
        page.goto(server.url)
        expected = found = 0
        misses = []
        for query, wanted in QUERIES.items():
            results = page.evaluate(RAW, [query, ours])
            for url in wanted:
                expected += 1
                found += url in results
                if url not in results:
                    misses.append(f"{query} -> {url}")
        page.close()
    return found / expected, misses


def first_query(browser, site: Path, query: str, compress: bool) -> tuple[int, float, int]:
    """Bytes transferred after the page has loaded, for opening search and one query; ms to results."""
    with SiteServer(site, compress=compress) as server:
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        page = context.new_page()
        page.goto(server.url)
        page.wait_for_load_state("networkidle")
        fetched = []
        page.on("requestfinished", lambda r: fetched.append(r))
        started = time.perf_counter()
        page.keyboard.press("/")
        page.locator(".zx-search__input").fill(query)
        page.wait_for_function(
            "q => (document.querySelector('.zx-search__results').dataset.query || '').startsWith(q + '|')", arg=query
        )
        elapsed = (time.perf_counter() - started) * 1000
        page.wait_for_load_state("networkidle")
        total = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in fetched)
        count = len(fetched)
        context.close()
    return total, elapsed, count


def first_query_plain(browser, site: Path, query: str) -> int:
    """Bytes plain Pagefind fetches for the query as typed (its own segmentation)."""
    with SiteServer(site, compress=True) as server:
        page = browser.new_page()
        page.goto(server.url)
        page.wait_for_load_state("networkidle")
        fetched = []
        page.on("requestfinished", lambda r: fetched.append(r))
        page.evaluate(RAW, [query, False])
        page.wait_for_load_state("networkidle")
        total = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in fetched)
        page.close()
    return total


def main() -> None:
    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        folder = Path(folder)

        sample = folder / "sample"
        shutil.copytree(REPO / "content", sample / "content")
        shutil.copytree(REPO / "docs", sample / "docs")
        shutil.copy(REPO / "mkdocs.yml", sample / "mkdocs.yml")
        build(sample)
        plain_pagefind(sample / "site", folder / "plain")
        ours, ours_misses = recall(browser, sample / "site", ours=True)
        plain, plain_misses = recall(browser, folder / "plain", ours=False)
        ours_size, plain_size = size(sample / "site/pagefind"), size(folder / "plain/pagefind")
        print(f"sample, {len(QUERIES)} queries: recall@10 plain Pagefind {plain:.3f}, token index {ours:.3f}")
        print(f"  missed by plain Pagefind: {', '.join(plain_misses) or 'none'}")
        print(f"  missed by the token index: {', '.join(ours_misses) or 'none'}")
        print(f"  index size: plain {plain_size / 1024:.0f} KB, token index {ours_size / 1024:.0f} KB "
              f"(x{ours_size / plain_size:.2f})")

        corpus = folder / f"corpus-{pages}"
        make(corpus, pages)  # the same files as `python bench/make_corpus.py N`
        seconds = build(corpus)
        html_pages = len(list((corpus / "site").rglob("*.html")))
        index_bytes = size(corpus / "site/pagefind")
        print(f"{pages}-page corpus: {html_pages} HTML pages, zhengxie build --no-pdf {seconds:.1f} s, "
              f"search index {index_bytes / 1e6:.1f} MB in {len(list((corpus / 'site/pagefind').rglob('*')))} files")
        plain_pagefind(corpus / "site", folder / "plain-large")
        print(f"  plain Pagefind's index would be {size(folder / 'plain-large/pagefind') / 1e6:.1f} MB")
        for compress in (False, True):
            served = "gzip on (as nginx with `gzip on`)" if compress else "no compression"
            for query in ("送医送药", "提案办理", "口述历史"):
                total, elapsed, count = first_query(browser, corpus / "site", query, compress)
                print(f"  first query {query}, {served}: {total / 1024:.0f} KB in {count} responses, "
                      f"results shown after {elapsed:.0f} ms (targets: <= 300 KB, <= 500 ms)")
        for query in ("送医送药", "提案办理", "口述历史"):
            plain_bytes = first_query_plain(browser, folder / "plain-large", query)
            print(f"  for comparison, plain Pagefind on the same corpus, {query}, gzip on: "
                  f"{plain_bytes / 1024:.0f} KB (search engine and index only, no page)")
        browser.close()


if __name__ == "__main__":
    main()
