"""content/briefings/<YYYY>/<NN>.md -> Briefing."""
from __future__ import annotations

import re
from pathlib import Path

from generator.bodyscan import lines_outside_code
from generator.published import heading_text
from generator.diagnostics import Diagnostic, error
from generator.fields import Field, choice, integer, iso_date, read_fields, tag_list, text_list
from generator.frontmatter import read_markdown
from generator.load.common import body_files, entries, DRAFT, INTERNAL, check_name_matches, distribution, markdown_files, number_in_name, relative
from generator.model import BRIEFING_KINDS, Briefing, BriefingArticle, Source

MAX_ISSUES = 999  # issues in one year: a larger number is a date or a total typed in the wrong place

FIELDS = [
    Field("number", integer(1, MAX_ISSUES), required=True),
    Field("date", iso_date, required=True),
    Field("total", integer(1, 100_000)),
    Field("kind", choice(BRIEFING_KINDS), default="正刊"),
    Field("tags", tag_list, default=()),
    Field("distribution", distribution, default={}),
    Field("copies", integer(1)),
    Field("plans", text_list, default=()),
    DRAFT,
    INTERNAL,
]

_ARTICLE = re.compile(r"^##[ \t]+(.+?)[ \t]*#*[ \t]*$")
_YEAR = re.compile(r"[0-9]{4}")  # used with fullmatch: not ２０１８, not 2018 and a newline


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
    record = Briefing(
        year=year,
        number=values["number"],
        date=date,
        total=values["total"],
        kind=values["kind"] or "正刊",
        tags=values["tags"] or (),
        distribution=values["distribution"] or {},
        copies=values["copies"],
        draft=values["draft"] or False,
        internal=values["internal"] or False,
        editor_note=editor_note,
        editor_note_line=note_line,
        articles=tuple(articles),
        plans=values["plans"] or (),
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
