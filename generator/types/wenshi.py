"""文史资料: content/wenshi/<NN>/ is one volume (辑): volume.yml, 序.md, 后记.md and its articles.

Pages: the series page, one page per volume (contents by 栏目), its 序, 后记 and articles.
Print: the volume as one book (print/templates/book.typ) with 目录 and 版权页.
"""
from __future__ import annotations

import difflib
import posixpath
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from generator.bodyscan import int_to_chinese
from generator.diagnostics import Diagnostic, error, warning
from generator.fields import (
    Field,
    FieldProblem,
    digits,
    integer,
    iso_date_or_month,
    read_fields,
    tag_list,
    text,
    text_list,
)
from generator.frontmatter import YamlMap, read_markdown, read_yaml_mapping
from generator.load.common import SLUG, body_files, check_name_matches, entries, markdown_files, number_in_name, relative
from generator.model import DEFAULT_PRINT, FileRef, Site, Source
from generator.output import write_new_file
from generator.pages.common import Page, page_meta, pdf_link, rel, render
from generator.presentation import cn_date
from generator.print import documents
from generator.print.tree import plain_text
from generator.types.base import COMMON_FIELDS, Body, ContentType, Event, Figures, Scaffold, ScaffoldProblem, Tagged, Target, record_from


@dataclass(frozen=True)
class Essay:
    """A volume's 序 or 后记."""

    role: str  # "preface" | "afterword"
    title: str
    author: str | None
    body: str
    body_line: int
    files: tuple[FileRef, ...]
    source: Source


@dataclass(frozen=True)
class WenshiArticle:
    volume: int
    order: int
    slug: str
    title: str
    section: str
    section_line: int
    author: str | None
    oral: str | None
    compiled_by: str | None
    tags: tuple[str, ...]
    draft: bool
    body: str
    body_line: int
    files: tuple[FileRef, ...]
    source: Source
    internal: bool = False  # 内部资料: left out of the public edition

    @property
    def stem(self) -> str:
        return f"{self.order:02d}-{self.slug}"


@dataclass(frozen=True)
class Volume:
    number: int
    series: str
    title: str | None
    published: str | None  # YYYY-MM or YYYY-MM-DD
    editors: tuple[tuple[str, tuple[str, ...]], ...]  # (role, names) in file order
    sections: tuple[str, ...]
    words: int | None  # 字数 for the 版权页 (counted from the text when not given)
    print_run: int | None  # 印数
    permit: str | None  # 准印证号
    isbn: str | None  # a book with one is a formal publication; without, an 内部资料性出版物
    printer: str | None  # 印刷单位
    format: tuple[int, int, int] | None  # 开本: full sheet (mm) and 开数, e.g. (787, 1092, 16)
    edition: int  # 版次
    impression: int  # 印次
    draft: bool
    preface: Essay | None
    afterword: Essay | None
    articles: tuple[WenshiArticle, ...]
    source: Source
    internal: bool = False  # 内部资料: left out of the public edition

    @property
    def folder(self) -> str:
        return f"{self.number:02d}"

    @property
    def essays(self) -> tuple[Essay, ...]:
        return tuple(e for e in (self.preface, self.afterword) if e is not None)


def editors(value) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise FieldProblem("应为映射：职务: 姓名 或 职务: [姓名, 姓名]")
    result = []
    for role, names in value.items():
        try:
            result.append((role, text_list(names)))
        except FieldProblem as problem:
            line = problem.line or (value.line_of(role) if isinstance(value, YamlMap) else 0)
            raise FieldProblem(f"的“{role}”{problem.message}", line) from None
    return tuple(result)


def sections(value) -> tuple[str, ...]:
    if isinstance(value, str) and re.search("[、，,；;]", value):
        listed = ", ".join(n.strip() for n in re.split("[、，,；;]", value) if n.strip())
        raise FieldProblem(f"应为列表，每个栏目一项（如 [{listed}]），而不是用顿号或逗号连成的一段文字")
    names = text_list(value)
    if not names:
        raise FieldProblem("至少应有一个栏目")
    seen = set()
    for index, name in enumerate(names):
        if name in seen:
            line = value.line_of(index) if hasattr(value, "line_of") else 0
            raise FieldProblem(f"中栏目“{name}”重复", line)
        seen.add(name)
    return names


