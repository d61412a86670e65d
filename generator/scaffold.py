"""`zhengxie new`: a valid, commented template in the right place, never overwriting."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.load import load_corpus
from generator.output import write_new_file
from generator.pages.common import render


def _numbers_on_disk(root: Path, year: int) -> set[int]:
    """Numbers taken by file names too, so a file that fails to load still counts."""
    folder = root / "content" / "briefings" / str(year)
    return {int(p.stem) for p in folder.glob("*.md") if p.stem.isdigit()} if folder.is_dir() else set()


def new_briefing(root: Path, date: dt.date) -> Path:
    """Create the next issue of `date`'s year; returns its path (FileExistsError if taken)."""
    corpus, _ = load_corpus(root)
    year = date.year
    taken = {b.number for b in corpus.briefings if b.year == year} | _numbers_on_disk(root, year)
    number = max(taken, default=0) + 1
    earlier = [b for b in corpus.briefings if (b.year, b.number) < (year, number)]
    previous = max(earlier, key=lambda b: (b.year, b.number), default=None)
    total = previous.total + 1 if previous is not None and previous.total is not None else None
    if total in {b.total for b in corpus.briefings}:
        total = None  # an issue added to a past year: the next total is taken, the editor decides
    site = corpus.site
    text = render(
        "new_briefing.md.j2",
        number=number,
        date=date.isoformat(),
        year=year,
        total=total,
        title=site.briefing.title if site else "政协工作简报",
        distribution=site.briefing.distribution if site else {},
        copies=site.briefing.copies if site else None,
    )
    path = root / "content" / "briefings" / str(year) / f"{number:02d}.md"
    write_new_file(path, text)
    return path
