"""content/rules/<slug>.md -> Rule, with its 条 found and numbered."""
from __future__ import annotations

import re
from pathlib import Path

from generator.bodyscan import CHINESE_NUMERAL, chinese_to_int, int_to_chinese, lines_outside_code
from generator.diagnostics import Diagnostic, error
from generator.fields import Field, choice, iso_date, read_fields, slug, text
from generator.frontmatter import read_markdown
from generator.load.common import body_files, DRAFT, INTERNAL, markdown_files, relative
from generator.model import RULE_STATUSES, Rule, Source, Tiao

FIELDS = [
    Field("title", text, required=True),
    Field("adopted", iso_date),
    Field("adopted_by", text),
    Field("effective", iso_date),
    Field("status", choice(RULE_STATUSES), required=True),
    Field("supersedes", slug),
    DRAFT,
    INTERNAL,
]

# A 条 starts a paragraph: 第X条 followed by a half- or full-width space.
TIAO_START = re.compile(rf"^第({CHINESE_NUMERAL})条[ \u3000]")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


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
    if not _SLUG.match(file.stem):
        problems.append(error(path, 0, f"制度文件名应只含小写英文字母、数字和连字符（如 kaoping.md），而不是“{file.name}”"))
    values, found = read_fields(source.meta, FIELDS, path)
    problems += found
    tiaos, found = find_tiaos(source.body, source.body_line, path)
    problems += found
    if values.get("title") is None or values.get("status") is None:
        return None, problems
    rule = Rule(
        slug=file.stem,
        title=values["title"],
        adopted=values["adopted"],
        adopted_by=values["adopted_by"],
        effective=values["effective"],
        status=values["status"],
        supersedes=values["supersedes"],
        supersedes_line=source.meta.line_of("supersedes"),
        draft=values["draft"] or False,
        internal=values["internal"] or False,
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
