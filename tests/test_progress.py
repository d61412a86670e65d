"""What a build and a check show: stage lines in a log, bars and colours on a terminal."""
from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys

from conftest import zhengxie

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def on_terminal(root, *args, env_extra=None) -> tuple[int, str]:
    """Run the CLI with stdout and stderr on a pseudo-terminal, as an editor's terminal does."""
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update({"PYTHONIOENCODING": "utf-8", "COLUMNS": "100", "TERM": "xterm", **(env_extra or {})})
    process = subprocess.Popen([sys.executable, "-m", "generator", *args, "--root", str(root)],
                               stdout=slave, stderr=slave, env=env, cwd=root)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return process.wait(60), b"".join(chunks).decode("utf-8", errors="replace")


def test_build_in_a_log_prints_one_plain_line_per_stage(project, tmp_path):
    stats = tmp_path / "stats.json"
    result = zhengxie(project, "build", "--stats-json", str(stats))
    assert result.code == 0, result.output
    assert not ANSI.search(result.output) and "\r" not in result.output
    lines = result.stderr.splitlines()
    assert re.fullmatch(r"检查：\d+ 个内容文件，\d+ 个自动生成的页面，[\d.]+ 秒", lines[0])
    assert re.fullmatch(r"网页：\d+ 页，[\d.]+ 秒", lines[1])
    assert re.fullmatch(r"搜索索引：\d+ 页，[\d.]+ MB，[\d.]+ 秒", lines[2])
    assert re.fullmatch(r"PDF：新排 \d+ 个，取自缓存 \d+ 个，[\d.]+ 秒", lines[3])
    files = len(list((project / "content").rglob("*.md")))
    assert lines[0].startswith(f"检查：{files} 个内容文件")
    pages = len(list((project / "site").rglob("index.html")))
    assert int(re.search(r"网页：(\d+) 页", lines[1])[1]) == pages
    figures = json.loads(stats.read_text(encoding="utf-8"))
    assert [s["name"] for s in figures["stages"]] == ["检查", "网页", "搜索索引", "PDF"]
    assert all(s["seconds"] >= 0 and s["peak_mb"] > 10 for s in figures["stages"])


def test_build_on_a_terminal_shows_bars_and_colours(project):
    code, output = on_terminal(project, "build")
    assert code == 0, output
    assert "\x1b[1;32m已生成网站" in output  # the closing line in green
    bars = [part for part in output.split("\r") if re.search(r"网页 .*\d+/\d+ 步", part)]
    assert bars, "no progress bar for the pages stage"
    assert re.search(r"PDF .*\d+/\d+ 个", output)


def test_check_on_a_terminal_colours_the_level_and_ends_with_counts(project):
    issue = project / "content/briefings/2019/01.md"
    issue.write_text(issue.read_text(encoding="utf-8").replace("number: 1", "number: 一"), encoding="utf-8")
    code, output = on_terminal(project, "check")
    assert code == 1
    assert "content/briefings/2019/01.md:2: \x1b[1;31m错误\x1b[0m: " in output
    assert re.search(r"\x1b\[1;31m检查未通过：1 个错误，\d+ 个警告。", output)
    code, plain = on_terminal(project, "check", env_extra={"NO_COLOR": "1"})
    assert code == 1 and not ANSI.search(plain) and "content/briefings/2019/01.md:2: 错误: " in plain
