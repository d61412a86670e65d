"""What a content type declares, and the small records the pipeline gets from each one.

A type is a subclass of `ContentType` registered in `generator.types`; everything else
(loading, drafts and the public edition, references, nav, search, print, 大事记, `new`,
statistics, home) asks the registry.  Only the type's module knows its records' fields.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from generator.diagnostics import Diagnostic
from generator.fields import Field, boolean


@dataclass(frozen=True)
class Body:
    """A Markdown body of a record, as references and citations see it."""

    path: str  # the source file
    line: int  # file line of the body's first line
    text: str
    src: str  # the page (with anchor where it has one) the body is shown on
    title: str  # that page's title, as a citation of it reads


@dataclass(frozen=True)
class Target:
    """Something a `[[kind:target#part]]` reference can point at."""

    key: str  # canonical, e.g. briefing:2018-12#2
    src: str | None  # page source with anchor, e.g. briefings/2018/12.md#article-2; None: left out
    citation: str  # the text a reference shows by default
    page_key: str  # the key of the page the target is on (for backlinks)
    label: str  # what part of that page it is ("" for the page itself), e.g. 第五条


@dataclass(frozen=True)
class Event:
    """A dated line of the 大事记."""

    when: str  # ISO date or month, sorts in time order: 2019-06-15, 2019-06
    text: str  # plain text
    src: str  # the page (and anchor) it comes from
    kind: str  # the type's label: 简报 文史 制度 计划 …

    @property
    def year(self) -> int:
        return int(self.when[:4])


@dataclass(frozen=True)
class Tagged:
    """A tagged page, for 相关阅读."""

    src: str
    title: str
    tags: tuple[str, ...]
    sort: str  # newer pages sort higher


@dataclass
class Figures:
    """A type's part of the statistics page and of `zhengxie stats`."""

    totals: list[tuple[str, str]] = field(default_factory=list)  # (column, cell) of the 总览 table
    year_columns: list[str] = field(default_factory=list)  # its columns of the 各年 table
    years: dict[int, list[int]] = field(default_factory=dict)  # year -> one count per column
    year_tags: dict[int, Counter] = field(default_factory=dict)  # year -> tags used that year
    charts: list[tuple[str, str, list[tuple[str, int]]]] = field(default_factory=list)  # (anchor, title, rows)
    tags: Counter = field(default_factory=Counter)  # every tag its records use, for the tags chart
    overview: list[str] = field(default_factory=list)  # lines of `zhengxie stats`


class ScaffoldProblem(Exception):
    """A reason `zhengxie new` cannot create the file (Chinese message)."""


@dataclass(frozen=True)
class Scaffold:
    """One `zhengxie new` kind a type offers."""

    kind: str  # the command's word, e.g. wenshi-article
    help: str  # what it makes, e.g. 文史文章
    needs: str | None  # what the name argument is (e.g. 辑号), None when it takes none
    create: Callable[[Path, str | None, Any], Path]  # (root, name, parsed options) -> the new file


