"""大事记 pages: an index of years and one chronological list per year."""
from __future__ import annotations

from itertools import groupby

from generator import chronicle
from generator.model import Corpus
from generator.names import CHRONICLE, chronicle_year
from generator.pages.common import Page, page_meta, rel, render


def years(corpus: Corpus) -> list[int]:
    return chronicle.years(corpus)


def _day(when: str) -> str:
    parts = when.split("-")
    return f"{int(parts[1])}月{int(parts[2])}日" if len(parts) == 3 else f"{int(parts[1])}月"


def pages(corpus: Corpus) -> list[Page]:
    events = chronicle.events(corpus)
    by_year = {year: list(items) for year, items in groupby(events, key=lambda e: e.year)}
    index = Page(
        CHRONICLE,
        "大事记",
        render(
            "chronicle_index.md.j2",
            years=[(y, len(by_year[y]), rel(CHRONICLE, chronicle_year(y))) for y in sorted(by_year, reverse=True)],
        ),
        page_meta("大事记"),
    )
    result = [index]
    for year, items in sorted(by_year.items()):
        here = chronicle_year(year)
        months = [
            (f"{int(month)}月", [{"day": _day(e.when), "event": e, "link": rel(here, e.src)} for e in group])
            for month, group in groupby(items, key=lambda e: e.when[5:7])
        ]
        result.append(Page(here, f"{year}年大事记", render("chronicle_year.md.j2", year=year, months=months), page_meta("大事记", year)))
    return result
