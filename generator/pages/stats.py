"""统计: counts per year and across years, with bar charts."""
from __future__ import annotations

from generator import stats
from generator.model import Corpus
from generator.pages.charts import bar_chart
from generator.pages.common import Page, page_meta, render
from generator.pages.knowledge import Knowledge


def pages(corpus: Corpus, kb: Knowledge) -> list[Page]:
    years = stats.by_year(corpus, kb.reported)
    sections = stats.articles_by_section(corpus)
    tags = stats.top_tags(corpus)
    charts = [
        ("briefings", "各年简报期数", [(f"{y.year}年", y.briefings) for y in years if y.briefings]),
        ("articles", "各年简报文章篇数", [(f"{y.year}年", y.articles) for y in years if y.briefings]),
        ("reported", "各年已报道的协商计划项数", [(f"{y.year}年", y.reported) for y in years if y.consultations]),
        ("sections", "文史资料各栏目文章篇数", sections),
        ("tags", "标签使用次数（前十）", tags),
    ]
    text = render(
        "stats.md.j2",
        years=years,
        totals={
            "briefings": sum(y.briefings for y in years),
            "articles": sum(y.articles for y in years),
            "consultations": sum(y.consultations for y in years),
            "reported": sum(y.reported for y in years),
            "volumes": len(corpus.volumes),
            "wenshi_articles": sum(len(v.articles) for v in corpus.volumes),
            "rules": len(corpus.rules),
        },
        charts=[(key, title, bar_chart(title, rows)) for key, title, rows in charts if rows],
        top=lambda counter: "、".join(f"{tag}（{n}）" for tag, n in sorted(counter.items(), key=lambda i: (-i[1], i[0]))[:5]),
    )
    return [Page("stats/index.md", "统计", text, page_meta("统计"))]
