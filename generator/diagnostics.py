"""Diagnostic values: every content problem is one of these, never an exception."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

ERROR = "error"
WARNING = "warning"

_LEVEL_WORD = {ERROR: "错误", WARNING: "警告"}


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str  # relative to the project root, POSIX separators
    line: int  # 1-based; 0 when the problem concerns the file as a whole
    level: str
    message: str

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {_LEVEL_WORD[self.level]}: {self.message}"


def error(path: str, line: int, message: str) -> Diagnostic:
    return Diagnostic(path, line, ERROR, message)


def warning(path: str, line: int, message: str) -> Diagnostic:
    return Diagnostic(path, line, WARNING, message)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.level == ERROR for d in diagnostics)


def sort(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(set(diagnostics), key=lambda d: (d.path, d.line, d.level, d.message))
