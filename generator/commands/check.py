"""`zhengxie check`: every problem in content/, as lines or as JSON."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from generator import diagnostics
from generator.commands.common import print_diagnostics
from generator.project import check_project
from generator.terminal import paint


def check(root: Path, as_json: bool = False) -> int:
    corpus, found = check_project(root)
    if corpus.site is not None:
        from generator.typography.command import check_warnings

        found = diagnostics.sort(found + check_warnings(root, corpus.site.spacing))
    if as_json:
        rows = [{"path": d.path, "line": d.line, "level": d.level, "message": d.message} for d in found]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 1 if diagnostics.has_errors(found) else 0
    print_diagnostics(found)
    errors = sum(d.level == diagnostics.ERROR for d in found)
    warnings = len(found) - errors
    if errors:
        print(paint(f"检查未通过：{errors} 个错误，{warnings} 个警告。", "error", sys.stderr), file=sys.stderr)
        return 1
    print(paint(f"检查通过{f'（{warnings} 个警告）' if warnings else ''}。", "ok", sys.stdout))
    return 0
