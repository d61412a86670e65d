"""`zhengxie serve`: a live preview that shows drafts and rebuilds when content/ changes."""
from __future__ import annotations

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
        text = issue.read_text(encoding="utf-8")
        issue.write_text(text.replace("\n## ", "\n## 预览中修改的标题", 1), encoding="utf-8")
        assert wait_for(lambda: "预览中修改的标题" in (fetch(url) or "")), "saving did not rebuild the page"
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
