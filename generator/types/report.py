"""常委会工作报告: content/reports/<YYYY>.md, one report per year.

Pages: an index of years and one page per report (the home page shows the latest on the
plan's card).  Print: the official-document layout.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic
from generator.fields import Field, integer, read_fields, text
from generator.frontmatter import read_markdown
from generator.load.common import body_files, check_name_matches, relative, year_files
from generator.model import FileRef, Source
from generator.pages.common import Page, page_meta, pdf_link, render, year_index
from generator.types.base import COMMON_FIELDS, ContentType, Scaffold, new_yearly, record_from


@dataclass(frozen=True)
class Report:
    year: int
    title: str
    draft: bool
    body: str
    body_line: int
    files: tuple[FileRef, ...]
    source: Source
    internal: bool = False  # 内部资料: left out of the public edition


FIELDS = [
    Field("year", integer(1000), required=True),
    Field("title", text, required=True),
    *COMMON_FIELDS,
]


def src(report: Report) -> str:
    return f"reports/{report.year}.md"


def load_reports(root: Path, folder: Path) -> tuple[list[Report], list[Diagnostic]]:
    reports, problems = [], []
    for file, year, found in year_files(root, folder, "常委会工作报告"):
        problems += found
        path = relative(root, file)
        source, found = read_markdown(file, path)
        problems += found
        if source is None:
            continue
        values, found = read_fields(source.meta, FIELDS, path)
        problems += found
        problems += check_name_matches(source.meta, "year", values.get("year"), year, path, f"文件名 {file.name} ")
        if values.get("year") is None or values.get("title") is None:
            continue
        reports.append(
            record_from(
                Report, values,
                body=source.body,
                body_line=source.body_line,
                files=body_files(source, problems),
                source=Source(path, 1),
            )
        )
    return sorted(reports, key=lambda r: r.year), problems


class ReportType(ContentType):
    key = "report"
    aliases = ("报告",)
    folder = "reports"
    label = "报告"
    print_name = "工作报告"
    attribute = "reports"
    order = 50
    fields = FIELDS
    scaffolds = (Scaffold("report", "工作报告", "年份", new_yearly("reports", "new_report.md.j2")),)

    def load(self, root, folder):
        return load_reports(root, folder)

    def src(self, record):
        return src(record)

    def page_key(self, record):
        return f"{self.key}:{record.year}"

    def pdf(self, record):
        return f"reports/{record.year}.pdf"

    def describe(self, site):
        return "常委会工作报告"

    def pages(self, corpus, context):
        index = year_index(self.index_src, "常委会工作报告", self.label, [(r.year, r.title, src(r)) for r in corpus.reports])
        pages = [
            Page(
                src(r),
                r.title,
                render(
                    "report.md.j2",
                    report=r,
                    pdf=pdf_link(src(r), self.pdf(r) if context.pdf else None),
                    body=context.kb.link(r.body, src(r)),
                    backlinks=context.kb.backlinks(src(r), self.page_key(r)),
                ),
                page_meta(self.label, r.year),
            )
            for r in corpus.reports
        ]
        return [index, *pages]

    def nav(self, corpus):
        return {self.label: [self.index_src, *({f"{r.year}年": src(r)} for r in reversed(corpus.reports))]}

    def home_link(self):
        return None  # the plan's card shows the latest report

    def dates(self, record):
        return [dt.date(record.year, 1, 1)]

    def print_job(self, record, printing):
        return printing.official(self.pdf(record), record.source.path, record.title, record.body)


TYPE = ReportType()
