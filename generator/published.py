"""What a Markdown body publishes, read from its parse rather than from its lines.

A body is rendered with the one Markdown configuration; from the HTML come the files it
uses (every `<img src>` and every link to a local file, however written: inline,
reference-style, raw HTML, in footnotes, tables or admonitions) and what the sanitizer
would take out of it.  Each finding is then placed on the source line it comes from.
"""
from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import unquote

from generator import references, sanitize
from generator.bodyscan import OMITTED_IMAGE, lines_outside_code, without_code_spans
from generator.diagnostics import Diagnostic, error
from generator.markdown import render, render_parts
from generator.model import FileRef

# Only these can make a tag, an attribute, a class or a URL of the body's own: raw HTML and
# autolinks (<), links and images ]( and reference definitions ]:, attribute lists {…} and
# admonition types.  A body without any of them is prose and needs no rendering here (the
# build's own check of every rendered page stands behind this shortcut).
_MARKUP = re.compile(r"<|\]\(|\]\s*:|\{|^[ \t]*(?:!!!|\?\?\?)", re.MULTILINE)
LOCATING_RENDERS = 200  # a body full of findings is not rendered more often than this to place them


@dataclass(frozen=True)
class Inspection:
    files: tuple[FileRef, ...] = ()
    problems: tuple[Diagnostic, ...] = ()


_NOTHING = Inspection()
_memo: dict[tuple[str, str, int], Inspection] = {}  # a preview's rebuild inspects only edited bodies
MEMO_SIZE = 50_000


def inspect(path: str, body: str, first_line: int) -> Inspection:
    """Files used and sanitizer findings of a body whose first line is `first_line` of `path`.

    `[[…]]` references are read as the text they show (pages and print escape it the same way).
    """
    if not _MARKUP.search(body):
        return _NOTHING
    if "[[" in body:
        body = references.as_text(body)
    key = (path, body, first_line)
    if key not in _memo:
        if len(_memo) > MEMO_SIZE:  # a long preview session: forget the bodies of earlier edits
            _memo.clear()
        _memo[key] = _inspect(path, body, first_line)
    return _memo[key]


def _inspect(path: str, body: str, first_line: int) -> Inspection:
    try:
        rendered, raw = render_parts(body)
    except RecursionError:  # Python-Markdown recurses once per level of nesting
        return Inspection((), (error(path, first_line, "正文的列表或引用嵌套层次太多，无法排版；请减少层次"),))
    written = sanitize.as_written(rendered)
    findings = _as_written_in(_findings(rendered, written), body)
    lines = body.split("\n")
    placer = _Placer(lines)
    problems, seen = [], set()
    for removal, line in zip(findings, placer.place(findings, _needle_of_removal, _findings_in)):
        found = error(path, first_line + line, sanitize.message(removal))
        if found not in seen:
            seen.add(found)
            problems.append(found)
    files = _file_refs(written)
    in_html = Counter(ref for block in raw for ref in _file_refs(sanitize.as_written(block)))
    refs = []
    for (kind, target), line in zip(files, placer.place(files, lambda f: f[1], _files_in)):
        if in_html[(kind, target)] > 0:
            # MkDocs rewrites the paths of Markdown images and links only: a page's address is one
            # folder deeper than its file, so a path written in HTML would miss the file
            in_html[(kind, target)] -= 1
            problems.append(error(path, first_line + line, _RAW_HTML[kind].format(target=target)))
        refs.append(FileRef(target, first_line + line, kind))  # checked all the same
    return Inspection(tuple(refs), tuple(problems))


_RAW_HTML = {
    "image": "用 HTML 写的图片（<img src=\"{target}\">）在网页上会找不到文件；请改用 Markdown 写法：![图注]({target})",
    "link": "用 HTML 写的附件链接（<a href=\"{target}\">）在网页上会找不到文件；请改用 Markdown 写法：[文字]({target})",
}


def _as_written_in(findings: list[sanitize.Removal], body: str) -> list[sanitize.Removal]:
    """The findings, each no more often than the source spells it: the HTML parser reopens an
    element left open (a stray <b 且 b>) in every paragraph after it, repeating its attributes."""
    text = _normal(body)
    seen: Counter = Counter()
    kept = []
    for finding in findings:
        seen[finding] += 1
        if seen[finding] <= max(1, text.count(_normal(_needle_of_removal(finding)))):
            kept.append(finding)
    return kept


