"""简报: content/briefings/<YYYY>/<NN>.md, one issue per file, its articles under `## ` headings.

Pages: the collection index, one index per year, one page per issue (anchor #article-N per
article).  Print: the GB/T 9704 layout with 报头 and 版记 (print/templates/briefing.typ).
"""
from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from generator import tracking
from generator.bodyscan import lines_outside_code
from generator.diagnostics import Diagnostic, error, warning
from generator.fields import Field, choice, digits, integer, iso_date, read_fields, tag_list, text_list
from generator.frontmatter import read_markdown
from generator.load.common import body_files, check_name_matches, distribution, entries, markdown_files, number_in_name, relative
from generator.model import DISTRIBUTION_LINES, FileRef, Site, Source
from generator.output import write_new_file
from generator.pages.common import Page, page_meta, pdf_link, rel, render
from generator.presentation import cn_date
from generator.print import documents
from generator.published import heading_text
from generator.types.base import COMMON_FIELDS, Body, ContentType, Event, Figures, Scaffold, Tagged, Target, record_from

KINDS = ("正刊", "增刊", "专刊")
MAX_ISSUES = 999  # issues in one year: a larger number is a date or a total typed in the wrong place
DEFAULT_TITLE = "政协工作简报"  # when site.yml could not be read


@dataclass(frozen=True)
class BriefingArticle:
    index: int  # 1-based order in the issue; anchor #article-N
    title: str
    body: str  # Markdown after the heading
    line: int

    @property
    def anchor(self) -> str:
        return f"article-{self.index}"


@dataclass(frozen=True)
class Briefing:
    year: int
    number: int
    date: dt.date | None  # None only when the date had an error (and then no pages are made)
    total: int | None
    kind: str
    tags: tuple[str, ...]
    distribution: dict[str, tuple[str, ...]]  # only the lines this issue overrides
    copies: int | None
    draft: bool
    editor_note: str  # Markdown, without the leading "> "
    editor_note_line: int  # file line of the note's first line
    articles: tuple[BriefingArticle, ...]
    plans: tuple[str, ...]  # consultation items this issue reports on: "id" (same year) or "YYYY#id"
    plans_line: int
    files: tuple[FileRef, ...]
    source: Source
    internal: bool = False  # 内部资料: left out of the public edition

    @property
    def key(self) -> str:
        return f"{self.year}-{self.number:02d}"

    def distribution_lines(self, site: Site) -> dict[str, tuple[str, ...]]:
        """报/送/发 as printed: each line given in the issue replaces site.yml's line."""
        merged = {**site.briefing.distribution, **self.distribution}
        return {line: merged[line] for line in DISTRIBUTION_LINES if merged.get(line)}

    def copies_or_default(self, site: Site) -> int | None:
        return self.copies if self.copies is not None else site.briefing.copies


FIELDS = [
    Field("number", integer(1, MAX_ISSUES), required=True),
    Field("date", iso_date, required=True),
    Field("total", integer(1, 100_000)),
    Field("kind", choice(KINDS), default="正刊"),
    Field("tags", tag_list, default=()),
    Field("distribution", distribution, default={}),
    Field("copies", integer(1)),
    Field("plans", text_list, default=()),
    *COMMON_FIELDS,
]

_ARTICLE = re.compile(r"^##[ \t]+(.+?)[ \t]*#*[ \t]*$")
_YEAR = re.compile(r"[0-9]{4}")  # used with fullmatch: not ２０１８, not 2018 and a newline


# -- names -------------------------------------------------------------------------
def src(briefing: Briefing) -> str:
    return f"briefings/{briefing.year}/{briefing.number:02d}.md"


def year_src(year: int) -> str:
    return f"briefings/{year}/index.md"


def issue_title(briefing_title: str, briefing: Briefing) -> str:
    return f"《{briefing_title}》{briefing.year}年第{briefing.number}期"


