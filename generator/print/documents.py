"""Records -> print jobs: the data each Typst template receives, and the files it needs.

Every layout decision that depends on content (an image's printed width, the 报尾 lines,
the 版权页 word count) is made here, so templates only draw what they are given.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from generator.bodyscan import int_to_chinese
from generator.model import Briefing, Plan, Report, Rule, Site, Volume, WenshiArticle
from generator.names import briefing_pdf, issue_title, plan_pdf, report_pdf, rule_pdf, volume_pdf, volume_title
from generator.pages.briefings import number_label
from generator.pages.common import cn_date
from generator.pages.rules import anchored_body
from generator.pages.wenshi import byline
from generator.print import images as image_sizes
from generator.print.tree import plain_text, to_blocks
from generator.references import ReferenceIndex, cite

# Text block of the GB/T 9704 page and the share of its height an image may take.
OFFICIAL_TEXT = (156.0, 225.0)
BOOK_MARGINS = {"top": 24.0, "bottom": 22.0, "inside": 22.0, "outside": 18.0}
IMAGE_MAX_HEIGHT = 0.6


@dataclass
class PrintJob:
    output: str  # path under pdf/, e.g. briefings/2018/04.pdf
    template: str  # file in templates/
    data: dict
    sources: list[str]  # content files the document is made of (for messages)
    images: dict[str, Path] = field(default_factory=dict)  # name in the compile root -> kept file
    pdf_standard: str | None = None


def _text(value: str) -> list[dict]:
    return [{"t": "text", "v": value}]


def book_text_block(site: Site) -> tuple[float, float]:
    width, height = site.print.book_size
    return (
        width - BOOK_MARGINS["inside"] - BOOK_MARGINS["outside"],
        height - BOOK_MARGINS["top"] - BOOK_MARGINS["bottom"],
    )


def _blocks(placer: "_Images", body: str, base: str, index: ReferenceIndex) -> list[dict]:
    """A body as placed document nodes; references become plain citations."""
    return placer.place(to_blocks(cite(body, index), base))


class _Images:
    """Gives each figure a file name inside the compile root and its printed width.

    Only files the check has read and kept (`Corpus.files`, by project path) are printed:
    a figure whose source is anything else prints as its caption alone.
    """

    def __init__(self, kept: dict, text_block: tuple[float, float]):
        self.kept = kept
        self.width, self.height = text_block[0], text_block[1] * IMAGE_MAX_HEIGHT
        self.files: dict[str, Path] = {}

    def place(self, nodes):
        for node in walk(nodes):
            if node.get("t") != "figure" or node.get("omitted") or not node.get("src"):
                continue
            kept = self.kept.get(node["src"])
            if kept is None or kept.image is None:
                node["src"], node["omitted"] = None, True
                continue
            name = f"img/{len(self.files) + 1}{kept.stored.suffix}"
            self.files[name] = kept.stored
            node["source"], node["src"] = node["src"], name
            node["width"] = image_sizes.printed_width(kept.image, self.width, self.height)
        return nodes


def walk(value):
    """Every dict node under a document tree (depth first)."""
    if isinstance(value, dict):
        yield value
        for child in value.values():
            yield from walk(child)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)



def briefing_job(files: dict, site: Site, briefing: Briefing, fonts: dict[str, str], index: ReferenceIndex) -> PrintJob:
    base = posixpath.dirname(briefing.source.path)
    placer = _Images(files, OFFICIAL_TEXT)
    number = number_label(briefing) + (f"　总第{briefing.total}期" if briefing.total else "")
    lines = [
        {"label": label, "names": "，".join(names)} for label, names in briefing.distribution_lines(site).items()
    ]
    data = {
        "meta": {
            "title": issue_title(site.briefing.title, briefing),
            "author": site.office,
            "date": briefing.date.isoformat() if briefing.date else None,
        },
        "fonts": fonts,
        "masthead": {
            "title": site.briefing.title,
            "number": number,
            "office": site.office,
            "date": cn_date(briefing.date),
        },
        "editor_note": _blocks(placer, briefing.editor_note, base, index),
        "articles": [
            {"title": _text(article.title), "blocks": _blocks(placer, article.body, base, index)}
            for article in briefing.articles
        ],
        "footer_block": {"lines": lines, "copies": briefing.copies_or_default(site), "office": site.office},
    }
    return PrintJob(briefing_pdf(briefing), "briefing.typ", data, [briefing.source.path], placer.files)


def _essay(placer: _Images, essay, index: ReferenceIndex) -> dict | None:
    if essay is None:
        return None
    base = posixpath.dirname(essay.source.path)
    return {"title": essay.title, "author": essay.author or "", "blocks": _blocks(placer, essay.body, base, index)}


def _article(placer: _Images, article: WenshiArticle, index: ReferenceIndex) -> dict:
    base = posixpath.dirname(article.source.path)
    return {"title": article.title, "byline": byline(article), "blocks": _blocks(placer, article.body, base, index)}


def volume_job(files: dict, site: Site, volume: Volume, fonts: dict[str, str], index: ReferenceIndex) -> PrintJob:
    placer = _Images(files, book_text_block(site))
    sections = [
        {"name": name, "articles": [_article(placer, a, index) for a in volume.articles if a.section == name]}
        for name in volume.sections
    ]
    preface, afterword = _essay(placer, volume.preface, index), _essay(placer, volume.afterword, index)
    words = volume.words or _count_words([preface, afterword, *[a for s in sections for a in s["articles"]]])
    width, height = site.print.book_size
    data = {
        "meta": {"title": volume_title(volume), "author": site.committee, "date": _month_date(volume.published)},
        "fonts": fonts,
        "size": {"width": width, "height": height, **BOOK_MARGINS},
        "series": volume.series,
        "number": f"第{int_to_chinese(volume.number)}辑",
        "subtitle": volume.title or "",
        "publisher": site.committee,
        "colophon": [
            (label, value)
            for label, value in (
                ("书名", volume_title(volume)),
                ("编者", site.committee),
                ("开本", f"{_mm(width)}mm×{_mm(height)}mm"),
                ("字数", f"{max(1, round(words / 1000))}千字"),
                ("印数", f"{volume.print_run}册" if volume.print_run else None),
                ("出版时间", cn_date(volume.published) if volume.published else None),
                ("准印证号", volume.permit),
                ("ISBN", volume.isbn),
            )
            if value
        ],
        "editors": [{"role": role, "names": "　".join(names)} for role, names in volume.editors],
        "preface": preface,
        "sections": [s for s in sections if s["articles"]],
        "afterword": afterword,
    }
    sources = [volume.source.path] + [a.source.path for a in volume.articles]
    sources += [e.source.path for e in (volume.preface, volume.afterword) if e is not None]
    return PrintJob(volume_pdf(volume), "book.typ", data, sources, placer.files, site.print.pdf_standard)


def _mm(value: float) -> str:
    return f"{value:g}"


def _month_date(published: str | None) -> str | None:
    if not published:
        return None
    return published if len(published) == 10 else f"{published}-01"


def _count_words(parts) -> int:
    return sum(len("".join(plain_text(p["blocks"]).split())) for p in parts if p)


def _official(
    files: dict, site: Site, fonts: dict[str, str], index: ReferenceIndex,
    output: str, source: str, title: str, body: str, **extra,
) -> PrintJob:
    """Rules, plans and reports share the official-document template."""
    placer = _Images(files, OFFICIAL_TEXT)
    data = {
        "meta": {"title": title, "author": site.committee, "date": extra.pop("date", None)},
        "fonts": fonts,
        "title": title,
        "adoption": "",
        "centered_headings": False,
        "table": None,
        **extra,
        "blocks": _blocks(placer, body, posixpath.dirname(source), index),
    }
    return PrintJob(output, "official.typ", data, [source], placer.files)


def rule_job(files: dict, site: Site, rule: Rule, fonts: dict[str, str], index: ReferenceIndex) -> PrintJob:
    adopted = (cn_date(rule.adopted) if rule.adopted else "") + (rule.adopted_by or "")
    return _official(
        files, site, fonts, index, rule_pdf(rule), rule.source.path, rule.title, anchored_body(rule),
        date=rule.adopted.isoformat() if rule.adopted else None,
        adoption=f"（{adopted}通过）" if adopted else "",
        centered_headings=True,  # chapters (第一章 …) are centred
    )


def plan_job(files: dict, site: Site, plan: Plan, fonts: dict[str, str], index: ReferenceIndex) -> PrintJob:
    table = None
    if plan.consultations:
        table = {
            "t": "table",
            "head": [_text(h) for h in ("序号", "协商议题", "协商形式", "牵头单位", "时间")],
            "rows": [
                [_text(str(i)), _text(c.topic), _text(c.form), _text(c.lead or ""), _text(c.when or "")]
                for i, c in enumerate(plan.consultations, start=1)
            ],
            "align": [],
            "widths": [0.8, 3, 1.5, 1.3, 1],  # the topic takes the room
        }
    return _official(
        files, site, fonts, index, plan_pdf(plan), plan.source.path, plan.title, plan.body,
        table_title="协商计划" if table else "", table=table,
    )


def report_job(files: dict, site: Site, report: Report, fonts: dict[str, str], index: ReferenceIndex) -> PrintJob:
    return _official(files, site, fonts, index, report_pdf(report), report.source.path, report.title, report.body)
