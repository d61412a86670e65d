"""`zhengxie serve`: a live preview that shows drafts and rebuilds when content/ changes."""
from __future__ import annotations

import gzip
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def indexed_text(port: int, path: str) -> str | None:
    """The text the preview's search index holds for the page at `path` (Pagefind's files read
    as a browser reads them: the entry, the language's meta file, then each result fragment)."""
    import cbor2

    def load(name: str) -> bytes | None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/pagefind/{name}", timeout=5) as response:
                return gzip.decompress(response.read())[len(b"pagefind_dcd"):]
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return None

    entry = fetch(f"http://127.0.0.1:{port}/pagefind/pagefind-entry.json")
    if entry is None:
        return None
    for language in json.loads(entry)["languages"].values():
        meta = load(f"pagefind.{language['hash']}.pf_meta")
        for name, _ in cbor2.loads(meta)[1] if meta else []:
            fragment = load(f"fragment/{name}.pf_fragment")
            if fragment and json.loads(fragment)["url"] == path:
                return json.loads(fragment)["content"]
    return None


def wait_for(predicate, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    return None


def test_serve_shows_drafts_and_rebuilds_on_save(project):
    issue = project / "content/briefings/2019/03.md"
    issue.write_text(issue.read_text(encoding="utf-8").replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--root", str(project), "--address", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    url = f"http://127.0.0.1:{port}/briefings/2019/03/"
    try:
        first = wait_for(lambda: fetch(url))
        assert first is not None, "the preview did not start"
        assert 'id="article-1"' in first  # a draft is shown in the preview
        assert "预览中修改的标题" not in first
        before = wait_for(lambda: indexed_text(port, "/briefings/2019/03/"), 60)
        assert before and "送医送药" in before and "预览中修改的标题" not in before  # the first index, read back
        text = issue.read_text(encoding="utf-8")
        issue.write_text(text.replace("\n## ", "\n## 预览中修改的标题", 1), encoding="utf-8")
        assert wait_for(lambda: "预览中修改的标题" in (fetch(url) or "")), "saving did not rebuild the page"
        # The search index follows in the background, with the page's new text.
        assert wait_for(lambda: "预览中修改的标题" in (indexed_text(port, "/briefings/2019/03/") or ""), 60), "search is stale"
        # Only changed pages are rendered again, but every page that shows the edit is among them.
        year_index = f"http://127.0.0.1:{port}/briefings/2019/"
        assert wait_for(lambda: "预览中修改的标题" in (fetch(year_index) or "")), "the year's index page is stale"
        # A new issue changes the navigation: every page is rebuilt with it.
        new_issue = project / "content/briefings/2019/04.md"
        new_text = text.replace("number: 3", "number: 4").replace("total: 107\n", "")
        new_issue.write_text(new_text.replace("\n## ", "\n## 预览中新增的一期", 1), encoding="utf-8")
        assert wait_for(lambda: "预览中新增的一期" in (fetch(f"http://127.0.0.1:{port}/briefings/2019/04/") or ""))
        assert wait_for(lambda: "预览中新增的一期" in (fetch(year_index) or ""))
        assert wait_for(lambda: "briefings/2019/04/" in (fetch(f"http://127.0.0.1:{port}/sitemap.xml") or ""))
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=20)
    assert b"Traceback" not in stderr
    assert not (project / "site").exists()


def start_preview(project):
    """`zhengxie serve` on a free port: (the process, its port); its stderr is kept."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--root", str(project), "--address", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    return server, port


def status_of(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def test_serve_forgets_deleted_files_and_ignores_editors_temporary_files(project):
    """A deleted issue stops answering; lock, swap and temporary files beside content are no page and no error."""
    server, port = start_preview(project)
    base = f"http://127.0.0.1:{port}"
    folder = project / "content/briefings/2019"
    try:
        assert wait_for(lambda: status_of(f"{base}/briefings/2019/03/") == 200), "the preview did not start"
        (folder / "03.md").rename(folder / "03.md.tmp")  # an editor's program saving: the file goes away
        for name in ("~$03.md", ".03.md.swp", "03.md~", "04.tmp"):
            (folder / name).write_text("---\nnumber: 3\n---\n半截\x00文字", encoding="utf-8")
        assert wait_for(lambda: status_of(f"{base}/briefings/2019/03/") == 404), "a deleted issue still answers"
        assert wait_for(lambda: "第3期" not in (fetch(f"{base}/briefings/2019/") or "第3期"))
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    log = stderr.decode("utf-8")
    assert "Traceback" not in log
    assert not any(name in log for name in ("~$03.md", ".03.md.swp", "03.md~", "04.tmp")), log


def test_the_preview_reloads_itself_in_the_browser_under_its_policy(project):
    """MkDocs' live reload is an inline script: the preview's policy lets it run, and a saved edit shows."""
    from browser import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    server, port = start_preview(project)
    url = f"http://127.0.0.1:{port}/briefings/2019/03/"
    errors = []
    try:
        assert wait_for(lambda: fetch(url)), "the preview did not start"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(url)
            issue = project / "content/briefings/2019/03.md"
            issue.write_text(issue.read_text(encoding="utf-8").replace("\n## ", "\n## 浏览器中自动刷新", 1), encoding="utf-8")
            page.get_by_text("浏览器中自动刷新").first.wait_for(timeout=60_000)  # no reload asked for
            browser.close()
    finally:
        server.terminate()
        server.communicate(timeout=30)
    assert errors == []
