"""What turns pages into a knowledge base: links from references, backlinks, related reading."""
from __future__ import annotations

from dataclasses import dataclass, field

from generator import references, tracking
from generator.model import Briefing, Corpus
from generator.names import article_src, briefing_src, issue_title
from generator.pages.common import rel, render

RELATED = 5


@dataclass
class Knowledge:
    index: references.ReferenceIndex
    citations: dict[str, list[references.Citation]]
    reported: dict[tracking.Item, list[Briefing]]
    tagged: list[tuple[str, str, tuple[str, ...], str]] = field(default_factory=list)  # (src, title, tags, sort)

    @classmethod
    def of(cls, corpus: Corpus) -> "Knowledge":
        index = references.ReferenceIndex(corpus)
        title = corpus.site.briefing.title
        tagged = [
            (briefing_src(b), issue_title(title, b), b.tags, b.date.isoformat())
            for b in corpus.briefings
            if b.tags and b.date
        ]
        tagged += [
            (article_src(v, a), a.title, a.tags, f"{v.number:04d}{a.order:04d}")
            for v in corpus.volumes
            for a in v.articles
            if a.tags
        ]
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
        if not tags:
            return ""
        scored = [
            (len(set(tags) & set(other_tags)), sort, src, title)
            for src, title, other_tags, sort in self.tagged
            if src != here and set(tags) & set(other_tags)
        ]
        scored.sort(key=lambda row: (-row[0], _reverse(row[1]), row[2]))
        rows = [{"title": title, "link": rel(here, src), "shared": shared} for shared, _, src, title in scored[:RELATED]]
        return render("related.md.j2", rows=rows) if rows else ""


def _reverse(text: str) -> tuple:
    return tuple(-ord(c) for c in text)

