"""年度工作要点: content/plans/<YYYY>.md, a year's plan with its 协商计划 items (consultations).

Pages: an index of years and one page per plan, each item anchored #xieshang-<id> with the
briefings that report on it (generator.tracking).  Print: the official-document layout
with the items as a table.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from generator import types
from generator.diagnostics import Diagnostic, error
from generator.fields import Field, FieldProblem, choice, digits, integer, read_fields, slug, text
from generator.frontmatter import YamlMap, read_markdown
from generator.load.common import body_files, check_name_matches, relative, year_files
from generator.model import FileRef, Source
from generator.pages.common import Page, page_meta, pdf_link, rel, render, year_index
from generator.presentation import cn_date
from generator.print import documents
from generator.types.base import COMMON_FIELDS, ContentType, Event, Figures, Scaffold, Target, new_yearly, record_from

FORMS = ("综合协商", "专题协商", "对口协商", "界别协商", "党派协商", "提案办理协商", "其他")
FORM_ALIASES = {"提案协商": "提案办理协商"}


@dataclass(frozen=True)
class Consultation:
    id: str
    topic: str
    form: str
    lead: str | None
    when: str | None
    line: int


@dataclass(frozen=True)
class Plan:
    year: int
    title: str
    consultations: tuple[Consultation, ...]
    draft: bool
    body: str
    body_line: int
    files: tuple[FileRef, ...]
    source: Source
    internal: bool = False  # 内部资料: left out of the public edition


CONSULTATION_FIELDS = [
    Field("id", slug, required=True),
    Field("topic", text, required=True),
    Field("form", choice(FORMS, FORM_ALIASES), required=True),
    Field("lead", text),
    Field("when", text),
]


def consultations(value) -> list:
    if not isinstance(value, list):
        raise FieldProblem("应为列表，每项含 id、topic、form 等")
    return value  # items are validated one by one in load_plan, with their own lines


FIELDS = [
    Field("year", integer(1000), required=True),
    Field("title", text, required=True),
    Field("consultations", consultations, default=[]),
    *COMMON_FIELDS,
]


def src(plan: Plan) -> str:
    return f"plans/{plan.year}.md"


def consultation_anchor(consultation_id: str) -> str:
    return f"xieshang-{consultation_id}"


# -- loading -------------------------------------------------------------------------
def load_plans(root: Path, folder: Path) -> tuple[list[Plan], list[Diagnostic]]:
    plans, problems = [], []
    for file, year, found in year_files(root, folder, "年度工作要点"):
        problems += found
        plan, found = load_plan(root, file, year)
        problems += found
        if plan is not None:
            plans.append(plan)
    return sorted(plans, key=lambda p: p.year), problems


def load_plan(root: Path, file: Path, year: int | None) -> tuple[Plan | None, list[Diagnostic]]:
    path = relative(root, file)
    source, problems = read_markdown(file, path)
    if source is None:
        return None, problems
    values, found = read_fields(source.meta, FIELDS, path)
    problems += found
    problems += check_name_matches(source.meta, "year", values.get("year"), year, path, f"文件名 {file.name} ")
    items: list[Consultation] = []
    ids: dict[str, int] = {}
    raw = values.get("consultations") or []
    for index, entry in enumerate(raw):
        line = raw.line_of(index) if hasattr(raw, "line_of") else source.meta.line_of("consultations")
        if not isinstance(entry, YamlMap):
            problems.append(error(path, line, f"协商计划第 {index + 1} 项应为映射（id、topic、form、lead、when）"))
            continue
        item, found = read_fields(entry, CONSULTATION_FIELDS, path, start_line=line)
        problems += found
        if found:
            continue
        if item["id"] in ids:
            problems.append(error(path, entry.line_of("id"), f"协商计划 id “{item['id']}”重复（第 {ids[item['id']]} 行已有）"))
            continue
        ids[item["id"]] = entry.line_of("id")
        items.append(Consultation(**item, line=line))
    if values.get("year") is None or values.get("title") is None:
        return None, problems
    plan = record_from(
        Plan, {**values, "consultations": tuple(items)},
        body=source.body,
        body_line=source.body_line,
        files=body_files(source, problems),
        source=Source(path, 1),
    )
    return plan, problems


# -- pages and print -------------------------------------------------------------------
def plan_page(corpus, plan: Plan, context) -> Page:
    here = src(plan)
    briefing = types.get("briefing")
    rows = []
    for c in plan.consultations:
        reports = [
            (f"{b.year}年第{b.number}期", rel(here, briefing.src(b)), cn_date(b.date))
            for b in context.kb.reported.get((plan.year, c.id), [])
        ]
        rows.append({"item": c, "anchor": consultation_anchor(c.id), "reports": reports})
    text = render(
        "plan.md.j2",
        plan=plan,
        rows=rows,
        reported=sum(1 for row in rows if row["reports"]),
        briefing_title=corpus.site.briefing.title,
        pdf=pdf_link(here, TYPE.pdf(plan) if context.pdf else None),
        body=context.kb.link(plan.body, here),
        backlinks=context.kb.backlinks(here, TYPE.page_key(plan)),
    )
    return Page(here, plan.title, text, page_meta(TYPE.label, plan.year))


# a month or a day as an editor types it: 2019-06, 2019-6, 2019/6/15, 2019.06.15
_WRITTEN_DATE = re.compile(r"(\d{4})([-/.])(\d{1,2})(?:\2(\d{1,2}))?")


def printed_when(when: str | None) -> str:
    """A consultation's time on paper: 2019-06 (or 2019/6) as 2019年6月, a day likewise as
    2019年6月15日; words such as 二季度, and dates that do not exist, as written."""
    match = _WRITTEN_DATE.fullmatch((when or "").strip())
    if not match:
        return when or ""
    try:
        day = dt.date(int(match[1]), int(match[3]), int(match[4] or 1))  # raises for a date that does not exist
    except ValueError:
        return when
    return cn_date(day) if match[4] else f"{day.year}年{day.month}月"


def print_job(plan: Plan, printing: documents.Printing) -> documents.PrintJob:
    """The plan's text, and its 协商计划 as the attached table (附件) at the end."""
    text = documents.text_nodes
    attachment = None
    if plan.consultations:
        table = {
            "t": "table",
            "head": [text(h) for h in ("序号", "协商议题", "协商形式", "牵头单位", "时间")],
            "rows": [
                [text(str(i)), text(c.topic), text(c.form), text(c.lead or ""), text(printed_when(c.when))]
                for i, c in enumerate(plan.consultations, start=1)
            ],
            "align": ["center", "left", "center", "left", "center"],
            "widths": [0.7, 2.6, 1.5, 1.4, 1.9],  # the topic takes the room, a full date fits
        }
        attachment = {"title": f"{plan.year}年协商计划", "table": table}
    return printing.official(TYPE.pdf(plan), plan.source.path, plan.title, plan.body, attachment=attachment)


