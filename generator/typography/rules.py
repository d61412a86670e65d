"""Chinese punctuation and spacing (GB/T 15834-2011) on masked prose.

autocorrect-py does what it covers: half-width punctuation between Chinese characters,
no spaces around full-width punctuation and quotes, and spaces between Chinese and
Latin when the policy is "add".  What it leaves alone is done here: brackets whose
content is Chinese, straight quotes (paired within a paragraph, nested “‘’”),
punctuation between a number or Latin word and Chinese, ellipses, and the "remove"
spacing policy.  Every rule changes punctuation and spacing only.
"""
from __future__ import annotations

import json
import re
import autocorrect_py

HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
HAN_CHAR = re.compile(f"[{HAN}]")
OPENING = "“‘（《〈「『【〔"
CLOSING = "”’）》〉」』】〕"
FULL_STOPS = "，。、；：？！…"
_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", ".": "。"}
_LATIN = re.compile(r"[A-Za-z0-9%]")


def _is_han(char: str) -> bool:
    return bool(HAN_CHAR.match(char))


def _chinese_before(char: str) -> bool:
    return _is_han(char) or char in CLOSING or char in FULL_STOPS


def _chinese_after(char: str) -> bool:
    return _is_han(char) or char in OPENING


def _paragraphs(text: str):
    """(start, end) of each run of text between blank lines."""
    position = 0
    for match in re.finditer(r"\n[ \t]*\n", text):
        yield position, match.start()
        position = match.end()
    yield position, len(text)


def brackets(text: str) -> str:
    """(…) around Chinese becomes （…）; a pair already half full-width is completed."""
    chars = list(text)
    for start, end in _paragraphs(text):
        stack: list[int] = []
        for index in range(start, end):
            char = chars[index]
            if char in "(（":
                stack.append(index)
            elif char in ")）" and stack:
                opening = stack.pop()
                inside = text[opening + 1 : index]
                if HAN_CHAR.search(inside) or chars[opening] == "（" or char == "）":
                    chars[opening], chars[index] = "（", "）"
    return "".join(chars)


def _straight_pairs(text: str, start: int, end: int, quote: str) -> list[tuple[int, int]]:
    positions = []
    for index in range(start, end):
        if text[index] != quote:
            continue
        if quote == "'" and 0 < index < len(text) - 1 and text[index - 1].isalnum() and text[index + 1].isalnum() \
                and text[index - 1].isascii() and text[index + 1].isascii():
            continue  # an apostrophe, as in don't
        positions.append(index)
    if len(positions) % 2:
        return []  # unpaired: left for the editor
    return [(positions[i], positions[i + 1]) for i in range(0, len(positions), 2)]


def quotes(text: str) -> str:
    """Straight quotes in Chinese become curly; nested quotes alternate “ ‘ ’ ”."""
    chars = list(text)
    for start, end in _paragraphs(text):
        for quote, opening, closing in (('"', "“", "”"), ("'", "‘", "’")):
            for left, right in _straight_pairs(text, start, end, quote):
                outside = (text[left - 1] if left > start else "") + (text[right + 1] if right + 1 < end else "")
                if HAN_CHAR.search(text[left + 1 : right]) or any(_chinese_before(c) or _chinese_after(c) for c in outside):
                    chars[left], chars[right] = opening, closing
        _nest(chars, start, end)
    return "".join(chars)


def _nest(chars: list[str], start: int, end: int) -> None:
    """Outer quotes double, inner single, when the paragraph's quotes balance."""
    stack: list[int] = []
    changes: dict[int, str] = {}
    for index in range(start, end):
        char = chars[index]
        if char in "“‘":
            changes[index] = "“" if len(stack) % 2 == 0 else "‘"
            stack.append(index)
        elif char in "”’":
            if not stack:
                return
            opening = stack.pop()
            if (chars[opening] == "“") != (char == "”"):
                return  # “…’: mismatched, left for the editor
            changes[index] = "”" if changes[opening] == "“" else "’"
    if stack:
        return
    for index, char in changes.items():
        chars[index] = char