def number_label(briefing: Briefing) -> str:
    kind = f"（{briefing.kind}）" if briefing.kind != "正刊" else ""
    return f"第{briefing.number}期{kind}"


def title_of(site: Site | None) -> str:
    return site.briefing.title if site else DEFAULT_TITLE


# -- loading -------------------------------------------------------------------------
def load_briefings(root: Path, folder: Path) -> tuple[list[Briefing], list[Diagnostic]]:
    records: list[Briefing] = []
    problems: list[Diagnostic] = []
    for year_dir in entries(folder):
        path = relative(root, year_dir)
        if not year_dir.is_dir():
            if year_dir.suffix == ".md":
                problems.append(error(path, 0, "简报应放在以年份命名的目录中，如 content/briefings/2018/12.md"))
            continue
        if not _YEAR.fullmatch(year_dir.name):
            problems.append(error(path, 0, f"简报目录应以四位年份命名（如 2018），而不是“{year_dir.name}”"))
            continue
        for file in markdown_files(year_dir):
            record, found = load_briefing(root, file, int(year_dir.name))
            problems += found
            if record is not None:
                records.append(record)
    records.sort(key=lambda b: (b.year, b.number))
    return records, problems


def load_briefing(root: Path, file: Path, year: int) -> tuple[Briefing | None, list[Diagnostic]]:
    path = relative(root, file)
    source, problems = read_markdown(file, path)
    if source is None:
        return None, problems
    name_number, found = number_in_name(file.stem, "简报文件", path)
    problems += found
    values, found = read_fields(source.meta, FIELDS, path)
    problems += found
    problems += check_name_matches(source.meta, "number", values.get("number"), name_number, path, f"文件名 {file.name} ")
    date = values.get("date")
    if date is not None and date.year != year:
        problems.append(
            error(path, source.meta.line_of("date"), f"日期 {date.isoformat()} 不在所在目录的年份 {year} 年内")
        )
    editor_note, note_line, articles, found = split_issue(source.body, source.body_line, path)
    problems += found
    if values.get("number") is None:
        return None, problems
    record = record_from(
        Briefing, values,
        year=year,
        editor_note=editor_note,
        editor_note_line=note_line,
        articles=tuple(articles),
        plans_line=source.meta.line_of("plans"),
        files=body_files(source, problems),
        source=Source(path, 1),
    )
    return record, problems


def split_issue(body: str, first_line: int, path: str) -> tuple[str, int, list[BriefingArticle], list[Diagnostic]]:
    """Split a body into its 编者按 (a leading blockquote) and its `## ` articles."""
    lines = body.split("\n")
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    note_line = first_line + index
    note_lines = []
    while index < len(lines) and lines[index].lstrip().startswith(">"):
        note_lines.append(re.sub(r"^\s*> ?", "", lines[index]))
        index += 1
    editor_note = "\n".join(note_lines).strip()

    headings = [
        (number, heading_text(_ARTICLE.match(line).group(1)))
        for number, line in lines_outside_code(body, first_line)
        if _ARTICLE.match(line)
    ]
    problems: list[Diagnostic] = []
    if not headings:
        problems.append(error(path, first_line, "本期没有文章：每篇文章应以“## 文章标题”一行开头"))
        return editor_note, note_line, [], problems
    before = "\n".join(lines[index : headings[0][0] - first_line]).strip()
    if before:
        problems.append(
            error(path, first_line + index, "编者按之后、第一篇文章标题（## ）之前的文字不属于任何文章，请为它加上标题")
        )
    articles = []
    for order, (line, title) in enumerate(headings, start=1):
        start = line - first_line + 1
        end = headings[order][0] - first_line if order < len(headings) else len(lines)
        # the body keeps its leading blank lines, so its line N is file line `line + N`
        articles.append(BriefingArticle(order, title, "\n".join(lines[start:end]).rstrip("\n"), line))
    return editor_note, note_line, articles, problems


