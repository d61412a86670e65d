"""`zhengxie stats`: the corpus at a glance (drafts included, marked)."""
from __future__ import annotations

from pathlib import Path

from generator.commands.common import print_diagnostics
from generator.project import check_project


def stats(root: Path) -> int:
    from generator.overview import describe

    corpus, found = check_project(root)
    if corpus.site is None:
        print_diagnostics(found)
        return 1
    print(describe(corpus))
    return 0
