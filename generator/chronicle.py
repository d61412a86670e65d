"""大事记: dated events drawn from every collection, for one chronicle per year."""
from __future__ import annotations

from dataclasses import dataclass

from generator.fields import digits
from generator.model import Corpus
from generator.names import briefing_src, consultation_anchor, plan_src, rule_src, volume_src, volume_title


@dataclass(frozen=True)
class Event:
    when: str  # ISO date or month, sorts in time order: 2019-06-15, 2019-06
    text: str  # plain text
    src: str  # the page (and anchor) it comes from
    kind: str  # 简报 文史 制度 计划

    @property
    def year(self) -> int:
        return int(self.when[:4])


def events(corpus: Corpus) -> list[Event]:
    found: list[Event] = []
    for b in corpus.briefings:
        if b.date is None:
            continue
        for a in b.articles:
            found.append(Event(b.date.isoformat(), a.title, f"{briefing_src(b)}#{a.anchor}", "简报"))
    for p in corpus.plans:
        for c in p.consultations:
            when = c.when or ""
            if len(when) == 7 and digits(when[:4]) and when[4] == "-" and digits(when[5:]) and 1 <= int(when[5:]) <= 12:
                found.append(Event(when, f"{c.form}：{c.topic}", f"{plan_src(p)}#{consultation_anchor(c.id)}", "计划"))
    for r in corpus.rules:
        if r.adopted:
            found.append(Event(r.adopted.isoformat(), f"《{r.title}》通过", rule_src(r), "制度"))
        if r.effective and r.effective != r.adopted:
            found.append(Event(r.effective.isoformat(), f"《{r.title}》施行", rule_src(r), "制度"))
    for v in corpus.volumes:
        if v.published:
            title = volume_title(v) + (f"《{v.title}》" if v.title else "")
            found.append(Event(v.published, f"{title}出版", volume_src(v), "文史"))
    return sorted(found, key=lambda e: (e.when, e.kind, e.text))


def years(corpus: Corpus) -> list[int]:
    return sorted({e.year for e in events(corpus)}, reverse=True)