def check_numbers(briefings: list[Briefing]) -> list[Diagnostic]:
    """Each year's numbers once each and without gaps; totals once each."""
    problems = []
    by_year = defaultdict(list)
    for briefing in briefings:
        by_year[briefing.year].append(briefing)
    for year, issues in sorted(by_year.items()):
        by_number = defaultdict(list)
        for briefing in issues:
            by_number[briefing.number].append(briefing)
        for number, same in sorted(by_number.items()):
            for briefing in same:
                for other in same:
                    if other is not briefing:
                        problems.append(
                            error(briefing.source.path, 1, f"{year}年第{number}期重复：{other.source.path} 也是第{number}期")
                        )
        numbers = sorted(by_number)
        missing = [n for n in range(1, numbers[-1] + 1) if n not in by_number]
        if missing:
            listed = "、".join(f"第{n}期" for n in missing[:10]) + (f"等 {len(missing)} 期" if len(missing) > 10 else "")
            first_after = by_number[next(n for n in numbers if n > missing[0])][0]
            problems.append(warning(first_after.source.path, 1, f"{year}年的期号不连续，缺少{listed}"))
    by_total = defaultdict(list)
    for briefing in briefings:
        if briefing.total is not None:
            by_total[briefing.total].append(briefing)
    for total, same in by_total.items():
        for briefing in same[1:]:
            problems.append(error(briefing.source.path, 1, f"总第{total}期与 {same[0].source.path} 重复"))
    return problems


# -- pages -------------------------------------------------------------------------
def _rows(from_src: str, issues: list[Briefing]) -> list[dict]:
    return [
        {
            "briefing": b,
            "label": number_label(b),
            "link": rel(from_src, src(b)),
            "articles": [(a.title, rel(from_src, f"{src(b)}#{a.anchor}")) for a in b.articles],
        }
        for b in sorted(issues, key=lambda b: b.number, reverse=True)
    ]


def index_page(title: str, by_year: dict[int, list[Briefing]]) -> Page:
    here = TYPE.index_src
    years = [
        {"year": year, "count": len(issues), "link": rel(here, year_src(year))}
        for year, issues in sorted(by_year.items(), reverse=True)
    ]
    latest = sorted((b for issues in by_year.values() for b in issues), key=lambda b: (b.year, b.number))[-10:]
    text = render("briefings_index.md.j2", title=title, years=years, rows=_rows(here, latest))
    return Page(here, title, text, page_meta(TYPE.label))


def year_page(title: str, year: int, issues: list[Briefing]) -> Page:
    here = year_src(year)
    text = render("briefings_year.md.j2", title=title, year=year, rows=_rows(here, issues))
    return Page(here, f"{title} {year}年", text, page_meta(TYPE.label, year))


def issue_page(corpus, briefing: Briefing, previous: Briefing | None, following: Briefing | None, context) -> Page:
    here = src(briefing)
    site, kb = corpus.site, context.kb
    title = issue_title(site.briefing.title, briefing)
    neighbours = [
        (label, issue_title(site.briefing.title, other), rel(here, src(other)))
        for label, other in (("上一期", previous), ("下一期", following))
        if other is not None
    ]
    text = render(
        "briefing.md.j2",
        title=title,
        briefing=briefing,
        label=number_label(briefing),
        site=site,
        neighbours=neighbours,
        index_link=rel(here, year_src(briefing.year)),
        pdf=pdf_link(here, TYPE.pdf(briefing) if context.pdf else None),
        editor_note=kb.link(briefing.editor_note, here),
        bodies=[kb.link(article.body, here) for article in briefing.articles],
        plan_items=[(topic, rel(here, target)) for topic, target in tracking.items_reported(corpus, briefing)],
        backlinks=kb.backlinks(here, TYPE.page_key(briefing)),
        related=kb.related(here, briefing.tags),
    )
    return Page(here, title, text, page_meta(TYPE.label, briefing.year, briefing.tags))


