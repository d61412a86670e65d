"""Hostile input: each case ends in one exact outcome, never a traceback, never a lost file.

Error cases: `zhengxie build` exits 1 with the exact `path:line: 错误: …` line, `content/`
is as the case left it and the previous `site/` is byte for byte intact.  Safe cases:
the build succeeds and the page or PDF shows the text literally.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_project, tree_digest, zhengxie

ISSUE = "content/briefings/2019/02.md"
PLAN = "content/plans/2019.md"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The sample project with a built site/, copied for each case."""
    root = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    assert zhengxie(root, "build").code == 0
    return root


@pytest.fixture
def project(built, tmp_path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(built, root, symlinks=True)
    return root


def _front(root: Path, relative: str, extra: str) -> None:
    """Add lines at the top of a file's front matter."""
    file = root / relative
    file.write_text(file.read_text(encoding="utf-8").replace("---\n", f"---\n{extra}", 1), encoding="utf-8")


def _append(root: Path, relative: str, text: str) -> None:
    file = root / relative
    file.write_text(file.read_text(encoding="utf-8") + text, encoding="utf-8")


def _body_line(root: Path, relative: str) -> int:
    """The line number the next appended line gets (after a blank line)."""
    return (root / relative).read_text(encoding="utf-8").count("\n") + 2


BOMB = "".join(
    f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9) if i else ', '.join(['哈'] * 9)}]\n" for i in range(9)
)


def _append_line(relative: str, text: str):
    def mutate(root):
        line = _body_line(root, relative)
        _append(root, relative, f"\n{text}\n")
        return line
    return mutate


def _front_line(relative: str, text: str):
    def mutate(root):
        _front(root, relative, text)
        return 2
    return mutate


def _symlink_file(root):
    (root / "content/briefings/2019/04.md").symlink_to("/etc/hostname")
    return 0


def _symlink_dir(root, tmp=None):
    outside = root.parent / "outside"
    outside.mkdir()
    (outside / "01.md").write_text("---\nnumber: 1\ndate: 2030-01-01\n---\n\n## 外面的文章\n\n正文。\n", encoding="utf-8")
    (root / "content/briefings/2030").symlink_to(outside)
    return 0


