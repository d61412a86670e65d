"""`zhengxie new`: a valid, commented template in the right place, never overwriting.

The numbering (`next_briefing`, `next_wenshi_article`) is shared with `zhengxie import`.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from generator.fields import digits
from generator.load import load_corpus
from generator.output import write_new_file
from generator.pages.common import render


def _numbers_on_disk(root: Path, year: int) -> set[int]:
    """Numbers taken by file names too, so a file that fails to load still counts."""
    folder = root / "content" / "briefings" / str(year)
    return {int(p.stem) for p in folder.glob("*.md") if digits(p.stem)} if folder.is_dir() else set()


def next_briefing(root: Path, date: dt.date) -> tuple[Path, dict]:
    """Where the next issue of `date`'s year goes, and the `new_briefing.md.j2` context for it."""
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
    context = dict(
        number=number,
        date=date.isoformat(),
        year=year,
        total=total,
        title=site.briefing.title if site else "政协工作简报",
        office=site.office if site else "",  # not in the template: `zhengxie import` knows the masthead by it
        distribution=site.briefing.distribution if site else {},
        copies=site.briefing.copies if site else None,
    )
    return root / "content" / "briefings" / str(year) / f"{number:02d}.md", context


def new_briefing(root: Path, date: dt.date) -> Path:
    """Create the next issue of `date`'s year; returns its path (FileExistsError if taken)."""
    path, context = next_briefing(root, date)
    write_new_file(path, render("new_briefing.md.j2", **context))
    return path


class ScaffoldProblem(Exception):
    """A reason `zhengxie new` cannot create the file (Chinese message)."""


_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _create(root: Path, relative: str, template: str, **context) -> Path:
    path = root / "content" / relative
    write_new_file(path, render(template, **context))
    return path


def new_volume(root: Path) -> Path:
    corpus, _ = load_corpus(root)
    folders = {int(p.name) for p in (root / "content/wenshi").glob("*") if p.is_dir() and digits(p.name)}
    number = max({v.number for v in corpus.volumes} | folders, default=0) + 1
    series = corpus.volumes[-1].series if corpus.volumes else "文史资料"
    return _create(root, f"wenshi/{number:02d}/volume.yml", "new_volume.yml.j2", number=number, series=series)


def next_wenshi_article(root: Path, volume_number: str, slug: str) -> tuple[Path, dict]:
    """Where the next article of a volume goes, and the `new_wenshi_article.md.j2` context for it."""
    if not digits(volume_number):
        raise ScaffoldProblem(f"辑号应为数字，如 14，而不是“{volume_number}”")
    if not _SLUG.match(slug):
        raise ScaffoldProblem(f"英文短名应只含小写字母、数字和连字符，如 gangtie，而不是“{slug}”")
    corpus, _ = load_corpus(root)
    volume = next((v for v in corpus.volumes if v.number == int(volume_number)), None)
    if volume is None:
        raise ScaffoldProblem(f"没有第{int(volume_number)}辑（content/wenshi/{int(volume_number):02d}/volume.yml），可先运行 zhengxie new wenshi-volume")
    folder = root / "content/wenshi" / volume.folder
    taken = {int(p.name.split("-")[0]) for p in folder.glob("[0-9]*-*.md") if digits(p.name.split("-")[0])}
    order = max(taken | {a.order for a in volume.articles}, default=0) + 1
    return folder / f"{order:02d}-{slug}.md", dict(section=volume.sections[0], sections=volume.sections)


def new_wenshi_article(root: Path, volume_number: str, slug: str) -> Path:
    path, context = next_wenshi_article(root, volume_number, slug)
    write_new_file(path, render("new_wenshi_article.md.j2", **context))
    return path


def new_rule(root: Path, slug: str) -> Path:
    if not _SLUG.match(slug):
        raise ScaffoldProblem(f"制度的英文短名应只含小写字母、数字和连字符，如 kaoping，而不是“{slug}”")
    return _create(root, f"rules/{slug}.md", "new_rule.md.j2")


def new_yearly(root: Path, kind: str, year: str) -> Path:
    if not (digits(year) and len(year) == 4):
        raise ScaffoldProblem(f"年份应为四位数字，如 2020，而不是“{year}”")
    folder = "plans" if kind == "plan" else "reports"
    return _create(root, f"{folder}/{year}.md", f"new_{kind}.md.j2", year=int(year))