def _findings(rendered: str, written: str | None = None) -> list[sanitize.Removal]:
    """What the sanitizer removes from rendered HTML, or else whether text would go missing."""
    strict = sanitize.clean(rendered)
    removals = sanitize.removals(rendered, strict, written)
    if not removals and sanitize.text_lost(rendered, strict):
        removals = [sanitize.Removal("#text")]
    return removals + sanitize.unbalanced(rendered)


def heading_text(markdown: str) -> str:
    """An article's title as a reader sees it (its Markdown rendered, tags dropped): the same in
    the issue's contents, the indexes, the 大事记 and the PDF as in its heading."""
    if not _INLINE_MARKUP.search(markdown):
        return markdown
    inline = _BLOCK_START.sub(lambda m: m[1] + "\\" + m[2], references.as_text(markdown), count=1)
    return " ".join(sanitize.text(render(inline)).split()) or markdown


_INLINE_MARKUP = re.compile(r"[*_`<>&\[\]\\~]")
# What would make one line a block of its own (a heading, a quote, a list item) when rendered
# alone: escaped, so "#1 …" or "1. …" keeps its first characters as the heading shows them.
_BLOCK_START = re.compile(r"^(\s*(?:\d+)?)([#>]|[-+*.)](?=\s|$))")


def is_local_file(target: str) -> bool:
    """A link target that names a file beside the content (not a page, an anchor or a site)."""
    if not target or target.startswith("#") or not sanitize.local_target(target):
        return False
    path = target.split("#")[0].split("?")[0]
    return bool(path) and not path.endswith("/") and not path.endswith(".md")


def _file_refs(written: str) -> list[tuple[str, str]]:
    """(kind, target) of every local file in rendered HTML, in document order."""
    found = []
    for tag, attrs in sanitize.start_tags(written):
        if tag == "img" and attrs.get("src"):
            value, kind = attrs["src"], "image"
        elif tag == "a" and attrs.get("href"):
            value, kind = attrs["href"], "link"
        else:
            continue
        if value == OMITTED_IMAGE or not is_local_file(value):
            continue
        target = unquote(value.split("#")[0].split("?")[0])
        found.append((kind, target))
    return found


def _findings_in(text: str) -> list:
    return _findings(render(text))


def _files_in(text: str) -> list:
    return _file_refs(sanitize.as_written(render(text)))


def _needle_of_removal(removal: sanitize.Removal) -> str:
    if removal.attribute in ("href", "src"):
        return removal.value
    return removal.needle()


def _normal(text: str) -> str:
    return re.sub(r"[\t\n\r]", "", html.unescape(text)).lower()


class _Placer:
    """Puts findings of a whole body on the lines they come from.

    A finding's needle (the attribute, tag, class or URL) is looked for in the lines
    outside code; when several lines hold it, or none, rendering the body up to a line
    says whether the finding is there yet.
    """

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        visible = {number: without_code_spans(line) for number, line in lines_outside_code("\n".join(lines), 0)}
        self.visible = {number: _normal(line) for number, line in visible.items()}
        self.renders = 0

    def place(self, items: list, needle_of, found_in) -> list[int]:
        """The 0-based line of each item (items as `found_in(text)` lists them)."""
        lines, seen = [], Counter()
        for item in items:
            seen[item] += 1
            lines.append(self._line(item, seen[item], _normal(needle_of(item)), found_in))
        return lines

    def _line(self, item, occurrence: int, needle: str, found_in) -> int:
        candidates = [n for n, text in self.visible.items() if needle and needle in text]
        if len(candidates) == 1 and occurrence == 1:
            return candidates[0]

        def present(upto: int) -> bool:  # the item's occurrence is in lines[:upto + 1]
            self.renders += 1
            return Counter(found_in("\n".join(self.lines[: upto + 1])))[item] >= occurrence

        if self.renders + len(candidates) <= LOCATING_RENDERS:
            for number in candidates:
                if present(number):
                    return number
        low, high = 0, len(self.lines) - 1  # bisect: the first line from which the item is there
        if self.renders + high.bit_length() + 1 > LOCATING_RENDERS:
            return candidates[0] if candidates else 0
        while low < high:
            middle = (low + high) // 2
            if present(middle):
                high = middle
            else:
                low = middle + 1
        return low
