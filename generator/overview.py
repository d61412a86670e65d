"""`zhengxie stats`: a plain-text overview of the content, for the terminal."""
from __future__ import annotations

from collections import Counter

from generator import stats
from generator.model import Corpus
from generator.references import ReferenceIndex
from generator.tracking import reports_on


def describe(corpus: Corpus) -> str:
    reported = reports_on(corpus, ReferenceIndex(corpus))
    years = stats.by_year(corpus, reported)
    drafts = sum(b.draft for b in corpus.briefings)
    lines = [f"{corpus.site.committee}", "", "简报（期数 / 文章篇数）："]
    for y in years:
        if y.briefings:
            lines.append(f"  {y.year}年  {y.briefings} 期 / {y.articles} 篇")
    lines.append(f"  合计 {sum(y.briefings for y in years)} 期" + (f"（其中草稿 {drafts} 期）" if drafts else ""))
    lines += ["", "文史资料："]
    for v in corpus.volumes:
        lines.append(f"  第{v.number}辑 {v.title or ''}  {len(v.articles)} 篇" + ("（草稿）" if v.draft else ""))
    if not corpus.volumes:
        lines.append("  无")
    statuses = Counter(r.status for r in corpus.rules)
    lines += ["", "制度：" + ("、".join(f"{s} {n} 项" for s, n in sorted(statuses.items())) or "无")]
    lines += ["", "协商计划（已报道 / 总数）："]
    for y in years:
        if y.consultations:
            lines.append(f"  {y.year}年  {y.reported} / {y.consultations}")
    if not any(y.consultations for y in years):
        lines.append("  无")
    return "\n".join(lines)
