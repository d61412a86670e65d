"""Limits on the files of content/, whoever wrote them: no link leading out of content/,
no file larger or line longer than `site.yml`'s limits, no title that is a pasted
paragraph.  Each finding is an error at `path:line`.

What a body publishes is not judged here: it is rendered and sanitized (`sanitize`,
`published`), so safety does not depend on how the source spells things.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from generator.bodyscan import lines_outside_code
from generator.content_files import is_temporary
from generator.diagnostics import Diagnostic, error
from generator.load.common import relative


def check_content(root: Path, max_file_mb: float, max_line_chars: int) -> list[Diagnostic]:
    """Every file of content/: links out of it, then size and line limits of the sources."""
    content = root / "content"
    base = os.path.realpath(content)
    found = []
    for folder, names, files in os.walk(content):
        names[:] = sorted(n for n in names if not is_temporary(n))
        for name in sorted(names) + sorted(files):
            file = Path(folder, name)
            path = relative(root, file)
            if file.is_symlink():
                real = os.path.realpath(file)
                if real != base and not real.startswith(base + os.sep):
                    found.append(error(path, 0, "这是指向 content/ 之外的链接（符号链接），出于安全考虑不能使用；请换成文件本身"))
                continue
            if name in files and file.suffix in (".md", ".yml", ".yaml") and not is_temporary(name):
                found += _check_source(file, path, max_file_mb, max_line_chars)
    return found


# Findings by (file, mtime, size, limits): a preview that reloads after one edit reads only that file.
_checked: dict[tuple, list[Diagnostic]] = {}


def _check_source(file: Path, path: str, max_file_mb: float, max_line_chars: int) -> list[Diagnostic]:
    try:
        status = file.stat()
    except OSError:
        return []  # gone meanwhile: loading has said so
    key = (str(file), status.st_mtime_ns, status.st_size, max_file_mb, max_line_chars)
    if key not in _checked:
        _checked[key] = _check_file(file, path, status.st_size, max_file_mb, max_line_chars)
    return _checked[key]


def _check_file(file: Path, path: str, size: int, max_file_mb: float, max_line_chars: int) -> list[Diagnostic]:
    if size > max_file_mb * 1024 * 1024:
        return [error(path, 0, f"文件有 {size / 1024 / 1024:.1f} MB，超过上限 {max_file_mb:g} MB（site.yml 的 limits.max_file_mb）")]
    try:
        text = file.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return []
    long_line = next((n for n, line in enumerate(text.split("\n"), start=1) if len(line.rstrip("\r")) > max_line_chars), None)
    if long_line is not None:
        return [error(path, long_line, f"这一行超过 {max_line_chars} 个字符（site.yml 的 limits.max_line_chars），请分段")]
    return _long_titles(path, text)


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
