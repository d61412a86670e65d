"""A content type defined only here: 通知 (a notice with a title, a date and a body).

It proves that a type is one module: registered in the test, it must show up everywhere
the built-in types do, with no change to the generator.
"""
from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass
from pathlib import Path

from generator.fields import Field, iso_date, read_fields, text
from generator.frontmatter import read_markdown
from generator.load.common import SLUG, body_files, markdown_files, relative
from generator.markdown import escape
from generator.model import FileRef, Source
from generator.output import write_new_file
from generator.pages.common import Page, page_meta, pdf_link, rel
from generator.presentation import cn_date
from generator.print.documents import OFFICIAL_TEXT, PrintJob
from generator.types.base import (
    COMMON_FIELDS, ContentType, Event, Scaffold, ScaffoldProblem, record_from,
)

TEMPLATE = Path(__file__).with_name("notice.typ")


@dataclass(frozen=True)
class Notice:
    slug: str
    title: str
    date: dt.date | None
    draft: bool
    body: str
    body_line: int
    files: tuple[FileRef, ...]
    source: Source
    internal: bool = False


FIELDS = [Field("title", text, required=True), Field("date", iso_date, required=True), *COMMON_FIELDS]


def src(notice: Notice) -> str:
    return f"notices/{notice.slug}.md"


def new_notice(root: Path, name: str | None, options) -> Path:
    if not name or not SLUG.match(name):
        raise ScaffoldProblem(f"通知的英文短名应只含小写字母、数字和连字符，而不是“{name}”")
    path = root / "content" / "notices" / f"{name}.md"
    write_new_file(path, f"---\ntitle: 通知标题\ndate: {dt.date.today().isoformat()}\n---\n\n正文。\n")
    return path


class NoticeType(ContentType):
    key = "notice"
    aliases = ("通知",)
    folder = "notices"
    label = "通知"
    print_name = "通知"
    attribute = "notices"
    fields = FIELDS
    scaffolds = (Scaffold("notice", "通知", "英文短名", new_notice),)

    def load(self, root, folder):
        records, problems = [], []
        for file in markdown_files(folder):
            path = relative(root, file)
            source, found = read_markdown(file, path)
            problems += found
            if source is None:
                continue
            values, found = read_fields(source.meta, FIELDS, path)
            problems += found
            if values["title"] is None:
                continue
            files = body_files(source, problems)
            records.append(
                record_from(Notice, values, slug=file.stem, body=source.body, body_line=source.body_line, files=files, source=Source(path))
            )
        return records, problems

    def src(self, record):
        return src(record)

    def page_key(self, record):
        return f"{self.key}:{record.slug}"

    def pdf(self, record):
        return f"notices/{record.slug}.pdf"

    def describe(self, site):
        return "通知"

    def pages(self, corpus, context):
        here = "notices/index.md"
        items = "\n".join(f"- [{escape(n.title)}]({rel(here, src(n))})" for n in corpus.notices)
        pages = [Page(here, "通知", f"# 通知\n\n{items}\n", page_meta(self.label))]
        for n in corpus.notices:
            body = "\n\n".join(
                part
                for part in (
                    f"# {escape(n.title)}",
                    cn_date(n.date),
                    pdf_link(src(n), self.pdf(n) if context.pdf else None),
                    context.kb.link(n.body, src(n)),
                    context.kb.backlinks(src(n), self.page_key(n)),
                )
                if part
            )
            pages.append(Page(src(n), n.title, body + "\n", page_meta(self.label, n.date.year if n.date else None)))
        return pages

    def nav(self, corpus):
        return {self.label: ["notices/index.md"]}

    def events(self, record):
        if record.date:
            yield Event(record.date.isoformat(), record.title, src(record), self.label)

    def dates(self, record):
        return [record.date] if record.date else []

    def print_job(self, record, printing):
        placer = printing.images(OFFICIAL_TEXT)
        data = {
            "fonts": printing.fonts,
            "title": record.title,
            "date": cn_date(record.date),
            "blocks": printing.blocks(placer, record.body, posixpath.dirname(record.source.path)),
        }
        return PrintJob(self.pdf(record), TEMPLATE, data, [record.source.path], placer.files)


TYPE = NoticeType()