# -- print -------------------------------------------------------------------------
def print_job(briefing: Briefing, printing: documents.Printing) -> documents.PrintJob:
    site = printing.site
    placer = printing.images(documents.OFFICIAL_TEXT)
    base = posixpath.dirname(briefing.source.path)
    number = number_label(briefing) + (f"　总第{briefing.total}期" if briefing.total else "")
    lines = [{"label": label, "names": list(names)} for label, names in briefing.distribution_lines(site).items()]
    data = {
        "meta": {
            "title": issue_title(site.briefing.title, briefing),
            "author": site.office,
            "date": briefing.date.isoformat() if briefing.date else None,
        },
        "fonts": printing.fonts,
        "masthead": {
            "title": site.briefing.title,
            "number": number,
            "office": site.office,
            "date": cn_date(briefing.date),
            "marking": site.briefing.internal_mark if briefing.internal else None,
        },
        "editor_note": printing.official_blocks(placer, briefing.editor_note, base),
        "articles": [
            {"title": documents.text_nodes(article.title), "blocks": printing.official_blocks(placer, article.body, base)}
            for article in briefing.articles
        ],
        "footer_block": {"lines": lines, "copies": briefing.copies_or_default(site), "office": site.office},
    }
    return documents.PrintJob(TYPE.pdf(briefing), "briefing.typ", data, [briefing.source.path], placer.files)


# -- zhengxie new ----------------------------------------------------------------------
def _numbers_on_disk(root: Path, year: int) -> set[int]:
    """Numbers taken by file names too, so a file that fails to load still counts."""
    folder = root / "content" / "briefings" / str(year)
    return {int(p.stem) for p in folder.glob("*.md") if digits(p.stem)} if folder.is_dir() else set()


def next_briefing(root: Path, date: dt.date) -> tuple[Path, dict]:
    """Where the next issue of `date`'s year goes, and the `new_briefing.md.j2` context for it
    (shared with `zhengxie import`)."""
    from generator.load import load_corpus

    corpus, _ = load_corpus(root)
    year = date.year
    taken = {b.number for b in corpus.briefings if b.year == year} | _numbers_on_disk(root, year)
    number = max(taken, default=0) + 1
    earlier = [b for b in corpus.briefings if (b.year, b.number) < (year, number)]
    previous = max(earlier, key=lambda b: (b.year, b.number), default=None)
    total = previous.total + 1 if previous is not None and previous.total is not None else None
    if total in {b.total for b in corpus.briefings}:
        total = None  # an issue added to a past year: the next total is taken, the editor decides
    site = corpus.site
    context = dict(
        number=number,
        date=date.isoformat(),
        year=year,
        total=total,
        title=title_of(site),
        office=site.office if site else "",  # not in the template: `zhengxie import` knows the masthead by it
        distribution=site.briefing.distribution if site else {},
        copies=site.briefing.copies if site else None,
    )
    return root / "content" / "briefings" / str(year) / f"{number:02d}.md", context


def new_briefing(root: Path, name: str | None, options) -> Path:
    """Create the next issue of the date's year (today by default)."""
    path, context = next_briefing(root, getattr(options, "date", None) or dt.date.today())
    write_new_file(path, render("new_briefing.md.j2", **context))
    return path


