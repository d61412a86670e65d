"""The one Markdown configuration, shared by the site and (later) print.

`EXTENSIONS` and `EXTENSION_CONFIGS` are what MkDocs receives (the adapter installs them
into the MkDocs config); `render()` is the same parse for code outside MkDocs.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from pymdownx.slugs import slugify

from generator.bodyscan import OMITTED_IMAGE


class FigureTreeprocessor(Treeprocessor):
    """A paragraph holding one image becomes a figure whose caption is the alt text.

    An image whose target is 图略 is a photo the document does not include: only its
    caption is shown, marked （图略）.
    """

    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag == "p" and _only_image(child):
                    parent[index] = _figure(child[0])


def _only_image(paragraph: etree.Element) -> bool:
    return (
        len(paragraph) == 1
        and paragraph[0].tag == "img"
        and not (paragraph.text or "").strip()
        and not (paragraph[0].tail or "").strip()
    )


def _figure(image: etree.Element) -> etree.Element:
    caption_text = image.get("alt", "").strip()
    omitted = image.get("src") == OMITTED_IMAGE
    figure = etree.Element("figure", {"class": "zx-figure zx-figure--omitted" if omitted else "zx-figure"})
    if not omitted:
        image.tail = None
        figure.append(image)
    if caption_text or omitted:
        caption = etree.SubElement(figure, "figcaption")
        caption.text = caption_text
        if omitted:
            mark = etree.SubElement(caption, "span", {"class": "zx-omitted"})
            mark.text = "（图略）"
    return figure


class FigureExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After the inline patterns (priority 20) have turned ![..](..) into <img>.
        md.treeprocessors.register(FigureTreeprocessor(md), "zhengxie_figure", 15)


# Not pymdownx.betterem: its flanking rules reject **《书名》** and **“引语”** next to Chinese
# text, which Chinese documents bold all the time; Python-Markdown's own emphasis takes them.
EXTENSIONS = [
    "abbr",
    "admonition",
    "attr_list",
    "def_list",
    "footnotes",
    "md_in_html",
    "tables",
    "toc",
    "pymdownx.details",
    "pymdownx.superfences",
    "pymdownx.tilde",
]

EXTENSION_CONFIGS = {
    "toc": {
        "permalink": True,
        "permalink_title": "本节链接",
        # Keep Chinese headings readable in anchors instead of dropping them.
        "slugify": slugify(case="lower"),
    },
    "footnotes": {"BACKLINK_TITLE": "返回正文"},
    # align="…" rather than style="text-align: …": no style attribute reaches a page
    "tables": {"use_align_attribute": True},
    # ~~删除~~ only: with subscripts, 每组5~10人，年龄20~30岁 loses its tildes to a <sub>
    "pymdownx.tilde": {"subscript": False},
}


_SPECIAL = re.compile(r"([\\`*_\[\]{}|])")
_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})  # Markdown has no escape for < and >


_BLOCK_START = re.compile(r"^(\s*)([#+-]|[0-9]+[.)])")  # what would make a heading, quote or list of it


def escape(value: object) -> str:
    """Plain text as Markdown that shows exactly that text (in a paragraph, link text or table
    cell), wherever on a line it lands."""
    text = _SPECIAL.sub(r"\\\1", str(value).translate(_ENTITIES)).replace("\n", " ")
    return _BLOCK_START.sub(lambda m: m[1] + m[2][:-1] + "\\" + m[2][-1], text, count=1)


def extensions() -> list:
    return [*EXTENSIONS, FigureExtension()]


_renderer: markdown.Markdown | None = None  # set up once per process, reset per text


def render(text: str) -> str:
    """Markdown -> HTML with the shared configuration (for code outside MkDocs)."""
    return render_parts(text)[0]


def render_parts(text: str) -> tuple[str, list[str]]:
    """(HTML, the pieces of raw HTML the text holds as written, block and inline)."""
    global _renderer
    if _renderer is None:
        _renderer = markdown.Markdown(extensions=extensions(), extension_configs=EXTENSION_CONFIGS)
    html = _renderer.reset().convert(text)
    return html, [str(block) for block in _renderer.htmlStash.rawHtmlBlocks]
