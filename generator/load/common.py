"""Helpers shared by the collection loaders."""
from __future__ import annotations

import re
from pathlib import Path

from generator.bodyscan import MAX_NESTING, too_deep
from generator.content_files import is_temporary
from generator.diagnostics import Diagnostic, error
from generator.fields import FieldProblem, digits, text_list, unknown_key_message
from generator.frontmatter import SourceText, YamlMap
from generator.model import DISTRIBUTION_LINES, FileRef
from generator.published import inspect


SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # file names in English: kaoping, gangtie-1


def relative(root: Path, file: Path) -> str:
    return file.relative_to(root).as_posix()


def entries(folder: Path) -> list[Path]:
    """A folder's entries in name order, leaving out hidden files and the lock, swap and
    temporary files editors' programs keep beside documents."""
    return sorted(p for p in folder.iterdir() if not is_temporary(p.name))


def markdown_files(folder: Path) -> list[Path]:
    return [p for p in entries(folder) if p.suffix == ".md" and p.is_file()]


def distribution(value) -> dict[str, tuple[str, ...]]:
    """报/送/发 lines: a mapping of line name -> list of recipients."""
    if not isinstance(value, dict):
        raise FieldProblem("应为映射，如 {报: [...], 送: [...], 发: [...]}")
    result = {}
    for key, names in value.items():
        if key not in DISTRIBUTION_LINES:
            line = value.line_of(key) if isinstance(value, YamlMap) else 0
            raise FieldProblem(unknown_key_message(key, list(DISTRIBUTION_LINES)), line)
        try:
            result[key] = text_list(names)
        except FieldProblem as problem:
            line = problem.line or (value.line_of(key) if isinstance(value, YamlMap) else 0)
            raise FieldProblem(f"的“{key}”{problem.message}", line) from None
    return result


def number_in_name(stem: str, what: str, path: str) -> tuple[int | None, list[Diagnostic]]:
    """A file or folder named by its number, zero-padded to two digits (01, 12, 101)."""
    if digits(stem) and stem == f"{int(stem):02d}" and int(stem) > 0:
        return int(stem), []
    example = f"{int(stem):02d}" if digits(stem) and int(stem) > 0 else "01"
    return None, [error(path, 0, f"{what}应以编号命名，不足两位时前面补 0（如 {example}），而不是“{stem}”")]


def check_name_matches(
    meta: YamlMap, key: str, value: int | None, expected: int | None, path: str, what: str
) -> list[Diagnostic]:
    if value is None or expected is None or value == expected:
        return []
    return [error(path, meta.line_of(key), f"{what}与“{key}: {value}”不一致（应为 {expected}）")]




def body_files(source: SourceText, problems: list[Diagnostic]) -> tuple[FileRef, ...]:
    """The files a body uses, read from its parse; what the sanitizer would remove joins `problems`."""
    deep = too_deep(source.body, source.body_line)
    if deep is not None:
        problems.append(error(source.path, deep, f"列表或引用一层套一层超过 {MAX_NESTING} 层，网页和 PDF 都无法排版；请减少层次"))
        return ()
    found = inspect(source.path, source.body, source.body_line)
    problems.extend(found.problems)
    return found.files


def year_files(root: Path, folder: Path, what: str):
    """(file, its year or None, problems) for each file of a type named by its year (2019.md)."""
    for file in markdown_files(folder):
        if not (digits(file.stem) and len(file.stem) == 4):
            yield file, None, [error(relative(root, file), 0, f"{what}文件名应为四位年份（如 2019.md），而不是“{file.name}”")]
        else:
            yield file, int(file.stem), []
