"""Where every page and PDF lives and what each document is called: one place for both.

Page sources mirror content/ (briefings/2018/12.md is served at briefings/2018/12/);
PDFs live in the same tree under pdf/.
"""
from __future__ import annotations

from generator.bodyscan import int_to_chinese
from generator.model import Briefing, Essay, Plan, Report, Rule, Volume, WenshiArticle

PDF_DIR = "pdf"


# -- page sources (MkDocs paths) -------------------------------------------------
def briefing_src(briefing: Briefing) -> str:
    return f"briefings/{briefing.year}/{briefing.number:02d}.md"


def briefing_year_src(year: int) -> str:
    return f"briefings/{year}/index.md"


def volume_src(volume: Volume) -> str:
    return f"wenshi/{volume.folder}/index.md"


def article_src(volume: Volume, article: WenshiArticle) -> str:
    return f"wenshi/{volume.folder}/{article.stem}.md"


def essay_src(volume: Volume, essay: Essay) -> str:
    return f"wenshi/{volume.folder}/{essay.role}.md"  # role is "preface" or "afterword"


def rule_src(rule: Rule) -> str:
    return f"rules/{rule.slug}.md"


def plan_src(plan: Plan) -> str:
    return f"plans/{plan.year}.md"


def report_src(report: Report) -> str:
    return f"reports/{report.year}.md"


def consultation_anchor(consultation_id: str) -> str:
    return f"xieshang-{consultation_id}"


# -- titles ----------------------------------------------------------------------
def issue_title(briefing_title: str, briefing: Briefing) -> str:
    return f"《{briefing_title}》{briefing.year}年第{briefing.number}期"


def volume_title(volume: Volume) -> str:
    return f"《{volume.series}》第{int_to_chinese(volume.number)}辑"


# -- PDFs (under site/pdf/) ---------------------------------------------------------
def briefing_pdf(briefing: Briefing) -> str:
    return f"briefings/{briefing.year}/{briefing.number:02d}.pdf"


def volume_pdf(volume: Volume) -> str:
    return f"wenshi/{volume.folder}.pdf"


def rule_pdf(rule: Rule) -> str:
    return f"rules/{rule.slug}.pdf"


def plan_pdf(plan: Plan) -> str:
    return f"plans/{plan.year}.pdf"


def report_pdf(report: Report) -> str:
    return f"reports/{report.year}.pdf"