def paper_format(value) -> tuple[int, int, int]:
    """开本 in the trade form: the full sheet and how many leaves it is cut into (787mm×1092mm 1/16)."""
    match = re.fullmatch(r"(\d{3,4})\s*(?:mm)?\s*[×xX*]\s*(\d{3,4})\s*(?:mm)?\s*1\s*/\s*(\d{1,3})", str(value).strip())
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not match or not 2 <= int(match[3]) <= 256:
        shown = f"“{value}”" if isinstance(value, (str, int)) else "一组值"
        raise FieldProblem(f"应为全张纸尺寸和开数，如 787mm×1092mm 1/16，而不是{shown}")
    return int(match[1]), int(match[2]), int(match[3])


# The usual trim sizes (mm) and the 开本 they are cut as: the full sheet and its 开数.
TRADE_FORMATS = {
    (185, 260): (787, 1092, 16), (130, 184): (787, 1092, 32),
    (210, 285): (889, 1194, 16), (142, 210): (889, 1194, 32),
    (210, 297): (880, 1230, 16), (148, 210): (880, 1230, 32),
    (140, 203): (850, 1168, 32),
}


VOLUME_FIELDS = [
    Field("series", text, required=True),
    Field("number", integer(1, 9999), required=True),
    Field("title", text),
    Field("published", iso_date_or_month),
    Field("editors", editors, default=()),
    Field("sections", sections, required=True),
    Field("words", integer(1)),
    Field("print_run", integer(1)),
    Field("permit", text),
    Field("isbn", text),
    Field("printer", text),
    Field("format", paper_format),
    Field("edition", integer(1, 99), default=1),
    Field("impression", integer(1, 999), default=1),
    *COMMON_FIELDS,
]

ESSAY_FIELDS = [Field("title", text), Field("author", text)]

ARTICLE_FIELDS = [
    Field("title", text, required=True),
    Field("section", text, required=True),
    Field("author", text),
    Field("oral", text),
    Field("compiled_by", text),
    Field("tags", tag_list, default=()),
    *COMMON_FIELDS,
]

ESSAYS = {"序.md": ("preface", "序"), "后记.md": ("afterword", "后记")}
_ARTICLE_NAME = re.compile(r"([0-9]{2,})-([a-z0-9]+(?:-[a-z0-9]+)*)")  # 03-gangtie; used with fullmatch


# -- names -------------------------------------------------------------------------
def volume_src(volume: Volume) -> str:
    return f"wenshi/{volume.folder}/index.md"


def article_src(volume: Volume, article: WenshiArticle) -> str:
    return f"wenshi/{volume.folder}/{article.stem}.md"


def essay_src(volume: Volume, essay: Essay) -> str:
    return f"wenshi/{volume.folder}/{essay.role}.md"  # role is "preface" or "afterword"


def volume_title(volume: Volume) -> str:
    return f"《{volume.series}》第{int_to_chinese(volume.number)}辑"


def article_key(volume: Volume, article: WenshiArticle) -> str:
    return f"{TYPE.key}:{volume.number:02d}/{article.order:02d}"


def byline(article: WenshiArticle) -> str:
    parts = []
    if article.author:
        parts.append(article.author)
    if article.oral:
        parts.append(f"{article.oral} 口述")
    if article.compiled_by:
        parts.append(f"{article.compiled_by} 整理")
    return "　".join(parts)


# -- loading -------------------------------------------------------------------------
def load_volumes(root: Path, folder: Path) -> tuple[list[Volume], list[Diagnostic]]:
    volumes: list[Volume] = []
    problems: list[Diagnostic] = []
    for entry in entries(folder):
        if entry.is_dir():
            volume, found = load_volume(root, entry)
            problems += found
            if volume is not None:
                volumes.append(volume)
        elif entry.suffix in (".md", ".yml"):
            problems.append(error(relative(root, entry), 0, "文史文件应放在以辑号命名的目录中，如 content/wenshi/14/"))
    volumes.sort(key=lambda v: v.number)
    return volumes, problems