# -- the type ------------------------------------------------------------------------
class BriefingType(ContentType):
    key = "briefing"
    aliases = ("简报",)
    folder = "briefings"
    label = "简报"
    print_name = "简报"
    attribute = "briefings"
    order = 10
    fields = FIELDS
    overview_order = 0
    scaffolds = (Scaffold("briefing", "简报", None, new_briefing),)

    def load(self, root, folder):
        return load_briefings(root, folder)

    def check(self, corpus):
        return check_numbers(corpus.briefings) + tracking.check_plan_links(corpus)

    def src(self, record):
        return src(record)

    def page_key(self, record):
        return f"{self.key}:{record.year}-{record.number:02d}"

    def pdf(self, record):
        return f"briefings/{record.year}/{record.number:02d}.pdf"

    def describe(self, site):
        return f"《{title_of(site)}》"

    def targets(self, record, site):
        page, issue = self.page_key(record), issue_title(title_of(site), record)
        yield Target(page, src(record), issue, page, "")
        for a in record.articles:
            yield Target(f"{page}#{a.index}", f"{src(record)}#{a.anchor}", f"{issue}《{a.title}》", page, a.title)

    def bodies(self, record, site):
        here, title = src(record), issue_title(title_of(site), record)
        yield Body(record.source.path, record.editor_note_line, record.editor_note, here, title)
        for a in record.articles:
            yield Body(record.source.path, a.line + 1, a.body, f"{here}#{a.anchor}", f"{title}《{a.title}》")

    def canonical(self, target, part):
        match = re.fullmatch(r"([0-9]{4})-([0-9]{1,3})", target)
        target = f"{match[1]}-{int(match[2]):02d}" if match else target
        return target, (str(int(part)) if part and digits(part) else part)

    def pages(self, corpus, context):
        title = corpus.site.briefing.title
        by_year: dict[int, list[Briefing]] = defaultdict(list)
        for briefing in corpus.briefings:
            by_year[briefing.year].append(briefing)
        result = [index_page(title, by_year)]
        for year, issues in sorted(by_year.items()):
            result.append(year_page(title, year, issues))
        ordered = corpus.briefings  # sorted by (year, number) by the loader
        for position, briefing in enumerate(ordered):
            previous = ordered[position - 1] if position > 0 else None
            following = ordered[position + 1] if position + 1 < len(ordered) else None
            result.append(issue_page(corpus, briefing, previous, following, context))
        return result

    def nav(self, corpus):
        years = sorted({b.year for b in corpus.briefings}, reverse=True)
        return {self.label: [self.index_src, *({f"{y}年": year_src(y)} for y in years)]}

    def home(self, corpus):
        latest = [
            {"title": issue_title(corpus.site.briefing.title, b), "link": src(b), "date": b.date}
            for b in reversed(corpus.briefings[-LATEST_ON_HOME:])
        ]
        return render("briefing_home.md.j2", latest=latest, index=self.index_src)

    def events(self, record):
        if record.date is not None:
            for a in record.articles:
                yield Event(record.date.isoformat(), a.title, f"{src(record)}#{a.anchor}", self.label)

    def tagged(self, record, site):
        if record.tags and record.date:
            yield Tagged(src(record), issue_title(title_of(site), record), record.tags, record.date.isoformat())

    def dates(self, record):
        return [record.date] if record.date else []

    def figures(self, corpus, reported):
        years: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        year_tags: dict[int, Counter] = defaultdict(Counter)
        for b in corpus.briefings:
            years[b.year][0] += 1
            years[b.year][1] += len(b.articles)
            year_tags[b.year].update(b.tags)
        drafts = sum(b.draft for b in corpus.briefings)
        overview = ["简报（期数 / 文章篇数）："]
        overview += [f"  {y}年  {n} 期 / {a} 篇" for y, (n, a) in sorted(years.items())]
        overview.append(f"  合计 {len(corpus.briefings)} 期" + (f"（其中草稿 {drafts} 期）" if drafts else ""))
        ordered = sorted(years.items())
        return Figures(
            totals=[("简报期数", str(len(corpus.briefings))), ("简报文章", str(sum(a for _, a in years.values())))],
            year_columns=["简报期数", "文章篇数"],
            years=dict(years),
            year_tags=dict(year_tags),
            tags=Counter(tag for b in corpus.briefings for tag in b.tags),
            charts=[
                ("briefings", "各年简报期数", [(f"{y}年", n) for y, (n, _) in ordered]),
                ("articles", "各年简报文章篇数", [(f"{y}年", a) for y, (_, a) in ordered]),
            ],
            overview=overview,
        )

    def print_job(self, record, printing):
        return print_job(record, printing)


LATEST_ON_HOME = 5
TYPE = BriefingType()