def _neighbour(text: str, index: int, step: int) -> tuple[str, int]:
    """The nearest character that is not a space or tab, and its index ("" at a line end)."""
    index += step
    while 0 <= index < len(text) and text[index] in " \t":
        index += step
    if 0 <= index < len(text) and text[index] != "\n":
        return text[index], index
    return "", index


def _latin_run_after_han(text: str, index: int) -> bool:
    """True if text[index-1] ends a run of digits/letters/% that directly follows Chinese."""
    cursor = index - 1
    while cursor >= 0 and _LATIN.match(text[cursor]):
        cursor -= 1
    return cursor < index - 1 and cursor >= 0 and _chinese_before(text[cursor])


def punctuation(text: str) -> str:
    """Half-width , ; : ? ! . in Chinese sentences become full-width, spaces around them go."""
    out: list[str] = []
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if char == "." and text.startswith("...", index):
            run_end = index
            while run_end < length and text[run_end] == ".":
                run_end += 1
            if index > 0 and _chinese_before(text[index - 1]):
                out.append("……")
                index = run_end
                continue
            out.append(text[index:run_end])
            index = run_end
            continue
        if char not in _TO_FULL:
            out.append(char)
            index += 1
            continue
        before, before_at = _neighbour(text, index, -1)
        after, after_at = _neighbour(text, index, 1)
        immediate_after = text[index + 1] if index + 1 < length else ""
        if char == ".":
            convert = not _LATIN.match(immediate_after) and (
                (before_at == index - 1 and _chinese_before(before))
                or (_latin_run_after_han(text, index) and (after == "" or _chinese_after(after)))
            )
        elif char == "!" and immediate_after == "[":
            convert = False  # ![image]
        else:
            convert = bool(before) and (
                _chinese_before(before)
                or (before_at == index - 1 and _chinese_after(after))
                or (_latin_run_after_han(text, index) and after == "")
            )
            if convert and char == ":" and before_at == index - 1 and before.isdigit() and immediate_after.isdigit():
                convert = False  # 10:30
        if not convert:
            out.append(char)
            index += 1
            continue
        while out and out[-1] in " \t" and len(out) > 1 and out[-2] not in "\n":
            out.pop()
        out.append(_TO_FULL[char])
        index += 1
        if after:
            index = after_at
    return "".join(out)


_SPACE_BETWEEN = re.compile(f"(?<=[{HAN}])[ \\t]+(?=[A-Za-z0-9])|(?<=[A-Za-z0-9%])[ \\t]+(?=[{HAN}])")


_FULL_WIDTH = re.escape(OPENING + CLOSING + FULL_STOPS + "—·")
_SPACE_AT_FULL_WIDTH = re.compile(
    f"(?<=[{_FULL_WIDTH}])[ \\t]+(?=[{_FULL_WIDTH}{HAN}])|(?<=[{HAN}])[ \\t]+(?=[{_FULL_WIDTH}])"
)


def remove_spaces_at_full_width(text: str) -> str:
    """No space beside full-width punctuation: “提” “办” -> “提”“办” (autocorrect leaves these)."""
    return _SPACE_AT_FULL_WIDTH.sub("", text)


def remove_latin_spacing(text: str) -> str:
    return _SPACE_BETWEEN.sub("", text)


def _configure(spacing: str) -> None:
    rules = {
        "space-word": 1 if spacing == "add" else 0,
        "space-punctuation": 0,
        "space-bracket": 0,
        "space-backticks": 0,
        "space-dash": 0,
        "space-dollar": 0,
        "fullwidth": 1,
        "halfwidth-word": 0,
        "halfwidth-punctuation": 0,
        "no-space-fullwidth": 1,
        "no-space-fullwidth-quote": 1,
        "spellcheck": 0,
    }
    autocorrect_py.load_config(json.dumps({"rules": rules}))


_configured: str | None = None


def apply(text: str, spacing: str) -> str:
    """All rules, in order, on masked prose (line breaks are kept)."""
    global _configured
    if _configured != spacing:
        _configure(spacing)
        _configured = spacing
    fixed = punctuation(quotes(brackets(text)))
    fixed = "\n".join(autocorrect_py.format(line) if line.strip() else line for line in fixed.split("\n"))
    fixed = remove_spaces_at_full_width(fixed)
    if spacing == "remove":
        fixed = remove_latin_spacing(fixed)
    return fixed