def _big_file(root):
    with open(root / ISSUE, "a", encoding="utf-8") as handle:
        paragraph = "大文件测试的一段文字。" * 100 + "\n\n"
        for _ in range(50 * 1024 * 1024 // len(paragraph.encode("utf-8")) + 1):
            handle.write(paragraph)
    return 0


def _not_utf8(root):
    file = root / ISSUE
    text = file.read_bytes().decode("utf-8")
    file.write_bytes(text.encode("gb18030"))
    return next(n for n, line in enumerate(text.split("\n"), 1) if not line.isascii())  # the first bad byte


def _unclosed_front_matter(root):
    file = root / ISSUE
    text = file.read_text(encoding="utf-8")
    head, rest = text.split("\n---\n", 1)
    file.write_text(head + "\n" + rest, encoding="utf-8")
    return 1


def _empty_file(root):
    (root / ISSUE).write_text("", encoding="utf-8")
    return 1


def _duplicate_consultation_id(root):
    file = root / PLAN
    text = file.read_text(encoding="utf-8")
    ids = re.findall(r"^\s*- id: (\S+)", text, re.MULTILINE)
    line = next(n for n, l in enumerate(text.split("\n"), 1) if re.match(rf"^\s*- id: {re.escape(ids[1])}\s*$", l))
    file.write_text(text.replace(f"- id: {ids[1]}\n", f"- id: {ids[0]}\n", 1), encoding="utf-8")
    return line


def _duplicate_issue(root):
    shutil.copy(root / ISSUE, root / "content/briefings/2019/05.md")
    return 1


def _empty_content(root):
    shutil.rmtree(root / "content")
    (root / "content").mkdir()
    return 0




def _site_yml_tag(root):
    site = root / "content/site.yml"
    site.write_text("x: !!python/name:os.system\n" + site.read_text(encoding="utf-8"), encoding="utf-8")
    return 1


def _script_in_title(root):
    file = root / "content/rules/kaoping.md"
    text = file.read_text(encoding="utf-8")
    line = next(n for n, l in enumerate(text.split("\n"), 1) if l.startswith("title:"))
    file.write_text(re.sub(r"^title: .*$", "title: 考评办法<script>alert(1)</script>", text, count=1, flags=re.MULTILINE), encoding="utf-8")
    return line


def _replace_heading(root, heading):
    file = root / ISSUE
    text = file.read_text(encoding="utf-8")
    line = next(n for n, l in enumerate(text.split("\n"), 1) if l.startswith("## "))
    file.write_text(re.sub(r"^## .*$", f"## {heading}", text, count=1, flags=re.MULTILINE), encoding="utf-8")
    return line


ERRORS = {
    "YAML alias bomb (billion laughs)": (_front_line(ISSUE, BOMB), ISSUE, "YAML 格式错误：不能使用 YAML 的锚点和别名"),
    # libyaml stops at 1,000 levels: the line where the 1,001st opens
    "YAML nested 1,500 deep": (
        lambda root: (_front(root, ISSUE, "x:\n" + "".join(" " * i + "-\n" for i in range(1, 1500))), 1001)[1],
        ISSUE, "YAML 格式错误：嵌套层次过深",
    ),
    "YAML tag constructing an object": (
        _front_line(ISSUE, 'x: !!python/object/apply:os.system ["touch /tmp/zhengxie-pwned"]\n'),
        ISSUE, "YAML 格式错误：不能使用 YAML 标签",
    ),
    "YAML tag in site.yml": (_site_yml_tag, "content/site.yml", "YAML 格式错误：不能使用 YAML 标签"),
    "a 50 MB Markdown file": (_big_file, ISSUE, "文件有 5"),
    "a 10,000-character line": (_append_line(ISSUE, "长" * 10000), ISSUE, "这一行超过 5000 个字符"),
    "not UTF-8": (_not_utf8, ISSUE, "文件不是 UTF-8 编码"),
    "image ../../etc/passwd": (_append_line(ISSUE, "![图](../../../../etc/passwd)"), ISSUE, "图片“../../../../etc/passwd”在 content/ 之外"),
    "image by absolute path": (_append_line(ISSUE, "![图](/etc/passwd)"), ISSUE, "图片“/etc/passwd”是绝对路径"),
    "image file:// URL": (_append_line(ISSUE, "![图](file:///etc/passwd)"), ISSUE, "图片“file:///etc/passwd”不是文件路径"),
    "image http:// URL": (_append_line(ISSUE, "![图](http://example.org/a.png)"), ISSUE, "图片“http://example.org/a.png”在别的网站上"),
    "image https:// in HTML": (_append_line(ISSUE, '<img src="https://example.org/a.png">'), ISSUE, "图片“https://example.org/a.png”在别的网站上"),
    "image protocol-relative": (_append_line(ISSUE, "![图](//example.org/a.png)"), ISSUE, "图片“//example.org/a.png”在别的网站上"),
    "symlink to a file outside": (_symlink_file, "content/briefings/2019/04.md", "指向 content/ 之外的链接"),
    "symlink to a folder outside": (_symlink_dir, "content/briefings/2030", "指向 content/ 之外的链接"),
    "<script>": (_append_line(ISSUE, "<script>alert(1)</script>"), ISSUE, "不能使用 <script> 标记"),
    "<SCRIPT> in capitals": (_append_line(ISSUE, "<SCRIPT SRC=x></SCRIPT>"), ISSUE, "不能使用 <script> 标记"),
    "<iframe>": (_append_line(ISSUE, '<iframe src="https://example.org"></iframe>'), ISSUE, "不能使用 <iframe> 标记"),
    "<object>": (_append_line(ISSUE, '<object data="x.swf"></object>'), ISSUE, "不能使用 <object> 标记"),
    "<embed>": (_append_line(ISSUE, '<embed src="x.swf">'), ISSUE, "不能使用 <embed> 标记"),
    "<style>": (_append_line(ISSUE, "<style>body{display:none}</style>"), ISSUE, "不能使用 <style> 标记"),
    "onclick attribute": (_append_line(ISSUE, '<span onclick="alert(1)">点我</span>'), ISSUE, "不能有 onclick 这类事件属性"),
    "onerror on an image": (_append_line(ISSUE, '<img src="x.png" onerror="alert(1)">'), ISSUE, "不能有 onerror 这类事件属性"),
    "javascript: Markdown link": (_append_line(ISSUE, "[点我](javascript:alert(1))"), ISSUE, "链接不能以 javascript: 开头"),
    "JaVaScRiPt: in href": (_append_line(ISSUE, '<a href="JaVaScRiPt:alert(1)">点我</a>'), ISSUE, "链接不能以 javascript: 开头"),
    "data: HTML link": (_append_line(ISSUE, "[点我](data:text/html,<b>x</b>)"), ISSUE, "链接不能以 data: 开头"),
    "<script> in a title": (_script_in_title, "content/rules/kaoping.md", "中有 HTML 标记“<script>”"),
    "a title of 500 characters": (lambda root: _replace_heading(root, "长" * 500), ISSUE, "标题有 500 个字"),
    "front matter without closing ---": (_unclosed_front_matter, ISSUE, "front matter 缺少结束的 --- 行"),
    "empty file": (_empty_file, ISSUE, "文件为空"),
    "duplicate consultation ids": (_duplicate_consultation_id, PLAN, "”重复（第 5 行已有）"),
    "duplicate issue numbers": (_duplicate_issue, "content/briefings/2019/05.md", "2019年第2期重复：content/briefings/2019/02.md 也是第2期"),
    "empty content/": (_empty_content, "content/site.yml", "缺少站点设置文件"),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_hostile_input_is_an_error_and_loses_nothing(project, case):
    mutate, path, message = ERRORS[case]
    site_before = tree_digest(project / "site")
    line = mutate(project)
    content_before = tree_digest(project / "content") if (project / "content").is_dir() else {}
    result = zhengxie(project, "build")
    assert result.code == 1, result.output
    assert "Traceback" not in result.output
    where = f"{path}:{line}: " if line else f"{path}: "
    lines = [l for l in result.stderr.splitlines() if l.startswith(where + "错误: ")]
    assert any(message in l for l in lines), f"expected {where}错误: …{message}… in:\n{result.stderr[:3000]}"
    assert tree_digest(project / "site") == site_before
    if content_before:
        assert tree_digest(project / "content") == content_before
    assert not Path("/tmp/zhengxie-pwned").exists()


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_bom_and_crlf_simply_work(project):
    file = project / ISSUE
    text = file.read_text(encoding="utf-8") + "\n字节顺序标记和回车换行都能正常读取。\n"
    file.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    result = zhengxie(project, "build")
    assert result.code == 0, result.output
    assert "字节顺序标记和回车换行都能正常读取" in (project / "site/briefings/2019/02/index.html").read_text(encoding="utf-8")
    assert file.read_bytes().startswith(b"\xef\xbb\xbf"), "content/ is never rewritten by a build"


def test_typst_and_markdown_significant_text_prints_literally(project):
    literal = '#read("/etc/passwd") $x^2$ @ref \\\\ #set page(width: 1cm) <label> *星号* _下划线_ [方括号]'
    _append(project, ISSUE, "\n原样印出：" + literal.replace("*", "\\*").replace("_", "\\_").replace("[", "\\[").replace("<", "&lt;") + "\n")
    result = zhengxie(project, "build")
    assert result.code == 0, result.output
    text = re.sub(r"\s+", " ", _pdf_text(project / "site/pdf/briefings/2019/02.pdf"))
    for piece in ['#read("/etc/passwd")', "$x^2$", "@ref", "#set page(width: 1cm)", "<label>", "*星号*", "_下划线_", "[方括号]"]:
        assert piece in text, piece
    assert "root:x:0" not in text


def test_remote_links_are_fine(project):
    _append(project, ISSUE, "\n详见[全国政协网站](https://www.cppcc.gov.cn/)。\n")
    result = zhengxie(project, "build")
    assert result.code == 0, result.output
    assert 'href="https://www.cppcc.gov.cn/"' in (project / "site/briefings/2019/02/index.html").read_text(encoding="utf-8")


def test_code_may_show_html_as_text(project):
    _append(project, ISSUE, "\n网页中的脚本写作 `<script>`，链接可以写成 `javascript:` 开头，这些只是文字。\n")
    result = zhengxie(project, "build")
    assert result.code == 0, result.output
    page = (project / "site/briefings/2019/02/index.html").read_text(encoding="utf-8")
    assert "<code>&lt;script&gt;</code>" in page and "<script>alert" not in page


def test_limits_come_from_site_yml(project):
    site = project / "content/site.yml"
    site.write_text(site.read_text(encoding="utf-8") + "limits:\n  max_line_chars: 20000\n", encoding="utf-8")
    _append(project, ISSUE, "\n" + "长" * 10000 + "\n")
    assert zhengxie(project, "build").code == 0
    site.write_text(site.read_text(encoding="utf-8").replace("max_line_chars: 20000", "max_line_chars: 很多"), encoding="utf-8")
    result = zhengxie(project, "build")
    assert result.code == 1 and re.search(r"content/site.yml:\d+: 错误: .*max_line_chars", result.stderr)


def test_a_build_needs_no_network(project):
    # every proxy points at a closed port: anything fetched over HTTP would fail the build
    _append(project, ISSUE, "\n详见[网站](https://example.org/)。\n")
    env = {**os.environ, "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9", "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-m", "generator", "build", "--root", str(project)], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