def load_volume(root: Path, folder: Path) -> tuple[Volume | None, list[Diagnostic]]:
    path = relative(root, folder / "volume.yml")
    folder_number, problems = number_in_name(folder.name, "文史目录", relative(root, folder))
    if not (folder / "volume.yml").is_file():
        return None, problems + [error(path, 0, "缺少本辑的 volume.yml（series、number、sections 等）")]
    data, found = read_yaml_mapping(folder / "volume.yml", path)
    problems += found
    if data is None:
        return None, problems
    values, found = read_fields(data, VOLUME_FIELDS, path)
    problems += found
    problems += check_name_matches(data, "number", values.get("number"), folder_number, path, f"目录名 {folder.name} ")

    essays: dict[str, Essay] = {}
    articles: list[WenshiArticle] = []
    orders: dict[int, str] = {}
    for file in markdown_files(folder):
        file_path = relative(root, file)
        if file.name in ESSAYS:
            essay, found = load_essay(root, file, *ESSAYS[file.name])
            problems += found
            if essay is not None:
                essays[essay.role] = essay
            continue
        match = _ARTICLE_NAME.fullmatch(file.stem)
        if not match or match[1] != f"{int(match[1]):02d}":
            problems.append(
                error(file_path, 0, f"文章文件名应为“两位序号-英文短名.md”（如 03-gangtie.md），而不是“{file.name}”")
            )
            continue
        order = int(match[1])
        if order in orders:
            problems.append(error(file_path, 0, f"序号 {match[1]} 与 {orders[order]} 重复"))
            continue
        orders[order] = file_path
        article, found = load_article(root, file, values.get("number") or folder_number or 0, order, match[2])
        problems += found
        if article is not None:
            articles.append(article)

    if any(values.get(k) is None for k in ("series", "number", "sections")):
        return None, problems
    volume = record_from(
        Volume, values,
        preface=essays.get("preface"),
        afterword=essays.get("afterword"),
        articles=tuple(sorted(articles, key=lambda a: a.order)),
        source=Source(path, 1),
    )
    return volume, problems


def load_essay(root: Path, file: Path, role: str, default_title: str) -> tuple[Essay | None, list[Diagnostic]]:
    path = relative(root, file)
    source, problems = read_markdown(file, path)
    if source is None:
        return None, problems
    values, found = read_fields(source.meta, ESSAY_FIELDS, path)
    problems += found
    essay = Essay(
        role=role,
        title=values["title"] or default_title,
        author=values["author"],
        body=source.body,
        body_line=source.body_line,
        files=body_files(source, problems),
        source=Source(path, 1),
    )
    return essay, problems


def load_article(
    root: Path, file: Path, volume: int, order: int, slug: str
) -> tuple[WenshiArticle | None, list[Diagnostic]]:
    path = relative(root, file)
    source, problems = read_markdown(file, path)
    if source is None:
        return None, problems
    values, found = read_fields(source.meta, ARTICLE_FIELDS, path)
    problems += found
    if values.get("title") is None or values.get("section") is None:
        return None, problems
    article = record_from(
        WenshiArticle, values,
        volume=volume,
        order=order,
        slug=slug,
        section_line=source.meta.line_of("section"),
        body=source.body,
        body_line=source.body_line,
        files=body_files(source, problems),
        source=Source(path, 1),
    )
    return article, problems


def check_sections(volumes: list[Volume]) -> list[Diagnostic]:
    problems = []
    for volume in volumes:
        for article in volume.articles:
            if article.section not in volume.sections:
                close = difflib.get_close_matches(article.section, volume.sections, n=1, cutoff=0.3)
                hint = f"，您是否想写“{close[0]}”？" if close else ""
                problems.append(
                    error(
                        article.source.path,
                        article.section_line,
                        f"栏目“{article.section}”不在第{volume.number}辑的栏目中"
                        f"（{'、'.join(volume.sections)}）{hint}",
                    )
                )
    return problems


def volume_format(volume: Volume, book_size: tuple[float, float]) -> tuple[int, int, int] | None:
    """The 开本 as given, else the one the trim size (site.yml book_size) is usually cut as."""
    width, height = book_size
    return volume.format or TRADE_FORMATS.get((round(width), round(height)))


# What the 版权页 of an 内部资料性出版物 must carry besides what is always known (书名, 编者, 字数).
COLOPHON_REQUIRED = {"permit": "准印证号", "printer": "印刷单位", "print_run": "印数", "published": "出版时间"}


def check_colophons(volumes: list[Volume], book_size: tuple[float, float]) -> list[Diagnostic]:
    """A volume without ISBN is an 内部资料性出版物: its 版权页 must carry the 准印证号, the
    印刷单位, the 印数 and the date (《内部资料性出版物管理办法》).  What is missing is left off
    the page, so it is said here."""
    problems = []
    for volume in volumes:
        if volume.isbn:
            continue
        missing = [f"{label}（{key}）" for key, label in COLOPHON_REQUIRED.items() if getattr(volume, key) is None]
        if volume_format(volume, book_size) is None:
            missing.append("开本（format，如 787mm×1092mm 1/16）")
        if missing:
            problems.append(warning(
                volume.source.path, 1,
                f"第{volume.number}辑没有 ISBN，是内部资料性出版物，版权页上缺少{'、'.join(missing)}，"
                "请在 volume.yml 中补上；缺少的项目不印在版权页上",
            ))
    return problems


