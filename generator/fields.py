"""Front-matter schemas: typed fields, their parsers and the messages for bad values."""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any, Callable

from generator.diagnostics import Diagnostic, error
from generator.frontmatter import CONTROL_CHARACTER, YamlList, YamlMap
from generator.sanitize import HTML_NAMES


class FieldProblem(Exception):
    """Raised by a parser; carries the Chinese message (and optionally a more precise line)."""

    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class Field:
    name: str
    parse: Callable[[Any], Any]
    required: bool = False
    default: Any = None


def _show(value: Any) -> str:
    return f"“{value}”" if not isinstance(value, (dict, list)) else "一组值"


def integer(minimum: int = 1, maximum: int = 10**9) -> Callable[[Any], int]:
    """An integer in [minimum, maximum]: no count or number in content is larger than a billion."""
    def parse(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise FieldProblem(f"应为阿拉伯数字写的整数（如 12），而不是{_show(value)}")
        if value < minimum:
            raise FieldProblem(f"应为不小于 {minimum} 的整数，而不是 {value}")
        if value > maximum:
            raise FieldProblem(f"应为不大于 {maximum} 的整数，而不是 {value}")
        return value

    return parse


# A tag as a browser would read it (<script, <img/, </b): shown as text on the site, so
# almost surely a mistake ("x<y" is not one).  Values are checked after YAML has decoded
# them (\x3c is <).
_HTML_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9-]*)(?=[\s/>])[^<>]{0,40}>?|<!--")


def text(value: Any) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        raise FieldProblem(f"应为一段文字，而不是{_show(value) if value is not None else '空值'}")
    result = str(value).strip()
    if not result:
        raise FieldProblem("不能为空")
    control = CONTROL_CHARACTER.search(result)
    if control:
        raise FieldProblem(f"中有不可见的控制字符（U+{ord(control[0]):04X}），请删去")
    tag = next((m for m in _HTML_TAG.finditer(result) if m[1] is None or m[1].lower() in HTML_NAMES), None)
    if tag:
        raise FieldProblem(f"中有 HTML 标记“{tag[0].strip()}”：这里只能写文字，网页上会原样显示这些符号；请删去")
    return result


def text_list(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (text(value),)
    if not isinstance(value, list):
        raise FieldProblem("应为列表（如 [脱贫攻坚, 提案]）")
    items = []
    for index, item in enumerate(value):
        try:
            items.append(text(item))
        except FieldProblem as problem:
            line = value.line_of(index) if isinstance(value, YamlList) else 0
            raise FieldProblem(f"第 {index + 1} 项{problem.message}", line) from None
    return tuple(items)


def digits(text: str) -> bool:
    """ASCII digits only: str.isdigit() also takes ² and ２, which int() then refuses or reads."""
    return text.isascii() and text.isdigit()


MAX_TAGS = 12  # related reading compares pages by the sets of tags they share


def tag_list(value: Any) -> tuple[str, ...]:
    tags = text_list(value)
    if len(tags) > MAX_TAGS:
        raise FieldProblem(f"最多 {MAX_TAGS} 个标签，这里有 {len(tags)} 个；请只留下最能说明内容的几个")
    return tags


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise FieldProblem(f"应为 true 或 false，而不是{_show(value)}")
    return value


_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")  # used with fullmatch: ASCII digits, nothing after
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


def iso_date(value: Any) -> dt.date:
    raw = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    match = _DATE.fullmatch(raw) if raw else None
    if not match:
        raise FieldProblem(f"日期应写成 YYYY-MM-DD（如 2018-12-05），而不是{_show(value)}")
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise FieldProblem(f"日期 {raw} 不存在（请检查月份和日）") from None


def iso_date_or_month(value: Any) -> str:
    """A date `YYYY-MM-DD` or a month `YYYY-MM`, kept as its ISO string."""
    raw = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    month = _MONTH.fullmatch(raw)
    if month:
        if not 1 <= int(month[2]) <= 12:
            raise FieldProblem(f"月份 {raw} 不存在")
        return raw
    return iso_date(value).isoformat()


def choice(options: tuple[str, ...], aliases: dict[str, str] | None = None) -> Callable[[Any], str]:
    aliases = aliases or {}

    def parse(value: Any) -> str:
        word = text(value)
        word = aliases.get(word, word)
        if word not in options:
            raise FieldProblem(f"应为 {' | '.join(options)} 之一，而不是{_show(value)}")
        return word

    return parse


_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slug(value: Any) -> str:
    word = text(value)
    if not _SLUG.match(word):
        raise FieldProblem(f"应只含小写英文字母、数字和连字符（如 kaoping），而不是{_show(value)}")
    return word


def unknown_key_message(key: str, known: list[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.5)
    hint = f"，您是否想写“{close[0]}”？" if close else f"（可用的字段：{'、'.join(known)}）"
    return f"未知字段“{key}”{hint}"


def read_nested(
    parent: YamlMap, key: str, schema: list[Field], path: str
) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """A mapping inside a mapping (site.yml's `briefing:`, `print:`, `fonts:`), read with its schema."""
    value = parent[key]
    if not isinstance(value, YamlMap):
        names = "、".join(f.name for f in schema)
        return None, [error(path, parent.line_of(key), f"字段“{key}”应为映射（{names}）")]
    return read_fields(value, schema, path, start_line=parent.line_of(key))


def read_fields(
    meta: YamlMap, schema: list[Field], path: str, start_line: int = 1
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Validate `meta` against `schema`: typed values plus one diagnostic per problem.

    A field that is missing or whose value is bad gets its default (None when required), so
    callers treat it as missing without reporting it twice.
    """
    problems: list[Diagnostic] = []
    values: dict[str, Any] = {}
    known = [f.name for f in schema]
    for key in meta:
        if key not in known:
            problems.append(error(path, meta.line_of(key), unknown_key_message(key, known)))
    for f in schema:
        if f.name not in meta or meta[f.name] is None:
            if f.required:
                line = meta.line if meta.line else start_line
                problems.append(error(path, line, f"缺少必填字段“{f.name}”"))
            values[f.name] = None if f.required else f.default
            continue
        try:
            values[f.name] = f.parse(meta[f.name])
        except FieldProblem as problem:
            values[f.name] = None if f.required else f.default
            line = problem.line or meta.line_of(f.name)
            problems.append(error(path, line, f"字段“{f.name}”{problem.message}"))
    return values, problems
