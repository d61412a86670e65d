"""Layout marks for documents on the GB/T 9704 page (briefings, rules, plans, reports).

Three passes over a body's document tree, made here so the template only draws:
the character grid (`on_grid`), the face of each heading (`rank_headings`) and a
salutation set flush left (`flush_salutation`).
"""
from __future__ import annotations

import re

from generator.print.tree import Node, plain_text

# Marks that may end a line but never start one, and the reverse (Typst's lists of CJK
# punctuation it adjusts at line ends and between neighbours).
CLOSING = frozenset("”’，．。、：；》〉）』」】〗〕］｝？！")
OPENING = frozenset("“‘《〈（『「【〖〔［｛")
MARKS = CLOSING | OPENING
WORD_JOINER = "\u2060"
GAP = {"t": "gap"}  # common.typ: a box as wide as the tracking, which ends a text run
# Inline nodes set in a style of their own: Typst shapes each as a text run of its own.
STYLED = frozenset({"strong", "em", "sub", "sup", "del", "s", "mark", "ins"})


def on_grid(blocks: list[Node]) -> list[Node]:
    """Blocks whose text stays on the grid of 28 characters a line, each mark a full cell.

    Typst gives the last glyph of each text run no tracking (its pitch is then 0.2 pt too
    wide), compresses a CJK mark next to another one, halves a mark that ends or starts a
    line, and takes “” for CJK marks only when untracked; each leaves a line short of its 28
    cells, and so letter-spaced, or treats marks unevenly.  So every mark ends a text run,
    and so does every styled run, and a gap as wide as the tracking (the run's pitch
    restored) follows it, or precedes an opening mark: no two marks are then compressed; a
    line may break after a closing mark's gap (the mark keeps its full width) or, to take
    one mark more than its 28 cells (避头尾), before it, and the compression Typst then
    applies to the line's marks is the only one.  Where no line may break (after an opening
    mark, before a closing one), word joiners hold the gap.
    """
    for node in blocks:
        _place(node)
    return blocks


def _place(node: Node) -> None:
    kind = node.get("t")
    if kind in ("p", "h"):
        node["c"] = _Runs().line(node["c"])
    elif kind == "table":
        node["head"] = [_Runs().line(cell) for cell in node["head"]]
        node["rows"] = [[_Runs().line(cell) for cell in row] for row in node["rows"]]
    elif kind == "figure":
        node["caption"] = _Runs().line(node["caption"])
    elif kind == "quote" and node.get("title"):
        node["title"] = _Runs().line(node["title"])
    for item in node.get("items", []):
        on_grid(item)
    if kind in ("quote", "group"):
        on_grid(node["c"])


class _Runs:
    """Walks one paragraph's inline nodes in reading order, knowing the character before."""

    def __init__(self) -> None:
        self.before: str | None = None  # the last character set (None: the line's start)
        self.ended = False  # a styled run ended (or starts) right here

    def line(self, nodes: list[Node]) -> list[Node]:
        out = self.inlines(nodes)
        if self.before in CLOSING:
            out.append(dict(GAP))  # the last line may then hold the mark at full width too
        return out

    def inlines(self, nodes: list[Node]) -> list[Node]:
        out: list[Node] = []
        for node in nodes:
            kind = node.get("t")
            if kind == "text":
                out += self.text(node["v"])
            elif kind == "br":
                self.before, self.ended = None, False
                out.append(node)
            elif kind in ("footnote", "code"):
                if kind == "footnote":
                    on_grid(node["c"])
                shown = node.get("v") or "1"  # the code, or the footnote's number
                self.ended = True
                out += [*self.gap(shown[0]), node]
                self.before, self.ended = shown[-1], True
            elif "c" in node:
                if kind in STYLED:
                    self.ended = True
                node["c"] = self.inlines(node["c"])
                if kind in STYLED:
                    self.ended = True
                out.append(node)
            else:
                out.append(node)
        return out

    def gap(self, char: str) -> list[Node]:
        """What goes between the character before and `char`."""
        before, ended = self.before, self.ended
        self.ended = False
        if before is None or not char:
            return []
        if not (ended or before in MARKS or char in OPENING):
            return []
        if before in OPENING or char in CLOSING:  # no line break here: word joiners hold the gap
            return [{"t": "text", "v": WORD_JOINER}, dict(GAP), {"t": "text", "v": WORD_JOINER}]
        return [dict(GAP)]

    def text(self, value: str) -> list[Node]:
        out: list[Node] = []
        start = 0
        for index, char in enumerate(value):
            between = self.gap(char)
            if between:
                if index > start:
                    out.append({"t": "text", "v": value[start:index]})
                out += between
                start = index
            self.before = char
        if start < len(value):
            out.append({"t": "text", "v": value[start:]})
        return out


# GB/T 9704-2012 §7.3.3: the levels 一、 （一） 1. （1）, set in 黑体, 楷体 and the body face twice.
NUMBERED_LEVELS = (
    re.compile(r"[一二三四五六七八九十百零〇]+、"),
    re.compile(r"[（(][一二三四五六七八九十百零〇]+[）)]"),
    re.compile(r"[0-9０-９]+[.．、](?![0-9])"),
    re.compile(r"[（(][0-9０-９]+[）)]"),
)


def rank_headings(blocks: list[Node]) -> list[Node]:
    """Give each heading its GB/T 9704 level (`rank`, 1-4), which decides its face.

    A heading's own number decides first: it is what the reader sees, and authors write
    "### （一）…" under "##" as often as under "#", or skip a level.  A heading without one
    takes its Markdown depth below the body's shallowest heading (that one is level 1), so a
    body whose top headings are "##" or "###" starts at level 1 all the same.
    """
    headings = [node for node in _walk(blocks) if node.get("t") == "h"]
    top = min((node["level"] for node in headings), default=1)
    for node in headings:
        text = plain_text(node["c"]).lstrip()
        numbered = next((rank for rank, pattern in enumerate(NUMBERED_LEVELS, 1) if pattern.match(text)), None)
        node["rank"] = numbered or min(node["level"] - top + 1, 4)
    return blocks


SALUTATION_LIMIT = 20  # characters: a salutation is a short line, well within one


def flush_salutation(blocks: list[Node]) -> list[Node]:
    """A body that opens with a salutation (各位委员：, 同志们：) has it set flush left.

    It is the body's first paragraph, one short phrase ending with a colon (no sentence
    punctuation before it), as GB/T 9704 §7.3.2 sets the 主送机关 flush left.
    """
    first = blocks[0] if blocks else None
    if first is not None and first.get("t") == "p":
        text = plain_text(first["c"]).strip()
        if text.endswith(("：", ":")) and len(text) <= SALUTATION_LIMIT and not re.search(r"[。；！？，.;!?]", text):
            first["flush"] = True
    return blocks


def official(blocks: list[Node]) -> list[Node]:
    """All three passes, in the order they need (ranks and salutations read the plain text)."""
    return on_grid(flush_salutation(rank_headings(blocks)))


def _walk(value):
    if isinstance(value, dict):
        yield value
        for key in ("c", "items"):
            if key in value:
                yield from _walk(value[key])
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)
