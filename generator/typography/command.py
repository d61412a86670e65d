"""`zhengxie fmt`: check or fix the typography of content files."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from generator.content_files import MAX_SOURCE_BYTES, FileProblem, is_temporary, read_inside, replace_inside
from generator.diagnostics import Diagnostic, error, warning
from generator.frontmatter import BOM, decode_utf8
from generator.terminal import paint
from generator.typography import fix_source
from generator.typography.report import Finding, findings

SUFFIXES = (".md", ".yml", ".yaml")


@dataclass
class FileResult:
    path: str  # relative to the project root
    file: Path
    fixed: str  # same line endings and BOM as the original
    findings: list[Finding]


def content_files(root: Path, targets: list[Path]) -> tuple[list[Path], list[str]]:
    """Files to look at (default: all of content/) and why some targets are not looked at.

    Only regular files inside content/: a symlink is never followed, read or replaced.
    """
    content = Path(os.path.abspath(root / "content"))
    files: list[Path] = []
    refused: list[str] = []
    for target in targets or [content]:
        target = Path(os.path.abspath(target if target.is_absolute() else Path.cwd() / target))
        if not target.is_relative_to(content):
            refused.append(f"{target} 不在 content/ 中：zhengxie fmt 只处理 content/ 中的文件")
        elif target.is_symlink():
            refused.append(f"{_relative(root, target)} 是符号链接：zhengxie fmt 不处理符号链接，请换成文件本身")
        elif target.is_dir():
            for folder, names, found in os.walk(target):
                names[:] = sorted(n for n in names if not is_temporary(n) and not os.path.islink(os.path.join(folder, n)))
                files += [
                    Path(folder, name) for name in sorted(found)
                    if name.endswith(SUFFIXES) and not is_temporary(name) and Path(folder, name).is_file()
                    and not Path(folder, name).is_symlink()
                ]
        elif target.is_file():
            files.append(target)
        else:
            refused.append(f"找不到 {target}")
    return files, refused


def _relative(root: Path, file: Path) -> str:
    try:
        return Path(os.path.abspath(file)).relative_to(root).as_posix()
    except ValueError:
        return str(file)


def examine(root: Path, file: Path, spacing: str) -> tuple[FileResult | None, Diagnostic | None]:
    path = _relative(root, file)
    try:
        data = read_inside(root / "content", path.removeprefix("content/"), MAX_SOURCE_BYTES)
    except FileProblem as problem:
        return None, error(path, 0, f"这个文件{problem}，未处理")
    bom = data.startswith(BOM)
    original, problems = decode_utf8(data, path)
    if original is None:
        return None, problems[0]
    crlf = "\r\n" in original
    text = original.replace("\r\n", "\n")
    fixed = fix_source(text, file.suffix, spacing)
    found = findings(text, fixed)
    if crlf:
        fixed = fixed.replace("\n", "\r\n")
    return FileResult(path, file, ("\ufeff" if bom else "") + fixed, found), None


def check_warnings(root: Path, spacing: str) -> list[Diagnostic]:
    """One warning per content file whose typography `fmt --fix` would change."""
    result = []
    files, _ = content_files(root, [])
    for file in files:
        examined, _problem = examine(root, file, spacing)  # encoding errors are reported by the loader
        if examined and examined.findings:
            first = examined.findings[0]
            result.append(warning(
                examined.path, first.line,
                f"排版：{len(examined.findings)} 处标点或空格不合规范，首处在第 {first.column} 列：{first.message}"
                "（运行 zhengxie fmt --fix 可自动修正）",
            ))
    return result


def run(root: Path, targets: list[Path], fix: bool, spacing: str) -> int:
    files, refused = content_files(root, targets)
    for reason in refused:
        print(f"zhengxie: {reason}", file=sys.stderr)
    if refused:
        return 1
    changed_files = 0
    total = 0
    unreadable = 0
    for file in files:
        examined, problem = examine(root, file, spacing)
        if problem:
            print(problem.format(), file=sys.stderr)
            unreadable += 1
            continue
        if not examined.findings:
            continue
        changed_files += 1
        total += len(examined.findings)
        if fix:
            try:
                replace_inside(root / "content", examined.path.removeprefix("content/"), examined.fixed.encode("utf-8"))
            except FileProblem as problem:
                print(f"{examined.path}: 错误: 这个文件{problem}", file=sys.stderr)
                unreadable += 1
                continue
            print(f"已修正 {examined.path}：{len(examined.findings)} 处")
        else:
            for finding in examined.findings:
                print(f"{examined.path}:{finding.line}:{finding.column}: {paint('排版', 'warning', sys.stdout)}: {finding.message}")
    if unreadable:
        print(f"有 {unreadable} 个文件无法读取，未处理（见上）。", file=sys.stderr)
    if fix:
        print(f"共修正 {changed_files} 个文件中的 {total} 处排版问题；检查了 {len(files)} 个文件。" if total
              else f"检查了 {len(files) - unreadable} 个文件，排版都合规范，未作修改。")
        return 1 if unreadable else 0
    if total:
        print(paint(f"共 {total} 处排版问题，涉及 {changed_files} 个文件；", "error", sys.stderr)
              + "运行 zhengxie fmt --fix 可自动修正。", file=sys.stderr)
        return 1
    print(paint(f"检查了 {len(files) - unreadable} 个文件，排版都合规范。", "ok", sys.stdout))
    return 1 if unreadable else 0
