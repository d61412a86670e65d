"""简报: the collection index, one index per year, one page per issue."""
from __future__ import annotations

from collections import defaultdict

from generator.model import Briefing, Corpus
from generator.pages.common import Page, page_meta, pdf_link, rel, render
from generator.pages.knowledge import Knowledge
from generator.tracking import item_of
from generator.names import briefing_pdf, briefing_year_src, consultation_anchor, issue_title, plan_src
from generator.names import briefing_src as src

COLLECTION = "简报"


def number_label(briefing: Briefing) -> str:
    kind = f"（{briefing.kind}）" if briefing.kind != "正刊" else ""
    return f"第{briefing.number}期{kind}"


def pages(corpus: Corpus, pdf: bool, kb: Knowledge) -> list[Page]:
    title = corpus.site.briefing.title
    by_year: dict[int, list[Briefing]] = defaultdict(list)
    for briefing in corpus.briefings:
        by_year[briefing.year].append(briefing)
    result = [index_page(title, by_year)]
    for year, issues in sorted(by_year.items()):
        result.append(year_page(title, year, issues))
    ordered = corpus.briefings  # sorted by (year, number) by the loader
    for position, briefing in enumerate(ordered):
        previous = ordered[position - 1] if position > 0 else None
        following = ordered[position + 1] if position + 1 < len(ordered) else None
        result.append(issue_page(corpus, briefing, previous, following, pdf, kb))
    return result


def _rows(from_src: str, issues: list[Briefing]) -> list[dict]:
    return [
        {
            "briefing": b,
            "label": number_label(b),
            "link": rel(from_src, src(b)),
            "articles": [(a.title, rel(from_src, f"{src(b)}#{a.anchor}")) for a in b.articles],
        }
        for b in sorted(issues, key=lambda b: b.number, reverse=True)
    ]


def index_page(title: str, by_year: dict[int, list[Briefing]]) -> Page:
    here = "briefings/index.md"
    years = [
        {"year": year, "count": len(issues), "link": rel(here, briefing_year_src(year))}
        for year, issues in sorted(by_year.items(), reverse=True)
    ]
    latest = sorted((b for issues in by_year.values() for b in issues), key=lambda b: (b.year, b.number))[-10:]
    text = render("briefings_index.md.j2", title=title, years=years, rows=_rows(here, latest))
    return Page(here, title, text, page_meta(COLLECTION))


def year_page(title: str, year: int, issues: list[Briefing]) -> Page:
    here = briefing_year_src(year)
    text = render("briefings_year.md.j2", title=title, year=year, rows=_rows(here, issues))
    return Page(here, f"{title} {year}年", text, page_meta(COLLECTION, year))


def _plan_items(corpus: Corpus, briefing: Briefing, here: str) -> list[tuple[str, str]]:
    """(topic, link) of the consultation items this issue reports on."""
    plans = {p.year: p for p in corpus.plans}
    items = []
    for entry in briefing.plans:
        year, ident = item_of(entry, briefing.year)
        plan = plans.get(year)
        item = next((c for c in plan.consultations if c.id == ident), None) if plan else None
        if item is not None:
            items.append((f"{plan.title}：{item.topic}", rel(here, f"{plan_src(plan)}#{consultation_anchor(ident)}")))
    return items


def issue_page(
    corpus: Corpus, briefing: Briefing, previous: Briefing | None, following: Briefing | None, pdf: bool, kb: Knowledge
) -> Page:
    here = src(briefing)
    site = corpus.site
    title = issue_title(site.briefing.title, briefing)
    neighbours = [
        (label, issue_title(site.briefing.title, other), rel(here, src(other)))
        for label, other in (("上一期", previous), ("下一期", following))
        if other is not None
    ]
    text = render(
        "briefing.md.j2",
        title=title,
        briefing=briefing,
        label=number_label(briefing),
        site=site,
        neighbours=neighbours,
        index_link=rel(here, briefing_year_src(briefing.year)),
        pdf=pdf_link(here, briefing_pdf(briefing) if pdf else None),
        editor_note=kb.link(briefing.editor_note, here),
        bodies=[kb.link(article.body, here) for article in briefing.articles],
        plan_items=_plan_items(corpus, briefing, here),
        backlinks=kb.backlinks(here, f"briefing:{briefing.year}-{briefing.number:02d}"),
        related=kb.related(here, briefing.tags),
    )
    return Page(here, title, text, page_meta(COLLECTION, briefing.year, briefing.tags))