class ContentType:
    """A content type: override what differs; the defaults fit a type of one file per record."""

    key: str  # in references ([[briefing:…]]) and the registry
    aliases: tuple[str, ...] = ()  # other words for the key in references, e.g. 简报
    folder: str  # under content/, and the pages' folder on the site
    label: str  # the collection: nav, search filter, 大事记
    print_name: str = ""  # what a PDF of it is called in messages (年度工作要点); "" when none is printed
    attribute: str  # Corpus attribute holding the records, e.g. briefings
    fields: list[Field] = []  # front-matter fields; the record is built from their values
    order: int = 100  # its place in the nav, the search filters and `zhengxie new`
    overview_order: int = 100  # where its card and its figures stand on the home and statistics pages
    scaffolds: tuple["Scaffold", ...] = ()  # the kinds of `zhengxie new` it offers

    # -- loading and checking ------------------------------------------------------
    def load(self, root: Path, folder: Path) -> tuple[list, list[Diagnostic]]:
        raise NotImplementedError

    def check(self, corpus) -> list[Diagnostic]:
        """Rules across records (numbering, links between them)."""
        return []

    def parts(self, record) -> Iterable:
        """The records with a body and files of their own (a volume's 序, 后记, articles)."""
        yield record

    def split(self, records: list, leave_out: Callable) -> tuple[list, list]:
        """(kept, left out) for drafts or internal items."""
        return [r for r in records if not leave_out(r)], [r for r in records if leave_out(r)]

    def sources(self, record) -> list[str]:
        """The content files a record is made of."""
        return [part.source.path for part in self.parts(record)]

    # -- names -----------------------------------------------------------------------
    @property
    def index_src(self) -> str:
        """The type's index page (the collection's first page in the nav)."""
        return f"{self.folder}/index.md"

    def src(self, record) -> str:
        """The record's page source, e.g. rules/kaoping.md."""
        raise NotImplementedError

    def page_key(self, record) -> str:
        """The reference key of the record's page, e.g. rule:kaoping."""
        raise NotImplementedError

    def pdf(self, record) -> str | None:
        """The PDF under pdf/, or None when the record has none."""
        return None

    def describe(self, site) -> str:
        """The collection as the home page's first sentence names it."""
        return self.label

    # -- references ------------------------------------------------------------------
    def targets(self, record, site) -> Iterable[Target]:
        """What references may point at; by default the record's page, cited by its title in 《》."""
        key = self.page_key(record)
        yield Target(key, self.src(record), f"《{record.title}》", key, "")

    def bodies(self, record, site) -> Iterable[Body]:
        """Its Markdown bodies; by default the record's own, shown on its page."""
        yield Body(record.source.path, record.body_line, record.body, self.src(record), f"《{record.title}》")

    def canonical(self, target: str, part: str | None) -> tuple[str, str | None]:
        """A reference's target and part as its key writes them (numbers normalised)."""
        return target, part

    def written(self, part: str) -> str:
        """A key's part as an editor writes it in a reference."""
        return part

    # -- what the site and the print make of it ------------------------------------------
    def pages(self, corpus, context: "PageContext") -> list:
        """Its pages (pages.common.Page), the index first."""
        raise NotImplementedError

    def nav(self, corpus) -> dict | None:
        """Its entry in the nav: {label: [index page, {year or part: page} …]}."""
        return None

    def home(self, corpus) -> str | None:
        """The type's card on the home page (Markdown), or None."""
        return None

    def home_link(self) -> tuple[str, str] | None:
        """(text, page) in the home page's quick links, for a type without a card."""
        return self.label, self.index_src

    def events(self, record) -> Iterable[Event]:
        return ()

    def tagged(self, record, site) -> Iterable[Tagged]:
        return ()

    def dates(self, record) -> Iterable[dt.date]:
        """The dates it carries (the sitemap is dated by the latest of all)."""
        return ()

    def figures(self, corpus, reported) -> Figures | None:
        return None

    def print_job(self, record, printing):
        """The record's print job (print.documents.PrintJob), or None."""
        return None


@dataclass
class PageContext:
    """What a type's pages are made with."""

    pdf: bool  # pages link to their PDFs
    kb: Any  # pages.knowledge.Knowledge: links, backlinks, related reading


def record_from(cls, values: dict, **given):
    """A record built from its fields' values (read_fields) and what the loader knows besides."""
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: v for k, v in values.items() if k in names}, **given)


COMMON_FIELDS = [
    Field("draft", boolean, default=False),
    Field("internal", boolean, default=False),  # 内部资料: left out of `build --public`
]


def new_yearly(folder: str, template: str) -> Callable[[Path, str | None, Any], Path]:
    """`zhengxie new` for a type of one file per year (content/<folder>/<YYYY>.md)."""

    def create(root: Path, name: str | None, options) -> Path:
        from generator.fields import digits
        from generator.output import write_new_file
        from generator.pages.common import render

        if not (digits(name) and len(name) == 4):
            raise ScaffoldProblem(f"年份应为四位数字，如 2020，而不是“{name}”")
        path = root / "content" / folder / f"{name}.md"
        write_new_file(path, render(template, year=int(name)))
        return path

    return create
