"""计划 and 报告: an index of years and one page per year."""
from __future__ import annotations

from generator.model import Corpus, Plan, Report
from generator.pages.common import Page, page_meta, pdf_link, rel, render
from generator.pdfnames import plan_pdf, report_pdf


def plan_src(plan: Plan) -> str:
    return f"plans/{plan.year}.md"


def report_src(report: Report) -> str:
    return f"reports/{report.year}.md"


def consultation_anchor(consultation_id: str) -> str:
    return f"xieshang-{consultation_id}"


def plan_pages(corpus: Corpus, pdf: bool) -> list[Page]:
    index = _index("plans/index.md", "年度工作要点", "计划", [(p.year, p.title, plan_src(p)) for p in corpus.plans])
    return [index, *(plan_page(plan, pdf) for plan in corpus.plans)]


def report_pages(corpus: Corpus, pdf: bool) -> list[Page]:
    index = _index(
        "reports/index.md", "常委会工作报告", "报告", [(r.year, r.title, report_src(r)) for r in corpus.reports]
    )
    pages = [
        Page(
            report_src(r),
            r.title,
            render("report.md.j2", report=r, pdf=pdf_link(report_src(r), report_pdf(r) if pdf else None)),
            page_meta("报告", r.year),
        )
        for r in corpus.reports
    ]
    return [index, *pages]


def _index(here: str, title: str, collection: str, items: list[tuple[int, str, str]]) -> Page:
    rows = [{"year": year, "title": t, "link": rel(here, target)} for year, t, target in reversed(items)]
    return Page(here, title, render("yearly_index.md.j2", title=title, rows=rows), page_meta(collection))


def plan_page(plan: Plan, pdf: bool) -> Page:
    here = plan_src(plan)
    rows = [{"item": c, "anchor": consultation_anchor(c.id)} for c in plan.consultations]
    link = pdf_link(here, plan_pdf(plan) if pdf else None)
    return Page(here, plan.title, render("plan.md.j2", plan=plan, rows=rows, pdf=link), page_meta("计划", plan.year))