# -- pages -------------------------------------------------------------------------
def _year(volume: Volume) -> int | None:
    return int(volume.published[:4]) if volume.published else None


def series_page(corpus) -> Page:
    here = TYPE.index_src
    volumes = [
        {"volume": v, "title": volume_title(v), "link": rel(here, volume_src(v)), "count": len(v.articles)}
        for v in sorted(corpus.volumes, key=lambda v: v.number, reverse=True)
    ]
    return Page(here, "文史资料", render("wenshi_index.md.j2", volumes=volumes), page_meta(TYPE.label))


def volume_page(volume: Volume, book: str | None, kb) -> Page:
    here = volume_src(volume)
    groups = [
        {
            "section": section,
            "articles": [
                {"article": a, "byline": byline(a), "link": rel(here, article_src(volume, a))}
                for a in volume.articles
                if a.section == section
            ],
        }
        for section in volume.sections
    ]
    essays = {essay.role: {"title": essay.title, "link": rel(here, essay_src(volume, essay))} for essay in volume.essays}
    text = render(
        "wenshi_volume.md.j2",
        title=volume_title(volume),
        volume=volume,
        groups=groups,
        essays=essays,
        pdf=pdf_link(here, book),
        backlinks=kb.backlinks(here, TYPE.page_key(volume)),
    )
    return Page(here, volume_title(volume), text, page_meta(TYPE.label, _year(volume)))


def essay_page(volume: Volume, essay: Essay, book: str | None, kb) -> Page:
    here = essay_src(volume, essay)
    text = render(
        "wenshi_essay.md.j2",
        essay=essay,
        volume_title=volume_title(volume),
        volume_link=rel(here, volume_src(volume)),
        pdf=pdf_link(here, book),
        body=kb.link(essay.body, here),
    )
    return Page(here, f"{essay.title}（{volume_title(volume)}）", text, page_meta(TYPE.label, _year(volume)))


def article_page(volume: Volume, article: WenshiArticle, previous, following, book: str | None, kb) -> Page:
    here = article_src(volume, article)
    neighbours = [
        (label, other.title, rel(here, article_src(volume, other)))
        for label, other in (("上一篇", previous), ("下一篇", following))
        if other is not None
    ]
    text = render(
        "wenshi_article.md.j2",
        article=article,
        byline=byline(article),
        volume_title=volume_title(volume),
        volume_link=rel(here, volume_src(volume)),
        neighbours=neighbours,
        pdf=pdf_link(here, book),
        body=kb.link(article.body, here),
        backlinks=kb.backlinks(here, article_key(volume, article)),
        related=kb.related(here, article.tags),
    )
    return Page(here, article.title, text, page_meta(TYPE.label, _year(volume), article.tags))


# -- print -------------------------------------------------------------------------
def _essay(printing, placer, essay: Essay | None) -> dict | None:
    if essay is None:
        return None
    base = posixpath.dirname(essay.source.path)
    return {"title": essay.title, "author": essay.author or "", "blocks": printing.blocks(placer, essay.body, base)}


def _article(printing, placer, article: WenshiArticle) -> dict:
    base = posixpath.dirname(article.source.path)
    return {"title": article.title, "byline": byline(article), "blocks": printing.blocks(placer, article.body, base)}


def _mm(value: float) -> str:
    return f"{value:g}"


def _month_date(published: str | None) -> str | None:
    if not published:
        return None
    return published if len(published) == 10 else f"{published}-01"


def _count_words(parts) -> int:
    return sum(len("".join(plain_text(p["blocks"]).split())) for p in parts if p)


