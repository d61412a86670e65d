"""What turns pages into a knowledge base: links from references, backlinks, related reading."""
from __future__ import annotations

import heapq
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from generator import references, tracking, types
from generator.model import Corpus
from generator.pages.common import rel, render

RELATED = 5


@dataclass
class Knowledge:
    index: references.ReferenceIndex
    citations: dict[str, list[references.Citation]]
    reported: dict[tracking.Item, list]  # consultation item -> the briefings reporting on it
    # (src, title, tags, sort key) of every tagged page, newest first, then by path: a page's
    # position here is its rank in 相关阅读
    tagged: list[tuple[str, str, tuple[str, ...], str]] = field(default_factory=list)

    @classmethod
    def of(cls, corpus: Corpus) -> "Knowledge":
        index = references.ReferenceIndex(corpus)
        tagged = [
            (page.src, page.title, page.tags, page.sort)
            for t in types.REGISTRY
            for record in corpus.of(t)
            for page in t.tagged(record, corpus.site)
        ]
        tagged.sort(key=lambda row: row[0])
        tagged.sort(key=lambda row: row[3], reverse=True)
        return cls(index, references.citations(corpus, index), tracking.reports_on(corpus, index), tagged)

    def link(self, body: str, here: str) -> str:
        return references.link(body, here, self.index, rel)

    def backlinks(self, here: str, page_key: str) -> str:
        """The 被引用 section of a page: who cites it (or one of its parts), with context."""
        rows = []
        for citation in self.citations.get(page_key, []):
            target = self.index.targets[citation.target_key]
            rows.append(
                {
                    "label": target.label,
                    "title": citation.title,
                    "link": rel(here, citation.src),
                    "context": citation.context,
                }
            )
        return render("backlinks.md.j2", rows=rows) if rows else ""

    def related(self, here: str, tags: tuple[str, ...]) -> str:
        """Up to five other pages sharing the most tags (newest first among equals)."""
        rows = [
            {"title": self.tagged[rank][1], "link": rel(here, self.tagged[rank][0]), "shared": shared}
            for shared, rank in self._most_shared(here, sorted(set(tags) & self._by_tag.keys()))
        ]
        return render("related.md.j2", rows=rows) if rows else ""

    def _most_shared(self, here: str, tags: list[str]) -> list[tuple[int, int]]:
        """(tags shared, rank) of the best RELATED pages, best first, without comparing every page.

        Pages sharing all the tags come first, then those sharing one fewer, and so on; each
        level is only looked at when the levels above did not fill the list, so every page
        found at a level shares exactly that many tags.  Ranks order pages newest first.
        """
        taken = {self._rank_of.get(here, -1)}
        found: list[tuple[int, int]] = []
        for shared in range(len(tags), 0, -1):
            need = RELATED - len(found)
            if need <= 0:
                break
            if shared == 1:  # the newest pages of each tag's list: the lists are in rank order
                heads = [r for tag in tags for r in itertools.islice((r for r in self._by_tag[tag] if r not in taken), need)]
                candidates = set(heads)
            else:
                candidates = set().union(*(
                    set.intersection(*(self._tag_sets[t] for t in combination))
                    for combination in itertools.combinations(tags, shared)
                ))
            for rank in heapq.nsmallest(need, candidates - taken):
                found.append((shared, rank))
                taken.add(rank)
        return found

    @cached_property
    def _by_tag(self) -> dict[str, list[int]]:
        """Tag -> ranks of the pages carrying it, in rank order."""
        index: dict[str, list[int]] = defaultdict(list)
        for rank, (_src, _title, tags, _sort) in enumerate(self.tagged):
            for tag in set(tags):
                index[tag].append(rank)
        return index

    @cached_property
    def _tag_sets(self) -> dict[str, set[int]]:
        return {tag: set(ranks) for tag, ranks in self._by_tag.items()}

    @cached_property
    def _rank_of(self) -> dict[str, int]:
        return {src: rank for rank, (src, *_rest) in enumerate(self.tagged)}
