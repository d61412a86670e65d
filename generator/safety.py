"""What a public site must not take from its sources, whoever wrote them.

Bodies may not carry active HTML (scripts, frames, event handlers, `javascript:` links)
or point at images outside the project (absolute paths, `file:` and remote URLs: the
build never fetches anything); files in `content/` may not be links to elsewhere, nor
larger or longer-lined than `site.yml`'s limits.  Each finding is an error at
`path:line`.  Remote links (`[文字](https://…)`) are fine.
"""
from __future__ import annotations

import re
from pathlib import Path

from generator.bodyscan import OMITTED_IMAGE, image_targets, lines_outside_code, without_code_spans
from generator.diagnostics import Diagnostic, error
from generator.load.common import relative

_ELEMENT = re.compile(r"<\s*(script|iframe|frame|frameset|object|embed|applet|form|base|meta|link|style)\b", re.IGNORECASE)
_HANDLER = re.compile(r"<[a-z][^>]*\s(on[a-z]+)\s*=", re.IGNORECASE)
_BAD_SCHEME = re.compile(r"^\s*(javascript|vbscript|data):", re.IGNORECASE)
_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)")
_ATTRIBUTE_URL = re.compile(r"\b(?:href|src|action|formaction|xlink:href)\s*=\s*[\"']?([^\"'\s>]*)", re.IGNORECASE)


# What every finding of `check_body` needs in its line: a tag, a Markdown link or image, an attribute.
_MARKERS = ("<", "](", "=")


def check_body(path: str, body: str, first_line: int) -> list[Diagnostic]:
    """Active HTML, script links and images from outside the project in a text (code left out)."""
    found = []
    if not any(marker in body for marker in _MARKERS):
        return found  # plain prose, the usual case: nothing to look at line by line
    for number, line in lines_outside_code(body, first_line):
        if not any(marker in line for marker in _MARKERS):
            continue
        visible = without_code_spans(line)
        element = _ELEMENT.search(visible)
        if element:
            found.append(error(path, number, f"出于安全考虑，正文中不能使用 <{element[1].lower()}> 标记（网站是公开的）；请删去"))
        handler = _HANDLER.search(visible)
        if handler:
            found.append(error(path, number, f"出于安全考虑，HTML 标记中不能有 {handler[1].lower()} 这类事件属性；请删去"))
        for target in [*_LINK_TARGET.findall(visible), *_ATTRIBUTE_URL.findall(visible)]:
            scheme = _BAD_SCHEME.match(target)
            if scheme and not (scheme[1].lower() == "data" and target.lower().startswith("data:image/")):
                found.append(error(path, number, f"出于安全考虑，链接不能以 {scheme[1].lower()}: 开头；请删去这个链接"))
        for target in image_targets(visible):
            problem = _image_problem(target)
            if problem:
                found.append(error(path, number, f"图片“{target}”{problem}"))
    return found


def _image_problem(target: str) -> str | None:
    if target == OMITTED_IMAGE:
        return None
    if re.match(r"^(https?|ftp):", target, re.IGNORECASE) or target.startswith("//"):
        return "在别的网站上：生成时不下载任何东西，请把图片文件放到本文件旁边，写相对路径"
    if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):
        return "不是文件路径：请把图片文件放到本文件旁边，写相对路径"
    if target.startswith("/") or target.startswith("\\") or re.match(r"^[a-z]:[\\/]", target, re.IGNORECASE):
        return "是绝对路径：请把图片文件放到本文件旁边，写相对路径"
    return None


def check_content(root: Path, max_file_mb: float, max_line_chars: int) -> list[Diagnostic]:
    """Every file of content/: links out of it, size and line limits, then `check_body` on its text."""
    content = (root / "content").resolve()
    found = []
    for file in sorted((root / "content").rglob("*")):
        path = relative(root, file)
        if file.is_symlink():
            if not file.resolve().is_relative_to(content):
                found.append(error(path, 0, "这是指向 content/ 之外的链接（符号链接），出于安全考虑不能使用；请换成文件本身"))
            continue
        if not file.is_file() or file.suffix not in (".md", ".yml", ".yaml"):
            continue
        status = file.stat()
        key = (str(file), status.st_mtime_ns, status.st_size, max_file_mb, max_line_chars)
        if key not in _checked:
            _checked[key] = _check_file(file, path, status.st_size, max_file_mb, max_line_chars)
        found += _checked[key]
    return found


# Findings by (file, mtime, size, limits): a preview that reloads after one edit reads only that file.
_checked: dict[tuple, list[Diagnostic]] = {}


def _check_file(file: Path, path: str, size: int, max_file_mb: float, max_line_chars: int) -> list[Diagnostic]:
    if size > max_file_mb * 1024 * 1024:
        return [error(path, 0, f"文件有 {size / 1024 / 1024:.1f} MB，超过上限 {max_file_mb:g} MB（site.yml 的 limits.max_file_mb）")]
    text = file.read_bytes().decode("utf-8", errors="replace")
    long_line = next((n for n, line in enumerate(text.split("\n"), start=1) if len(line.rstrip("\r")) > max_line_chars), None)
    if long_line is not None:
        return [error(path, long_line, f"这一行超过 {max_line_chars} 个字符（site.yml 的 limits.max_line_chars），请分段")]
    return check_body(path, text, 1) + _long_titles(path, text)


MAX_TITLE = 100  # characters: longer is a paragraph pasted where a title belongs
_TITLE_LINE = re.compile(r"^(?:title:\s*|#{1,6}\s+)(.+?)\s*$")


_LONG_TITLE_LINE = re.compile(r"^(?:title:\s*|#{1,6}\s+).{%d}" % (MAX_TITLE + 1), re.MULTILINE)


def _long_titles(path: str, text: str) -> list[Diagnostic]:
    found = []
    if not _LONG_TITLE_LINE.search(text):
        return found  # no title line that long anywhere, code included
    for number, line in lines_outside_code(text, 1):
        match = _TITLE_LINE.match(line)
        if match and len(match[1].strip("\"'")) > MAX_TITLE:
            found.append(error(path, number, f"标题有 {len(match[1])} 个字，超过 {MAX_TITLE} 个字；这里可能误贴了正文，请缩短"))
    return found
