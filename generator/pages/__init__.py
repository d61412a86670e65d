"""Corpus -> Page objects: Markdown text plus metadata, one module per collection.

Pure functions: nothing here knows MkDocs or writes files.  Every page's `src_uri`
mirrors the content tree, so `content/briefings/2018/12.md` becomes
`briefings/2018/12.md` and is served at `briefings/2018/12/`.
"""
from __future__ import annotations

from dataclasses import dataclass

from generator.model import Corpus
from generator.pages.common import Page
from generator.pages import briefings, chronicle, home, rules, stats, wenshi, yearly
from generator.pages.knowledge import Knowledge

HOME_MARKER = "<!-- zhengxie:home -->"


@dataclass
class SiteContent:
    pages: list[Page]
    assets: dict  # content-relative path it is published under -> the kept bytes (a file in the store)
    nav: list  # MkDocs nav structure (plain lists, dicts and strings)
    home: str  # Markdown that replaces HOME_MARKER in docs/index.md
    site_name: str  # the header's name: site.yml's short_name
    site_description: str
    collections: list[str]  # the search box's collection filters, in the order its chips show them


def build_pages(corpus: Corpus, docs_pages: list[str], pdf: bool = True) -> SiteContent:
    """All generated pages; `docs_pages` are the hand-written pages' paths, for the nav.

    With `pdf`, pages link to their print-ready PDFs (下载打印版).
    """
    kb = Knowledge.of(corpus)
    pages = [
        *briefings.pages(corpus, pdf, kb),
        *wenshi.pages(corpus, pdf, kb),
        *rules.pages(corpus, pdf, kb),
        *yearly.plan_pages(corpus, pdf, kb),
        *yearly.report_pages(corpus, pdf, kb),
        *chronicle.pages(corpus),
        *stats.pages(corpus, kb),
    ]
    return SiteContent(
        pages=pages,
        assets={file.published: file.stored for file in corpus.files.values()},
        nav=navigation(corpus, docs_pages),
        home=home.home_markdown(corpus),
        site_name=corpus.site.short_name,
        site_description=f"{corpus.site.committee}：{corpus.site.briefing.title}、文史资料、制度、年度工作要点、常委会工作报告",
        collections=["简报", "文史", "制度", "计划", "报告"],
    )


def navigation(corpus: Corpus, docs_pages: list[str]) -> list:
    """Collections and years only: the section index pages carry the long lists."""
    nav: list = []
    if "index.md" in docs_pages:
        nav.append({"首页": "index.md"})
    years = sorted({b.year for b in corpus.briefings}, reverse=True)
    nav.append({"简报": ["briefings/index.md", *({f"{y}年": f"briefings/{y}/index.md"} for y in years)]})
    nav.append(
        {"文史": ["wenshi/index.md", *({f"第{v.number}辑": f"wenshi/{v.folder}/index.md"} for v in corpus.volumes)]}
    )
    nav.append({"制度": ["rules/index.md"]})
    nav.append({"计划": ["plans/index.md", *({f"{p.year}年": f"plans/{p.year}.md"} for p in reversed(corpus.plans))]})
    nav.append(
        {"报告": ["reports/index.md", *({f"{r.year}年": f"reports/{r.year}.md"} for r in reversed(corpus.reports))]}
    )
    nav.append({"大事记": ["chronicle/index.md", *({f"{y}年": f"chronicle/{y}.md"} for y in chronicle.years(corpus))]})
    nav.append({"统计": ["stats/index.md"]})
    nav.extend(page for page in sorted(docs_pages) if page != "index.md")
    return nav
