"""Where each document's PDF lives under site/pdf/ (one tree with the pages)."""
from __future__ import annotations

from generator.model import Briefing, Plan, Report, Rule, Volume

PDF_DIR = "pdf"


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
