"""content/plans/<YYYY>.md and content/reports/<YYYY>.md -> Plan, Report."""
from __future__ import annotations

from pathlib import Path

from generator.diagnostics import Diagnostic, error
from generator.fields import Field, FieldProblem, choice, digits, integer, read_fields, slug, text
from generator.frontmatter import YamlMap, read_markdown
from generator.load.common import body_files, DRAFT, INTERNAL, check_name_matches, markdown_files, relative
from generator.model import CONSULTATION_FORM_ALIASES, CONSULTATION_FORMS, Consultation, Plan, Report, Source

CONSULTATION_FIELDS = [
    Field("id", slug, required=True),
    Field("topic", text, required=True),
    Field("form", choice(CONSULTATION_FORMS, CONSULTATION_FORM_ALIASES), required=True),
    Field("lead", text),
    Field("when", text),
]


def consultations(value) -> list:
    if not isinstance(value, list):
        raise FieldProblem("应为列表，每项含 id、topic、form 等")
    return value  # items are validated one by one in load_plan, with their own lines


PLAN_FIELDS = [
    Field("year", integer(1000), required=True),
    Field("title", text, required=True),
    Field("consultations", consultations, default=[]),
    DRAFT,
    INTERNAL,
]

REPORT_FIELDS = [
    Field("year", integer(1000), required=True),
    Field("title", text, required=True),
    DRAFT,
    INTERNAL,
]


def _year_files(root: Path, folder: Path, what: str):
    for file in markdown_files(folder):
        if not (digits(file.stem) and len(file.stem) == 4):
            yield file, None, [error(relative(root, file), 0, f"{what}文件名应为四位年份（如 2019.md），而不是“{file.name}”")]
        else:
            yield file, int(file.stem), []


def load_plans(root: Path, folder: Path) -> tuple[list[Plan], list[Diagnostic]]:
    plans, problems = [], []
    for file, year, found in _year_files(root, folder, "年度工作要点"):
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
    values, found = read_fields(source.meta, PLAN_FIELDS, path)
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
        items.append(Consultation(item["id"], item["topic"], item["form"], item["lead"], item["when"], line))
    if values.get("year") is None or values.get("title") is None:
        return None, problems
    plan = Plan(
        year=values["year"],
        title=values["title"],
        consultations=tuple(items),
        draft=values["draft"] or False,
        internal=values["internal"] or False,
        body=source.body,
        body_line=source.body_line,
        files=body_files(source, problems),
        source=Source(path, 1),
    )
    return plan, problems


def load_reports(root: Path, folder: Path) -> tuple[list[Report], list[Diagnostic]]:
    reports, problems = [], []
    for file, year, found in _year_files(root, folder, "常委会工作报告"):
        problems += found
        path = relative(root, file)
        source, found = read_markdown(file, path)
        problems += found
        if source is None:
            continue
        values, found = read_fields(source.meta, REPORT_FIELDS, path)
        problems += found
        problems += check_name_matches(source.meta, "year", values.get("year"), year, path, f"文件名 {file.name} ")
        if values.get("year") is None or values.get("title") is None:
            continue
        reports.append(
            Report(
                year=values["year"],
                title=values["title"],
                draft=values["draft"] or False,
                internal=values["internal"] or False,
                body=source.body,
                body_line=source.body_line,
                files=body_files(source, problems),
                source=Source(path, 1),
            )
        )
    return sorted(reports, key=lambda r: r.year), problems
