"""Counts for the statistics page: per year and across years."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from generator.model import Corpus
from generator.tracking import Item


@dataclass
class YearStats:
    year: int
    briefings: int = 0
    articles: int = 0
    consultations: int = 0
    reported: int = 0
    tags: Counter = field(default_factory=Counter)


def by_year(corpus: Corpus, reported: dict[Item, list]) -> list[YearStats]:
    years: dict[int, YearStats] = {}

    def year(y: int) -> YearStats:
        return years.setdefault(y, YearStats(y))

    for b in corpus.briefings:
        stats = year(b.year)
        stats.briefings += 1
        stats.articles += len(b.articles)
        stats.tags.update(b.tags)
    for p in corpus.plans:
        stats = year(p.year)
        stats.consultations += len(p.consultations)
        stats.reported += sum(1 for c in p.consultations if reported.get((p.year, c.id)))
    return [years[y] for y in sorted(years)]


def articles_by_section(corpus: Corpus) -> list[tuple[str, int]]:
    """文史 articles per 栏目 across all volumes, in first-seen 栏目 order."""
    counts: Counter = Counter(a.section for v in corpus.volumes for a in v.articles)
    order = list(dict.fromkeys(s for v in corpus.volumes for s in v.sections))
    return [(section, counts[section]) for section in order if counts[section]]


def top_tags(corpus: Corpus, count: int = 10) -> list[tuple[str, int]]:
    counter: Counter = Counter(tag for b in corpus.briefings for tag in b.tags)
    counter.update(tag for v in corpus.volumes for a in v.articles for tag in a.tags)
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:count]
