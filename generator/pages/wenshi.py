"""文史: the series page, one page per volume (contents by 栏目), its 序, 后记 and articles."""
from __future__ import annotations

from generator.model import Corpus, Essay, Volume, WenshiArticle
from generator.pages.common import Page, page_meta, pdf_link, rel, render
from generator.pages.knowledge import Knowledge
from generator.names import article_src, essay_src, volume_pdf, volume_src, volume_title

COLLECTION = "文史"


def _year(volume: Volume) -> int | None:
    return int(volume.published[:4]) if volume.published else None


def pages(corpus: Corpus, pdf: bool, kb: Knowledge) -> list[Page]:
    result = [series_page(corpus)]
    for volume in corpus.volumes:
        # a volume is printed as one book; every page of it links to that PDF
        book = volume_pdf(volume) if pdf and volume.articles else None
        result.append(volume_page(volume, book, kb))
        for essay in (volume.preface, volume.afterword):
            if essay is not None:
                result.append(essay_page(volume, essay, book, kb))
        for position, article in enumerate(volume.articles):
            previous = volume.articles[position - 1] if position > 0 else None
            following = volume.articles[position + 1] if position + 1 < len(volume.articles) else None
            result.append(article_page(volume, article, previous, following, book, kb))
    return result


def series_page(corpus: Corpus) -> Page:
    here = "wenshi/index.md"
    volumes = [
        {"volume": v, "title": volume_title(v), "link": rel(here, volume_src(v)), "count": len(v.articles)}
        for v in sorted(corpus.volumes, key=lambda v: v.number, reverse=True)
    ]
    return Page(here, "文史资料", render("wenshi_index.md.j2", volumes=volumes), page_meta(COLLECTION))


def byline(article: WenshiArticle) -> str:
    parts = []
    if article.author:
        parts.append(article.author)
    if article.oral:
        parts.append(f"{article.oral} 口述")
    if article.compiled_by:
        parts.append(f"{article.compiled_by} 整理")
    return "　".join(parts)


def volume_page(volume: Volume, book: str | None, kb: Knowledge) -> Page:
    here = volume_src(volume)
    groups = [
        {
            "section": section,
            "articles": [
                {"article": a, "byline": byline(a), "link": rel(here, article_src(volume, a))}
                for a in volume.articles
                if a.section == section
            ],
        }
        for section in volume.sections
    ]
    essays = {
        essay.role: {"title": essay.title, "link": rel(here, essay_src(volume, essay))}
        for essay in (volume.preface, volume.afterword)
        if essay is not None
    }
    text = render(
        "wenshi_volume.md.j2",
        title=volume_title(volume),
        volume=volume,
        groups=groups,
        essays=essays,
        pdf=pdf_link(here, book),
        backlinks=kb.backlinks(here, f"wenshi:{volume.number:02d}"),
    )
    return Page(here, volume_title(volume), text, page_meta(COLLECTION, _year(volume)))


def essay_page(volume: Volume, essay: Essay, book: str | None, kb: Knowledge) -> Page:
    here = essay_src(volume, essay)
    text = render(
        "wenshi_essay.md.j2",
        essay=essay,
        volume_title=volume_title(volume),
        volume_link=rel(here, volume_src(volume)),
        pdf=pdf_link(here, book),
        body=kb.link(essay.body, here),
    )
    return Page(here, f"{essay.title}（{volume_title(volume)}）", text, page_meta(COLLECTION, _year(volume)))


def article_page(
    volume: Volume,
    article: WenshiArticle,
    previous: WenshiArticle | None,
    following: WenshiArticle | None,
    book: str | None,
    kb: Knowledge,
) -> Page:
    here = article_src(volume, article)
    neighbours = [
        (label, other.title, rel(here, article_src(volume, other)))
        for label, other in (("上一篇", previous), ("下一篇", following))
        if other is not None
    ]
    text = render(
        "wenshi_article.md.j2",
        article=article,
        byline=byline(article),
        volume_title=volume_title(volume),
        volume_link=rel(here, volume_src(volume)),
        neighbours=neighbours,
        pdf=pdf_link(here, book),
        body=kb.link(article.body, here),
        backlinks=kb.backlinks(here, f"wenshi:{volume.number:02d}/{article.order:02d}"),
        related=kb.related(here, article.tags),
    )
    return Page(here, article.title, text, page_meta(COLLECTION, _year(volume), article.tags))
