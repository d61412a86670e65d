"""Hiding what typography must never touch in a Markdown body.

`mask()` replaces each protected span (code, URLs, link targets, image paths, HTML,
`[[...]]` references, line-start block syntax) with one private-use character, so the
rules see only prose and a neutral stand-in; `unmask()` puts the spans back.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_FENCE_OPEN = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^[ ]{0,3}(?:[-*+]|\d{1,9}[.)])[ \t]")

# Inline spans, tried left to right at each position; the first that matches wins.
_INLINE = re.compile(
    r"""
      (?P<code>(?P<ticks>`+)[\s\S]*?(?<!`)(?P=ticks)(?!`))   # code span
    | \[\[[^\]\n]*\]\]                                      # [[kind:target|text]] reference
    | \]\((?:[^()\s]|\([^()\s]*\))*(?:[ ]+"[^"\n]*")?\)     # ](target "title") of a link or image
    | \]\[[^\]\n]*\]                                        # ][label] of a reference link
    | \[\^[^\]\n]+\]:?                                      # footnote marker or definition
    | <!--[\s\S]*?-->                                       # HTML comment
    | </?[A-Za-z][^<>\n]*>                                  # HTML tag or autolink
    | (?:https?|ftp|file)://[^\s<>"'`()\[\]\u3000-\u303f\u3400-\u9fff\uff00-\uffef]*[^\s<>"'`()\[\].,;:!?\u3000-\u303f\u3400-\u9fff\uff00-\uffef]
    | www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:/[^\s<>"'`()\u3000-\u303f\u3400-\u9fff\uff00-\uffef]*[A-Za-z0-9/])?
    | [A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+   # e-mail address
    | &(?:[A-Za-z][A-Za-z0-9]*|\#[0-9]+|\#x[0-9A-Fa-f]+);    # HTML entity
    | \\[!-/:-@\[-`{-~]                                     # backslash escape
    | \{[:#.][^{}\n]*\}                                     # attribute list
    | ^[ ]{0,3}(?:!!!|\?\?\?\+?)[ ]*[\w-]+(?:[ ]+"[^"\n]*")?  # admonition head
    | ^[ ]{0,3}\[[^\]\n]+\]:[ \t]*\S.*$                     # link reference definition
    | ^[ \t]*(?:>[ \t]?)*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+|\#{1,6}[ \t]+)?  # block syntax at line start
    """,
    re.VERBOSE | re.MULTILINE,
)


@dataclass
class Masked:
    text: str  # the body with each protected span replaced by `mark`
    mark: str
    spans: list[str]


def _free_mark(text: str) -> str:
    for code in range(0xE000, 0xF8FF):
        if chr(code) not in text:
            return chr(code)
    raise ValueError("no free private-use character")


def _code_blocks(text: str) -> list[tuple[int, int]]:
    """Character ranges of fenced and indented code blocks (whole lines)."""
    blocks: list[tuple[int, int]] = []
    offset = 0
    fence: str | None = None
    start = 0
    previous_blank = True
    in_list = False
    for line in text.splitlines(keepends=True):
        stripped = line.rstrip("\n")
        if fence is not None:
            if stripped.strip().startswith(fence) and set(stripped.strip()) == {fence[0]}:
                blocks.append((start, offset + len(stripped)))
                fence = None
        else:
            opened = _FENCE_OPEN.match(stripped)
            if opened:
                fence, start = opened.group(1), offset
            elif previous_blank and not in_list and (stripped.startswith("    ") or stripped.startswith("\t")) and stripped.strip():
                blocks.append((offset, offset + len(stripped)))
            if stripped.strip():
                if not stripped.startswith((" ", "\t")):
                    in_list = bool(_LIST_ITEM.match(stripped))
                previous_blank = False
            else:
                previous_blank = True
        offset += len(line)
    if fence is not None:  # an unclosed fence runs to the end, as in Markdown
        blocks.append((start, len(text)))
    return blocks


def mask(text: str) -> Masked:
    mark = _free_mark(text)
    spans: list[str] = []
    pieces: list[str] = []

    def keep(segment: str) -> None:
        position = 0
        for match in _INLINE.finditer(segment):
            if match.end() == match.start():
                continue
            pieces.append(segment[position : match.start()])
            spans.append(match.group(0))
            pieces.append(mark)
            position = match.end()
        pieces.append(segment[position:])

    position = 0
    for start, end in _code_blocks(text):
        keep(text[position:start])
        spans.append(text[start:end])
        pieces.append(mark)
        position = end
    keep(text[position:])
    return Masked("".join(pieces), mark, spans)


def unmask(masked_text: str, masked: Masked) -> str:
    parts = masked_text.split(masked.mark)
    if len(parts) != len(masked.spans) + 1:
        raise AssertionError("a protected span was lost")
    out = [parts[0]]
    for span, part in zip(masked.spans, parts[1:]):
        out.append(span)
        out.append(part)
    return "".join(out)
