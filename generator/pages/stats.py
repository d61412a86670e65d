"""统计: counts per year and across years, with bar charts, from each type's figures."""
from __future__ import annotations

from collections import Counter

from generator import types
from generator.model import Corpus
from generator.pages.charts import bar_chart
from generator.pages.common import Page, page_meta, render
from generator.names import STATS
from generator.pages.knowledge import Knowledge

TOP_TAGS = 10


def figures(corpus: Corpus, reported) -> list:
    """Each type's figures, in the order the statistics page shows them."""
    ordered = sorted(types.REGISTRY, key=lambda t: t.overview_order)
    return [f for t in ordered if (f := t.figures(corpus, reported)) is not None]


def pages(corpus: Corpus, kb: Knowledge) -> list[Page]:
    found = figures(corpus, kb.reported)
    years = sorted({year for f in found for year in f.years})
    columns = [column for f in found for column in f.year_columns]
    rows = []
    for year in years:
        counts = [n for f in found for n in f.years.get(year, [0] * len(f.year_columns))]
        tags = sum((f.year_tags.get(year, Counter()) for f in found), Counter())
        rows.append({"year": year, "counts": counts, "tags": tags})
    tags = sum((f.tags for f in found), Counter())
    top = sorted(tags.items(), key=lambda item: (-item[1], item[0]))[:TOP_TAGS]
    charts = [chart for f in found for chart in f.charts] + [("tags", "标签使用次数（前十）", top)]
    text = render(
        "stats.md.j2",
        totals=[cell for f in found for cell in f.totals],
        columns=columns,
        rows=rows,
        charts=[(key, title, bar_chart(title, chart_rows)) for key, title, chart_rows in charts if chart_rows],
        top=lambda counter: "、".join(f"{tag}（{n}）" for tag, n in sorted(counter.items(), key=lambda i: (-i[1], i[0]))[:5]),
    )
    return [Page(STATS, "统计", text, page_meta("统计"))]
