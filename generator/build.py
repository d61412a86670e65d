"""Orchestration: check, pages, MkDocs into a staging directory, then swap into site/."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from generator import diagnostics
from generator.output import discard, staging_dir, swap_in
from generator.project import check_project, site_content


def print_diagnostics(found: list[diagnostics.Diagnostic]) -> None:
    for diagnostic in found:
        print(diagnostic.format(), file=sys.stderr)


def check(root: Path) -> int:
    _, found = check_project(root)
    print_diagnostics(found)
    errors = sum(d.level == diagnostics.ERROR for d in found)
    warnings = len(found) - errors
    if errors:
        print(f"检查未通过：{errors} 个错误，{warnings} 个警告。", file=sys.stderr)
        return 1
    print(f"检查通过{f'（{warnings} 个警告）' if warnings else ''}。")
    return 0


def build(root: Path, site_dir: Path, drafts: bool = False) -> int:
    started = time.monotonic()
    corpus, found = check_project(root)
    print_diagnostics(found)
    if diagnostics.has_errors(found):
        errors = sum(d.level == diagnostics.ERROR for d in found)
        print(f"发现 {errors} 个错误，未生成网站（{_show(root, site_dir)} 保持不变）。", file=sys.stderr)
        return 1
    content = site_content(root, corpus, drafts)

    from generator.mkdocs_plugin import build_site  # the adapter is loaded only when building

    staged = staging_dir(site_dir)
    try:
        problem = build_site(root, staged, content)
        if problem:
            print(f"生成网站失败：{problem}", file=sys.stderr)
            print(f"{_show(root, site_dir)} 保持不变。", file=sys.stderr)
            return 1
        swap_in(staged, site_dir)
    finally:
        discard(staged)
    seconds = time.monotonic() - started
    print(f"已生成网站 {_show(root, site_dir)}：{len(content.pages)} 个自动生成的页面，用时 {seconds:.1f} 秒。")
    return 0


def _show(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix() + "/"
    except ValueError:
        return str(path)
