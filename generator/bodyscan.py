"""Line-level scanning of Markdown bodies: code fences and spans, Chinese numerals.

Only for finding lines (headings, 条, references); what a body publishes is read from
its parse (`published`), never from its lines.
"""
from __future__ import annotations

import re
from typing import Iterator

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")

# The image target that marks a photo the document does not include (图略).
OMITTED_IMAGE = "图略"


def lines_outside_code(body: str, first_line: int) -> Iterator[tuple[int, str]]:
    """Yield (file line number, text) for each body line that is not inside a fenced code block."""
    fence: str | None = None
    for offset, line in enumerate(body.split("\n")):
        match = _FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)[0] * 3
            continue
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            continue
        yield first_line + offset, line


MAX_NESTING = 10  # lists or quotes within each other: more is a paste gone wrong, and no page or PDF lays it out
_LIST_ITEM = re.compile(r"^(\s*)(?:[-+*]|[0-9]+[.)])\s")
_QUOTES = re.compile(r"^(?:\s*>)+")


def too_deep(body: str, first_line: int) -> int | None:
    """The file line where lists or quotes nest deeper than MAX_NESTING, if any."""
    for number, line in lines_outside_code(body, first_line):
        quotes = _QUOTES.match(line)
        depth = quotes[0].count(">") if quotes else 0
        rest = line[quotes.end():] if quotes else line
        item = _LIST_ITEM.match(rest.expandtabs(4))
        if item:
            depth += len(item[1]) // 4 + 1
        if depth > MAX_NESTING:
            return number
    return None


def without_code_spans(line: str) -> str:
    """The line with its inline code spans blanked (same length, so columns stay)."""
    return _CODE_SPAN.sub(lambda m: " " * len(m[0]), line)


_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
CHINESE_NUMERAL = "[零〇一二三四五六七八九十百千两]+"


def chinese_to_int(numeral: str) -> int | None:
    """第五条 -> 5, 一百零一 -> 101; None when the numeral is malformed."""
    total, digit = 0, None
    for char in numeral:
        if char in _DIGITS:
            if digit is not None and digit != 0:
                return None
            digit = _DIGITS[char]
        elif char in _UNITS:
            total += (1 if digit is None else digit) * _UNITS[char]
            digit = None
        else:
            return None
    total += digit or 0
    return total or None


def int_to_chinese(number: int) -> str:
    """5 -> 五, 12 -> 十二, 101 -> 一百零一 (1 to 9999)."""
    digits = "零一二三四五六七八九"
    if number < 10:
        return digits[number]
    if number < 20:
        return "十" + (digits[number % 10] if number % 10 else "")
    parts, zero = [], False
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = number // unit_value % 10
        if digit:
            if zero and parts:
                parts.append("零")
            parts.append(digits[digit] + unit)
            zero = False
        elif parts:
            zero = True
    return "".join(parts)
