"""制度: content/rules/<slug>.md, a rule with its 条 found and numbered (anchor #tiao-N).

Pages: the list with status badges, one page per rule.  Print: the official-document
layout with centred chapter headings (print/templates/official.typ).
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from generator.bodyscan import CHINESE_NUMERAL, chinese_to_int, int_to_chinese, lines_outside_code
from generator.diagnostics import Diagnostic, error
from generator.fields import Field, choice, iso_date, read_fields, slug, text
from generator.frontmatter import read_markdown
from generator.load.common import SLUG, body_files, markdown_files, relative
from generator.model import FileRef, Source
from generator.output import write_new_file
from generator.pages.common import Page, page_meta, pdf_link, rel, render
from generator.presentation import cn_date
from generator.print import documents
from generator.types.base import COMMON_FIELDS, ContentType, Event, Figures, Scaffold, ScaffoldProblem, Target, record_from

STATUSES = ("现行", "试行", "已修订", "已废止")
STATUS_CLASSES = {"现行": "current", "试行": "trial", "已修订": "revised", "已废止": "repealed"}


@dataclass(frozen=True)
class Tiao:
    """One article (条) of a rule."""

    number: int
    line: int

    @property
    def anchor(self) -> str:
        return f"tiao-{self.number}"


@dataclass(frozen=True)
class Rule:
    slug: str
    title: str
    adopted: dt.date | None
    adopted_by: str | None
    effective: dt.date | None
    status: str
    supersedes: str | None
    supersedes_line: int
    draft: bool
    body: str
    body_line: int
    tiaos: tuple[Tiao, ...]
    files: tuple[FileRef, ...]
    source: Source
    internal: bool = False  # 内部资料: left out of the public edition


FIELDS = [
    Field("title", text, required=True),
    Field("adopted", iso_date),
    Field("adopted_by", text),
    Field("effective", iso_date),
    Field("status", choice(STATUSES), required=True),
    Field("supersedes", slug),
    *COMMON_FIELDS,
]

# A 条 starts a paragraph: 第X条 followed by a half- or full-width space.
TIAO_START = re.compile(rf"^第({CHINESE_NUMERAL})条[ \u3000]")


def src(rule: Rule) -> str:
    return f"rules/{rule.slug}.md"


def tiao_label(number: int) -> str:
    return f"第{int_to_chinese(number)}条"


# -- loading -------------------------------------------------------------------------
def load_rules(root: Path, folder: Path) -> tuple[list[Rule], list[Diagnostic]]:
    records: list[Rule] = []
    problems: list[Diagnostic] = []
    for file in markdown_files(folder):
        record, found = load_rule(root, file)
        problems += found
        if record is not None:
            records.append(record)
    return sorted(records, key=lambda r: r.slug), problems


def load_rule(root: Path, file: Path) -> tuple[Rule | None, list[Diagnostic]]:
    path = relative(root, file)
    source, problems = read_markdown(file, path)
    if source is None:
        return None, problems
    if not SLUG.match(file.stem):
        problems.append(error(path, 0, f"制度文件名应只含小写英文字母、数字和连字符（如 kaoping.md），而不是“{file.name}”"))
    values, found = read_fields(source.meta, FIELDS, path)
    problems += found
    tiaos, found = find_tiaos(source.body, source.body_line, path)
    problems += found
    if values.get("title") is None or values.get("status") is None:
        return None, problems
    rule = record_from(
        Rule, values,
        slug=file.stem,
        supersedes_line=source.meta.line_of("supersedes"),
        body=source.body,
        body_line=source.body_line,
        tiaos=tuple(tiaos),
        files=body_files(source, problems),
        source=Source(path, 1),
    )
    return rule, problems


def paragraph_starts(body: str, first_line: int):
    """Yield (line number, text) of lines that begin a paragraph (after a blank line or heading)."""
    previous_blank = True
    for number, line in lines_outside_code(body, first_line):
        if previous_blank and line.strip():
            yield number, line
        previous_blank = not line.strip() or line.lstrip().startswith("#")


def find_tiaos(body: str, first_line: int, path: str) -> tuple[list[Tiao], list[Diagnostic]]:
    """The rule's 条 in order; a gap or a repeat in the numbering is an error.

    After a mistake the sequence may go on either from where it should have been (a typo)
    or from the number written (an article really missing), so one slip is one message.
    """
    tiaos: list[Tiao] = []
    problems: list[Diagnostic] = []
    accepted: dict[int, int] = {}  # number -> line, for numbers that were in sequence
    expected = continued = 1
    for number, line in paragraph_starts(body, first_line):
        match = TIAO_START.match(line)
        if not match:
            continue
        value = chinese_to_int(match[1])
        if value is None:
            problems.append(error(path, number, f"条号“第{match[1]}条”不是规范的中文数字"))
            expected, continued = expected + 1, continued + 1  # it still takes its place
            continue
        if value in (expected, continued):
            accepted[value] = number
        elif value in accepted:
            problems.append(error(path, number, f"第{match[1]}条重复（第 {accepted[value]} 行已有第{match[1]}条）"))
        else:
            problems.append(
                error(path, number, f"条号不连续：此处应为第{int_to_chinese(expected)}条，而不是第{match[1]}条")
            )
        expected, continued = expected + 1, value + 1
        tiaos.append(Tiao(value, number))
    return tiaos, problems


def check_supersedes(rules: list[Rule]) -> list[Diagnostic]:
    slugs = [rule.slug for rule in rules]
    problems = []
    for rule in rules:
        if rule.supersedes and rule.supersedes not in slugs:
            close = difflib.get_close_matches(rule.supersedes, slugs, n=1, cutoff=0.5)
            hint = f"，您是否想写“{close[0]}”？" if close else ""
            problems.append(
                error(rule.source.path, rule.supersedes_line, f"supersedes 指向的制度“{rule.supersedes}”不存在（应为 content/rules/ 下的文件名）{hint}")
            )
    return problems


def anchored_body(rule: Rule) -> str:
    """The body with each 条 label in bold and its paragraph anchored `#tiao-N` (site and print)."""
    lines = rule.body.split("\n")
    starts = {tiao.line - rule.body_line: tiao for tiao in rule.tiaos}
    out: list[str] = []
    open_tiao = None
    for index, line in enumerate(lines):
        if index in starts:
            open_tiao = starts[index]
            match = TIAO_START.match(line)
            label = tiao_label(open_tiao.number)
            line = f"**{label}**\u3000{line[len(match[0]):]}" if match else line  # a full-width space, always
        if open_tiao is not None and not line.strip():
            out.append(f"{{: #{open_tiao.anchor} .zx-tiao }}")
            open_tiao = None
        out.append(line)
    if open_tiao is not None:
        out.append(f"{{: #{open_tiao.anchor} .zx-tiao }}")
    return "\n".join(out)


# -- pages -------------------------------------------------------------------------
def badge(status: str) -> str:
    return f'<span class="zx-badge zx-badge--{STATUS_CLASSES[status]}">{status}</span>'


def index_page(corpus) -> Page:
    here = TYPE.index_src
    rows = [
        {"rule": r, "badge": badge(r.status), "link": rel(here, src(r))}
        for r in sorted(corpus.rules, key=lambda r: (r.status in ("已修订", "已废止"), r.title))
    ]
    return Page(here, "制度", render("rules_index.md.j2", rows=rows), page_meta(TYPE.label))


def rule_page(corpus, rule: Rule, context) -> Page:
    here = src(rule)
    by_slug = {r.slug: r for r in corpus.rules}
    supersedes = by_slug.get(rule.supersedes) if rule.supersedes else None
    superseded_by = [r for r in corpus.rules if r.supersedes == rule.slug]
    text = render(
        "rule.md.j2",
        rule=rule,
        badge=badge(rule.status),
        supersedes=(supersedes.title, rel(here, src(supersedes))) if supersedes else None,
        superseded_by=[(r.title, rel(here, src(r))) for r in superseded_by],
        body=context.kb.link(anchored_body(rule), here),
        pdf=pdf_link(here, TYPE.pdf(rule) if context.pdf else None),
        backlinks=context.kb.backlinks(here, TYPE.page_key(rule)),
    )
    year = rule.adopted.year if rule.adopted else None
    return Page(here, rule.title, text, page_meta(TYPE.label, year))


# -- print and new -------------------------------------------------------------------
def print_job(rule: Rule, printing: documents.Printing) -> documents.PrintJob:
    adopted = (cn_date(rule.adopted) if rule.adopted else "") + (rule.adopted_by or "")
    return printing.official(
        TYPE.pdf(rule), rule.source.path, rule.title, anchored_body(rule),
        date=rule.adopted.isoformat() if rule.adopted else None,
        adoption=f"（{adopted}通过）" if adopted else "",
        centered_headings=True,  # chapters (第一章 …) are centred
    )


def new_rule(root: Path, name: str | None, options) -> Path:
    if not SLUG.match(name):
        raise ScaffoldProblem(f"制度的英文短名应只含小写字母、数字和连字符，如 kaoping，而不是“{name}”")
    path = root / "content" / "rules" / f"{name}.md"
    write_new_file(path, render("new_rule.md.j2"))
    return path


class RuleType(ContentType):
    key = "rule"
    aliases = ("制度",)
    folder = "rules"
    label = "制度"
    print_name = "制度"
    attribute = "rules"
    order = 30
    fields = FIELDS
    overview_order = 3
    scaffolds = (Scaffold("rule", "制度", "英文短名", new_rule),)

    def load(self, root, folder):
        return load_rules(root, folder)

    def check(self, corpus):
        return check_supersedes(corpus.rules)

    def src(self, record):
        return src(record)

    def page_key(self, record):
        return f"{self.key}:{record.slug}"

    def pdf(self, record):
        return f"rules/{record.slug}.pdf"

    def targets(self, record, site):
        yield from super().targets(record, site)
        page, here = self.page_key(record), src(record)
        for t in record.tiaos:
            label = tiao_label(t.number)
            yield Target(f"{page}#{t.number}", f"{here}#{t.anchor}", f"《{record.title}》{label}", page, label)

    def canonical(self, target, part):
        if part:
            match = re.fullmatch(r"第(.+)条|tiao-([0-9]+)|([0-9]+)", part)
            if match:
                number = chinese_to_int(match[1]) if match[1] else int(match[2] or match[3])
                part = str(number) if number else part
        return target, part

    def written(self, part):
        return tiao_label(int(part))

    def pages(self, corpus, context):
        return [index_page(corpus), *(rule_page(corpus, rule, context) for rule in corpus.rules)]

    def nav(self, corpus):
        return {self.label: [self.index_src]}

    def events(self, record):
        if record.adopted:
            yield Event(record.adopted.isoformat(), f"《{record.title}》通过", src(record), self.label)
        if record.effective and record.effective != record.adopted:
            yield Event(record.effective.isoformat(), f"《{record.title}》施行", src(record), self.label)

    def dates(self, record):
        return [d for d in (record.adopted, record.effective) if d]

    def figures(self, corpus, reported):
        statuses = Counter(r.status for r in corpus.rules)
        return Figures(
            totals=[("制度", f"{len(corpus.rules)} 项")],
            overview=["制度：" + ("、".join(f"{s} {n} 项" for s, n in sorted(statuses.items())) or "无")],
        )

    def print_job(self, record, printing):
        return print_job(record, printing)


TYPE = RuleType()
