"""Preview speed: how long after saving an edited briefing `zhengxie serve` shows it.

    python bench/preview.py [N]        (a generated corpus of about N pages, default 1000)

Starts `zhengxie serve` on a copy of the corpus, edits the newest briefing and polls its
served page (and its year's index page) until the edit appears.  Prints figures;
asserts nothing.  Target: within 2 s on 1,000 pages, navigation and index pages correct.
"""
from __future__ import annotations

import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))

from make_corpus import make  # noqa: E402

POLL = 0.02  # seconds between requests


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, text: str, limit: float) -> float | None:
    """Seconds until the page at `url` contains `text` (None if not within `limit`)."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        if text in fetch(url):
            return time.perf_counter() - started
        time.sleep(POLL)
    return None


def main() -> None:
    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "project"
        make(root, pages)
        years = sorted(int(p.name) for p in (root / "content/briefings").iterdir() if p.name.isdigit())
        year = years[-1]
        newest = sorted((root / f"content/briefings/{year}").glob("*.md"))[-1]
        other = sorted((root / f"content/briefings/{years[0]}").glob("*.md"))[0]
        base = f"http://127.0.0.1:{free_port()}"
        url = f"{base}/briefings/{year}/{newest.stem}/"
        index_url = f"{base}/briefings/{year}/"
        log = open(Path(folder) / "serve.log", "w", encoding="utf-8")
        started = time.perf_counter()
        server = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--root", str(root), "--address", base.removeprefix("http://")],
            stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            first = wait_for(url, "</html>", 600)
            print(f"corpus: {pages} pages; first preview build served after {time.perf_counter() - started:.1f} s")
            if first is None:
                sys.exit("the preview did not come up; see the log")
            time.sleep(1.5)  # let the first background search index finish
            times = []
            for attempt in range(5):
                marker = f"预览测速标记{attempt}号"
                newest.write_text(newest.read_text(encoding="utf-8") + f"\n{marker}段落。\n", encoding="utf-8")
                seconds = wait_for(url, marker, 30)
                times.append(seconds if seconds is not None else float("inf"))
                time.sleep(0.5)
            print("edited body shown after (s):", ", ".join(f"{t:.2f}" for t in times),
                  f"median {statistics.median(times):.2f} s")
            text = newest.read_text(encoding="utf-8")
            heading = re.search(r"^## (.+)$", text, re.MULTILINE)
            newest.write_text(text.replace(heading.group(0), "## 改过的标题预览测速"), encoding="utf-8")
            page_seconds = wait_for(url, "改过的标题预览测速", 30)
            index_seconds = wait_for(index_url, "改过的标题预览测速", 30)
            print(f"edited heading: page after {page_seconds:.2f} s; year index page shows it"
                  f" {'yes' if index_seconds is not None else 'NO'}")
            shown = {name: fetch(f"{base}/{path}") for name, path in pages_to_compare(year, newest.stem, years[0], other.stem)}
        finally:
            server.terminate()
            server.wait(10)
            log.close()
            shutil.copy(Path(folder) / "serve.log", REPO / "bench" / "preview-serve.log")
        # The preview must show what a full build of the same content shows.
        full = Path(folder) / "full"
        subprocess.run([sys.executable, "-m", "generator", "build", "--no-pdf", "--drafts", "--root", str(root),
                        "--site-dir", str(full)], check=True, capture_output=True)
        for name, path in pages_to_compare(year, newest.stem, years[0], other.stem):
            built = (full / path / "index.html").read_text(encoding="utf-8")
            same = all(region(shown[name], r) == region(built, r) for r in REGIONS)
            print(f"{name}: navigation and article as in a full build: {'yes' if same else 'NO'}")


REGIONS = [("md-sidebar md-sidebar--primary", "md-sidebar md-sidebar--secondary"), ("<article", "</article>")]


def region(html: str, bounds: tuple[str, str]) -> str:
    start = html.find(bounds[0])
    return html[start : html.find(bounds[1], start)] if start >= 0 else ""


def pages_to_compare(year: int, stem: str, first_year: int, first_stem: str) -> list[tuple[str, str]]:
    return [
        ("edited issue", f"briefings/{year}/{stem}/"),
        ("its year's index", f"briefings/{year}/"),
        ("home page", ""),
        ("an untouched issue", f"briefings/{first_year}/{first_stem}/"),
    ]


if __name__ == "__main__":
    main()
