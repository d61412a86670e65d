"""Limits on the files of content/, whoever wrote them: no link leading out of content/,
no pipe or device where a source file belongs.  Each finding is an error at `path`.

Sizes, line lengths and titles are checked as files are read (`frontmatter.read_text`);
what a body publishes is not judged here but rendered and sanitized (`sanitize`,
`published`), so safety does not depend on how the source spells things.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from generator.content_files import inside, is_temporary
from generator.diagnostics import Diagnostic, error
from generator.load.common import relative

SOURCES = (".md", ".yml", ".yaml")


def check_content(root: Path) -> list[Diagnostic]:
    """Every entry of content/: symlinks out of it, and sources that are not regular files."""
    content = root / "content"
    base = os.path.realpath(content)
    found = []
    for folder, names, files in os.walk(content):
        names[:] = sorted(n for n in names if not is_temporary(n))
        for name in sorted(names) + sorted(files):
            file = Path(folder, name)
            path = relative(root, file)
            try:
                mode = file.lstat().st_mode
            except OSError:
                continue  # gone meanwhile (an editor saving): loading says what it found
            if stat.S_ISLNK(mode):
                real = os.path.realpath(file)
                if not inside(real, base):
                    found.append(error(path, 0, "这是指向 content/ 之外的链接（符号链接），出于安全考虑不能使用；请换成文件本身"))
            elif name in files and name.endswith(SOURCES) and not is_temporary(name) and not stat.S_ISREG(mode):
                found.append(error(path, 0, "这不是普通文件（是管道、设备或套接字），不能作为内容；请删去"))
    return found
