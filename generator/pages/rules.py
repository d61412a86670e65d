"""制度: the list with status badges, one page per rule with an anchor per 条."""
from __future__ import annotations

from generator.bodyscan import int_to_chinese
from generator.load.rules import TIAO_START
from generator.model import Corpus, Rule
from generator.pages.common import Page, page_meta, pdf_link, rel, render
from generator.pages.knowledge import Knowledge
from generator.names import rule_pdf
from generator.names import rule_src as src

COLLECTION = "制度"
STATUS_CLASSES = {"现行": "current", "试行": "trial", "已修订": "revised", "已废止": "repealed"}


def badge(status: str) -> str:
    return f'<span class="zx-badge zx-badge--{STATUS_CLASSES[status]}">{status}</span>'


def pages(corpus: Corpus, pdf: bool, kb: Knowledge) -> list[Page]:
    return [index_page(corpus), *(rule_page(corpus, rule, pdf, kb) for rule in corpus.rules)]


def index_page(corpus: Corpus) -> Page:
    here = "rules/index.md"
    rows = [
        {"rule": r, "badge": badge(r.status), "link": rel(here, src(r))}
        for r in sorted(corpus.rules, key=lambda r: (r.status in ("已修订", "已废止"), r.title))
    ]
    return Page(here, "制度", render("rules_index.md.j2", rows=rows), page_meta(COLLECTION))


def rule_page(corpus: Corpus, rule: Rule, pdf: bool, kb: Knowledge) -> Page:
    here = src(rule)
    by_slug = {r.slug: r for r in corpus.rules}
    supersedes = by_slug.get(rule.supersedes) if rule.supersedes else None
    superseded_by = [r for r in corpus.rules if r.supersedes == rule.slug]
    text = render(
        "rule.md.j2",
        rule=rule,
        badge=badge(rule.status),
        supersedes=(supersedes.title, rel(here, src(supersedes))) if supersedes else None,
        superseded_by=[(r.title, rel(here, src(r))) for r in superseded_by],
        body=kb.link(anchored_body(rule), here),
        pdf=pdf_link(here, rule_pdf(rule) if pdf else None),
        backlinks=kb.backlinks(here, f"rule:{rule.slug}"),
    )
    year = rule.adopted.year if rule.adopted else None
    return Page(here, rule.title, text, page_meta(COLLECTION, year))


def anchored_body(rule: Rule) -> str:
    """The body with each 条 label in bold and its paragraph anchored `#tiao-N`."""
    lines = rule.body.split("\n")
    starts = {tiao.line - rule.body_line: tiao for tiao in rule.tiaos}
    out: list[str] = []
    open_tiao = None
    for index, line in enumerate(lines):
        if index in starts:
            open_tiao = starts[index]
            match = TIAO_START.match(line)
            label = f"第{int_to_chinese(open_tiao.number)}条"
            line = f"**{label}**{line[len(match[0]) - 1:]}" if match else line
        if open_tiao is not None and not line.strip():
            out.append(f"{{: #{open_tiao.anchor} .zx-tiao }}")
            open_tiao = None
        out.append(line)
    if open_tiao is not None:
        out.append(f"{{: #{open_tiao.anchor} .zx-tiao }}")
    return "\n".join(out)
