"""计划 and 报告: an index of years and one page per year."""
from __future__ import annotations

from generator.model import Corpus, Plan
from generator.pages.common import Page, cn_date, page_meta, pdf_link, rel, render
from generator.pages.knowledge import Knowledge
from generator.names import briefing_src, consultation_anchor, plan_pdf, plan_src, report_pdf, report_src


def plan_pages(corpus: Corpus, pdf: bool, kb: Knowledge) -> list[Page]:
    index = _index("plans/index.md", "年度工作要点", "计划", [(p.year, p.title, plan_src(p)) for p in corpus.plans])
    return [index, *(plan_page(corpus, plan, pdf, kb) for plan in corpus.plans)]


def report_pages(corpus: Corpus, pdf: bool, kb: Knowledge) -> list[Page]:
    index = _index(
        "reports/index.md", "常委会工作报告", "报告", [(r.year, r.title, report_src(r)) for r in corpus.reports]
    )
    pages = [
        Page(
            report_src(r),
            r.title,
            render(
                "report.md.j2",
                report=r,
                pdf=pdf_link(report_src(r), report_pdf(r) if pdf else None),
                body=kb.link(r.body, report_src(r)),
                backlinks=kb.backlinks(report_src(r), f"report:{r.year}"),
            ),
            page_meta("报告", r.year),
        )
        for r in corpus.reports
    ]
    return [index, *pages]


def _index(here: str, title: str, collection: str, items: list[tuple[int, str, str]]) -> Page:
    rows = [{"year": year, "title": t, "link": rel(here, target)} for year, t, target in reversed(items)]
    return Page(here, title, render("yearly_index.md.j2", title=title, rows=rows), page_meta(collection))


def plan_page(corpus: Corpus, plan: Plan, pdf: bool, kb: Knowledge) -> Page:
    here = plan_src(plan)
    title = corpus.site.briefing.title
    rows = []
    for c in plan.consultations:
        reports = [
            (f"{b.year}年第{b.number}期", rel(here, briefing_src(b)), cn_date(b.date))
            for b in kb.reported.get((plan.year, c.id), [])
        ]
        rows.append({"item": c, "anchor": consultation_anchor(c.id), "reports": reports})
    text = render(
        "plan.md.j2",
        plan=plan,
        rows=rows,
        reported=sum(1 for row in rows if row["reports"]),
        briefing_title=title,
        pdf=pdf_link(here, plan_pdf(plan) if pdf else None),
        body=kb.link(plan.body, here),
        backlinks=kb.backlinks(here, f"plan:{plan.year}"),
    )
    return Page(here, plan.title, text, page_meta("计划", plan.year))
