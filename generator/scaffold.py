"""`zhengxie new`: a valid, commented template in the right place, never overwriting.

Each content type offers its kinds (`ContentType.scaffolds`); the numbering they use is
shared with `zhengxie import`.
"""
from __future__ import annotations

from pathlib import Path

from generator import types
from generator.types.base import Scaffold, ScaffoldProblem

__all__ = ["ScaffoldProblem", "kinds", "new"]


def kinds() -> list[Scaffold]:
    return [scaffold for t in types.REGISTRY for scaffold in t.scaffolds]


def new(root: Path, kind: str, name: str | None, options) -> Path:
    """Create the file of `kind`; returns its path (FileExistsError if taken, ScaffoldProblem if `name` is wrong)."""
    scaffold = next(s for s in kinds() if s.kind == kind)
    return scaffold.create(root, name, options)
