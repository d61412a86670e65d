"""What several commands share: the diagnostics' lines, a folder as the editor sees it, the usage exit code."""
from __future__ import annotations

import sys
from pathlib import Path

from generator import diagnostics
from generator.terminal import paint

USAGE_ERROR = 2


def print_diagnostics(found: list[diagnostics.Diagnostic]) -> None:
    """One `path:line: 错误: …` line per problem; on a terminal the level word is coloured."""
    for diagnostic in found:
        error = diagnostic.level == diagnostics.ERROR
        word = "错误" if error else "警告"
        line = diagnostic.format().replace(f": {word}: ", f": {paint(word, 'error' if error else 'warning', sys.stderr)}: ", 1)
        print(line, file=sys.stderr)


def show_dir(root: Path, path: Path) -> str:
    """A folder relative to the project (`site/`), or in full when it lies outside."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix() + "/"
    except ValueError:
        return str(path)
