"""What a typography fix changes, line by line, said to the editor in Chinese."""
from __future__ import annotations

import difflib
from dataclasses import dataclass

CONTEXT = 6  # characters shown on each side of a change


@dataclass(frozen=True)
class Finding:
    line: int  # 1-based
    column: int  # 1-based, in characters
    message: str  # "what is wrong -> suggestion"


def _what(old: str, new: str) -> str:
    if not old.strip() and not new.strip():
        return "中文与西文之间应加空格" if new else "多余的空格"
    old_marks, new_marks = old.replace(" ", ""), new.replace(" ", "")
    if set(old_marks) <= set("\"'") and new_marks:
        return "直引号应为弯引号"
    if set(old_marks) <= set("“”‘’") and set(new_marks) <= set("“”‘’"):
        return "引号嵌套：外层用双引号，内层用单引号"
    if set(old_marks) <= set("()（）") and new_marks:
        return "中文内容的括号应为全角"
    if old_marks.startswith("..") or old_marks.startswith("。。"):
        return "省略号应为“……”"
    if old_marks and old_marks.isascii():
        return f"中文中的半角标点“{old_marks}”应为全角"
    return "标点前后不应有空格"


def findings(old_text: str, new_text: str) -> list[Finding]:
    """One finding per changed stretch of each line (the fix keeps the line count)."""
    result: list[Finding] = []
    for number, (old, new) in enumerate(zip(old_text.split("\n"), new_text.split("\n")), start=1):
        if old == new:
            continue
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        for tag, i1, i2, j1, j2 in _merged(matcher.get_opcodes()):
            before = old[max(0, i1 - CONTEXT) : i2 + CONTEXT]
            after = new[max(0, j1 - CONTEXT) : j2 + CONTEXT]
            result.append(Finding(number, i1 + 1, f"{_what(old[i1:i2], new[j1:j2])}：「{before}」 -> 「{after}」"))
    return result


def _merged(opcodes):
    """Adjacent changes read as one ("要求 ,好" -> "要求，好")."""
    merged: list[list] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        if merged and i1 == merged[-1][2] and j1 == merged[-1][4]:
            merged[-1][2], merged[-1][4] = i2, j2
        else:
            merged.append([tag, i1, i2, j1, j2])
    return merged