def print_job(volume: Volume, printing: documents.Printing) -> documents.PrintJob:
    site: Site = printing.site
    placer = printing.images(documents.book_text_block(site))
    sections = [
        {"name": name, "articles": [_article(printing, placer, a) for a in volume.articles if a.section == name]}
        for name in volume.sections
    ]
    preface, afterword = _essay(printing, placer, volume.preface), _essay(printing, placer, volume.afterword)
    words = volume.words or _count_words([preface, afterword, *[a for s in sections for a in s["articles"]]])
    width, height = site.print.book_size
    trade = volume_format(volume, site.print.book_size)
    published = cn_date(volume.published) if volume.published else ""
    data = {
        "meta": {"title": volume_title(volume), "author": site.committee, "date": _month_date(volume.published)},
        "fonts": printing.fonts,
        "size": {"width": width, "height": height, **documents.BOOK_MARGINS},
        "series": volume.series,
        "number": f"第{int_to_chinese(volume.number)}辑",
        "subtitle": volume.title or "",
        "publisher": site.committee,
        # rows not given are left out (check_colophons says which); 印张 is counted by book.typ
        "colophon": [
            (label, value)
            for label, value in (
                ("书名", volume_title(volume)),
                ("编者", site.committee),
                ("印刷单位", volume.printer),
                ("开本", f"{trade[0]}mm×{trade[1]}mm 1/{trade[2]}" if trade else f"{_mm(width)}mm×{_mm(height)}mm"),
                ("印张", {"fold": trade[2]} if trade else None),
                ("字数", f"{max(1, round(words / 1000))}千字"),
                ("版次", f"{published}第{volume.edition}版"),
                ("印次", f"{published}第{volume.impression}次印刷"),
                ("印数", f"{volume.print_run}册" if volume.print_run else None),
                ("准印证号", volume.permit),
                ("ISBN", volume.isbn),
            )
            if value
        ],
        "internal": not volume.isbn,
        "editors": [{"role": role, "names": "　".join(names)} for role, names in volume.editors],
        "preface": preface,
        "sections": [s for s in sections if s["articles"]],
        "afterword": afterword,
    }
    return documents.PrintJob(
        TYPE.pdf(volume), "book.typ", data, TYPE.sources(volume), placer.files, site.print.pdf_standard, show_outline=True
    )


# -- zhengxie new ----------------------------------------------------------------------
def _create(root: Path, relative_path: str, template: str, **context) -> Path:
    path = root / "content" / relative_path
    write_new_file(path, render(template, **context))
    return path


def new_volume(root: Path, name: str | None, options) -> Path:
    from generator.load import load_corpus

    corpus, _ = load_corpus(root)
    folders = {int(p.name) for p in (root / "content/wenshi").glob("*") if p.is_dir() and digits(p.name)}
    number = max({v.number for v in corpus.volumes} | folders, default=0) + 1
    series = corpus.volumes[-1].series if corpus.volumes else "文史资料"
    return _create(root, f"wenshi/{number:02d}/volume.yml", "new_volume.yml.j2", number=number, series=series)


def next_wenshi_article(root: Path, volume_number: str, slug: str) -> tuple[Path, dict]:
    """Where the next article of a volume goes, and the `new_wenshi_article.md.j2` context for it
    (shared with `zhengxie import`)."""
    from generator.load import load_corpus

    if not digits(volume_number):
        raise ScaffoldProblem(f"辑号应为数字，如 14，而不是“{volume_number}”")
    if not SLUG.match(slug):
        raise ScaffoldProblem(f"英文短名应只含小写字母、数字和连字符，如 gangtie，而不是“{slug}”")
    corpus, _ = load_corpus(root)
    volume = next((v for v in corpus.volumes if v.number == int(volume_number)), None)
    if volume is None:
        raise ScaffoldProblem(f"没有第{int(volume_number)}辑（content/wenshi/{int(volume_number):02d}/volume.yml），可先运行 zhengxie new wenshi-volume")
    folder = root / "content/wenshi" / volume.folder
    taken = {int(p.name.split("-")[0]) for p in folder.glob("[0-9]*-*.md") if digits(p.name.split("-")[0])}
    order = max(taken | {a.order for a in volume.articles}, default=0) + 1
    return folder / f"{order:02d}-{slug}.md", dict(section=volume.sections[0], sections=volume.sections)


def new_wenshi_article(root: Path, name: str | None, options) -> Path:
    path, context = next_wenshi_article(root, name, getattr(options, "slug", None) or "wenzhang")
    write_new_file(path, render("new_wenshi_article.md.j2", **context))
    return path


