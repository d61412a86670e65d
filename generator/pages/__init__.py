"""Corpus -> Page objects: Markdown text plus metadata.

Pure functions: nothing here knows MkDocs or writes files.  Each content type makes its
own pages (`generator.types`); this package adds what spans them (nav, home, 大事记,
statistics) and shares the Page record, links and templates.  Every page's `src_uri`
mirrors the content tree, so `content/briefings/2018/12.md` becomes
`briefings/2018/12.md` and is served at `briefings/2018/12/`.
"""
from __future__ import annotations

from dataclasses import dataclass

from generator import types
from generator.model import Corpus
from generator.names import CHRONICLE, HOME, STATS, chronicle_year
from generator.pages.common import Page
from generator.pages import chronicle, home, stats
from generator.pages.knowledge import Knowledge
from generator.types.base import PageContext

HOME_MARKER = "<!-- zhengxie:home -->"


@dataclass
class SiteContent:
    pages: list[Page]
    assets: dict  # content-relative path it is published under -> the kept bytes (a file in the store)
    nav: list  # MkDocs nav structure (plain lists, dicts and strings)
    home: str  # Markdown that replaces HOME_MARKER in docs/index.md
    site_name: str  # the header's name: site.yml's short_name
    site_description: str
    collections: list[str]  # the search filters: each type's label, in the registry's order


def build_pages(corpus: Corpus, docs_pages: list[str], pdf: bool = True) -> SiteContent:
    """All generated pages; `docs_pages` are the hand-written pages' paths, for the nav.

    With `pdf`, pages link to their print-ready PDFs (下载打印版).
    """
    kb = Knowledge.of(corpus)
    context = PageContext(pdf, kb)
    pages = [
        *(page for t in types.REGISTRY for page in t.pages(corpus, context)),
        *chronicle.pages(corpus),
        *stats.pages(corpus, kb),
    ]
    described = "、".join(t.describe(corpus.site).strip("《》") for t in types.REGISTRY)
    return SiteContent(
        pages=pages,
        assets={file.published: file.stored for file in corpus.files.values()},
        nav=navigation(corpus, docs_pages),
        home=home.home_markdown(corpus),
        site_name=corpus.site.short_name,
        site_description=f"{corpus.site.committee}：{described}",
        collections=[t.label for t in types.REGISTRY],
    )


def navigation(corpus: Corpus, docs_pages: list[str]) -> list:
    """Collections and years only: the section index pages carry the long lists."""
    nav: list = []
    if HOME in docs_pages:
        nav.append({"首页": HOME})
    nav.extend(entry for t in types.REGISTRY if (entry := t.nav(corpus)) is not None)
    nav.append({"大事记": [CHRONICLE, *({f"{y}年": chronicle_year(y)} for y in chronicle.years(corpus))]})
    nav.append({"统计": [STATS]})
    nav.extend(page for page in sorted(docs_pages) if page != HOME)
    return nav
