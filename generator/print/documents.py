"""What a print job is, and what every type's job is made with (each type's module makes its own).

Every layout decision that depends on content (an image's printed width, the 报尾 lines,
the 版权页 word count) is made in Python, so templates only draw what they are given.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from generator.model import Site
from generator.print import grid
from generator.print import images as image_sizes
from generator.print.tree import to_blocks
from generator.references import ReferenceIndex, cite

# Text block of the GB/T 9704 page and the share of its height an image may take.
OFFICIAL_TEXT = (156.0, 225.0)
BOOK_MARGINS = {"top": 24.0, "bottom": 22.0, "inside": 22.0, "outside": 18.0}
IMAGE_MAX_HEIGHT = 0.6


@dataclass
class PrintJob:
    output: str  # path under pdf/, e.g. briefings/2018/04.pdf
    template: str | Path  # a file in print/templates/, or a type's own template file
    data: dict
    sources: list[str]  # content files the document is made of (for messages)
    images: dict[str, Path] = field(default_factory=dict)  # name in the compile root -> kept file
    pdf_standard: str | None = None
    show_outline: bool = False  # the viewer opens it with the bookmarks shown (a book)


def text_nodes(value: str) -> list[dict]:
    return [{"t": "text", "v": value}]


def book_text_block(site: Site) -> tuple[float, float]:
    width, height = site.print.book_size
    return (
        width - BOOK_MARGINS["inside"] - BOOK_MARGINS["outside"],
        height - BOOK_MARGINS["top"] - BOOK_MARGINS["bottom"],
    )


class Images:
    """Gives each figure a file name inside the compile root and its printed width.

    Only files the check has read and kept (`Corpus.files`, by project path) are printed:
    a figure whose source is anything else prints as its caption alone.
    """

    def __init__(self, kept: dict, text_block: tuple[float, float]):
        self.kept = kept
        self.width, self.height = text_block[0], text_block[1] * IMAGE_MAX_HEIGHT
        self.files: dict[str, Path] = {}

    def place(self, nodes):
        for node in walk(nodes):
            if node.get("t") != "figure" or node.get("omitted") or not node.get("src"):
                continue
            kept = self.kept.get(node["src"])
            if kept is None or kept.image is None:
                node["src"], node["omitted"] = None, True
                continue
            name = f"img/{len(self.files) + 1}{kept.stored.suffix}"
            self.files[name] = kept.stored
            node["source"], node["src"] = node["src"], name
            node["width"] = image_sizes.printed_width(kept.image, self.width, self.height)
        return nodes


def walk(value):
    """Every dict node under a document tree (depth first)."""
    if isinstance(value, dict):
        yield value
        for child in value.values():
            yield from walk(child)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)


@dataclass
class Printing:
    """What a type's print job is made with: the kept files, the settings, the fonts, the references."""

    files: dict  # Corpus.files: only these are printed
    site: Site
    fonts: dict[str, str]  # role -> family
    index: ReferenceIndex

    def images(self, text_block: tuple[float, float]) -> Images:
        return Images(self.files, text_block)

    def blocks(self, placer: Images, body: str, base: str) -> list[dict]:
        """A body as placed document nodes; references become plain citations."""
        return placer.place(to_blocks(cite(body, self.index), base))

    def official_blocks(self, placer: Images, body: str, base: str) -> list[dict]:
        """A body for the GB/T 9704 page: on its character grid, headings ranked (grid.py)."""
        return grid.official(self.blocks(placer, body, base))

    def official(self, output: str, source: str, title: str, body: str, **extra) -> PrintJob:
        """A job in the official-document layout (rules, plans, reports)."""
        placer = self.images(OFFICIAL_TEXT)
        data = {
            "meta": {"title": title, "author": self.site.committee, "date": extra.pop("date", None)},
            "fonts": self.fonts,
            "title": title,
            "adoption": "",
            "centered_headings": False,
            "attachment": None,  # {title, table}: set as a 附件 after the text
            **extra,
            "blocks": self.official_blocks(placer, body, posixpath.dirname(source)),
        }
        return PrintJob(output, "official.typ", data, [source], placer.files)