# -- the type ------------------------------------------------------------------------
class WenshiType(ContentType):
    key = "wenshi"
    aliases = ("文史",)
    folder = "wenshi"
    label = "文史"
    print_name = "文史"
    attribute = "volumes"
    order = 20
    fields = VOLUME_FIELDS  # a volume's; its articles' are ARTICLE_FIELDS, its 序 and 后记's ESSAY_FIELDS
    overview_order = 2
    scaffolds = (
        Scaffold("wenshi-volume", "文史一辑", None, new_volume),
        Scaffold("wenshi-article", "文史文章", "辑号", new_wenshi_article),
    )

    def load(self, root, folder):
        return load_volumes(root, folder)

    def check(self, corpus):
        book_size = (corpus.site.print if corpus.site else DEFAULT_PRINT).book_size
        return check_sections(corpus.volumes) + check_colophons(corpus.volumes, book_size)

    def parts(self, record):
        yield from record.essays
        yield from record.articles

    def sources(self, record):
        return [record.source.path, *(a.source.path for a in record.articles), *(e.source.path for e in record.essays)]

    def split(self, records, leave_out):
        """An article goes with its volume: a volume left out takes its articles along."""
        kept, gone = [], []
        for volume in records:
            if leave_out(volume):
                gone.append(volume)
                continue
            kept.append(replace(volume, articles=tuple(a for a in volume.articles if not leave_out(a))))
            if any(leave_out(a) for a in volume.articles):
                gone.append(replace(volume, articles=tuple(a for a in volume.articles if leave_out(a))))
        return kept, gone

    def src(self, record):
        return volume_src(record)

    def page_key(self, record):
        return f"{self.key}:{record.number:02d}"

    def pdf(self, record):
        return f"wenshi/{record.folder}.pdf" if record.articles else None

    def describe(self, site):
        return "文史资料"

    def targets(self, record, site):
        page, book = self.page_key(record), volume_title(record)
        yield Target(page, volume_src(record), book, page, "")
        for a in record.articles:
            key = article_key(record, a)
            yield Target(key, article_src(record, a), f"{book}《{a.title}》", key, "")

    def bodies(self, record, site):
        for e in record.essays:
            yield Body(e.source.path, e.body_line, e.body, essay_src(record, e), e.title)
        for a in record.articles:
            yield Body(a.source.path, a.body_line, a.body, article_src(record, a), a.title)

    def canonical(self, target, part):
        numbers = target.split("/")
        if all(digits(n) for n in numbers) and len(numbers) <= 2:
            target = "/".join(f"{int(n):02d}" for n in numbers)
        return target, part

    def pages(self, corpus, context):
        result = [series_page(corpus)]
        for volume in corpus.volumes:
            # a volume is printed as one book; every page of it links to that PDF
            book = self.pdf(volume) if context.pdf else None
            result.append(volume_page(volume, book, context.kb))
            for essay in volume.essays:
                result.append(essay_page(volume, essay, book, context.kb))
            for position, article in enumerate(volume.articles):
                previous = volume.articles[position - 1] if position > 0 else None
                following = volume.articles[position + 1] if position + 1 < len(volume.articles) else None
                result.append(article_page(volume, article, previous, following, book, context.kb))
        return result

    def nav(self, corpus):
        return {self.label: [self.index_src, *({f"第{v.number}辑": volume_src(v)} for v in corpus.volumes)]}

    def home(self, corpus):
        volumes = [{"title": volume_title(v), "subtitle": v.title, "link": volume_src(v)} for v in reversed(corpus.volumes)]
        return render("wenshi_home.md.j2", volumes=volumes)

    def events(self, record):
        if record.published:
            title = volume_title(record) + (f"《{record.title}》" if record.title else "")
            yield Event(record.published, f"{title}出版", volume_src(record), self.label)

    def tagged(self, record, site):
        for a in record.articles:
            if a.tags:
                yield Tagged(article_src(record, a), a.title, a.tags, f"{record.number:04d}{a.order:04d}")

    def figures(self, corpus, reported):
        counts: Counter = Counter(a.section for v in corpus.volumes for a in v.articles)
        order = list(dict.fromkeys(s for v in corpus.volumes for s in v.sections))
        overview = ["文史资料："]
        overview += [
            f"  第{v.number}辑 {v.title or ''}  {len(v.articles)} 篇" + ("（草稿）" if v.draft else "") for v in corpus.volumes
        ]
        if not corpus.volumes:
            overview.append("  无")
        return Figures(
            totals=[
                ("文史资料", f"{len(corpus.volumes)} 辑"),
                ("文史文章", f"{sum(len(v.articles) for v in corpus.volumes)} 篇"),
            ],
            charts=[("sections", "文史资料各栏目文章篇数", [(s, counts[s]) for s in order if counts[s]])],
            tags=Counter(tag for v in corpus.volumes for a in v.articles for tag in a.tags),
            overview=overview,
        )

    def print_job(self, record, printing):
        return print_job(record, printing) if record.articles else None


TYPE = WenshiType()