def _month(when: str | None) -> bool:
    """A consultation's `when` that is a month (2019-06), so the 大事记 can place it."""
    when = when or ""
    return len(when) == 7 and digits(when[:4]) and when[4] == "-" and digits(when[5:]) and 1 <= int(when[5:]) <= 12


class PlanType(ContentType):
    key = "plan"
    aliases = ("计划",)
    folder = "plans"
    label = "计划"
    print_name = "年度工作要点"
    attribute = "plans"
    order = 40
    fields = FIELDS
    overview_order = 1
    scaffolds = (Scaffold("plan", "工作要点", "年份", new_yearly("plans", "new_plan.md.j2")),)

    def load(self, root, folder):
        return load_plans(root, folder)

    def src(self, record):
        return src(record)

    def consultation_src(self, plan: Plan, consultation: Consultation) -> str:
        return f"{src(plan)}#{consultation_anchor(consultation.id)}"

    def page_key(self, record):
        return f"{self.key}:{record.year}"

    def pdf(self, record):
        return f"plans/{record.year}.pdf"

    def describe(self, site):
        return "年度工作要点"

    def targets(self, record, site):
        yield from super().targets(record, site)
        page = self.page_key(record)
        for c in record.consultations:
            yield Target(f"{page}#{c.id}", self.consultation_src(record, c), f"《{record.title}》协商计划“{c.topic}”", page, c.topic)

    def pages(self, corpus, context):
        index = year_index(self.index_src, "年度工作要点", self.label, [(p.year, p.title, src(p)) for p in corpus.plans])
        return [index, *(plan_page(corpus, plan, context) for plan in corpus.plans)]

    def nav(self, corpus):
        return {self.label: [self.index_src, *({f"{p.year}年": src(p)} for p in reversed(corpus.plans))]}

    def home(self, corpus):
        # The card shows the latest report too: a year's plan and its report are read together.
        plan = corpus.plans[-1] if corpus.plans else None
        report_type = next((t for t in types.REGISTRY if t.key == "report"), None)
        reports = corpus.of(report_type) if report_type else []
        return render(
            "plan_home.md.j2",
            plan={"plan": plan, "link": src(plan)} if plan else None,
            report={"title": reports[-1].title, "link": report_type.src(reports[-1])} if reports else None,
            index=self.index_src,
            reports=report_type.index_src if report_type else None,
        )

    def events(self, record):
        for c in record.consultations:
            if _month(c.when):
                yield Event(c.when, f"{c.form}：{c.topic}", self.consultation_src(record, c), self.label)

    def dates(self, record):
        return [dt.date(record.year, 1, 1)]

    def figures(self, corpus, reported):
        years = {
            p.year: [len(p.consultations), sum(1 for c in p.consultations if reported.get((p.year, c.id)))]
            for p in corpus.plans
        }
        counted = [(y, n, r) for y, (n, r) in sorted(years.items()) if n]
        overview = ["协商计划（已报道 / 总数）："] + [f"  {y}年  {r} / {n}" for y, n, r in counted]
        if not counted:
            overview.append("  无")
        return Figures(
            totals=[("协商计划", f"{sum(n for n, _ in years.values())} 项"), ("已报道", f"{sum(r for _, r in years.values())} 项")],
            year_columns=["协商计划", "已报道"],
            years=years,
            charts=[("reported", "各年已报道的协商计划项数", [(f"{y}年", r) for y, n, r in counted])],
            overview=overview,
        )

    def print_job(self, record, printing):
        return print_job(record, printing)


TYPE = PlanType()
