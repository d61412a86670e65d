"""The shared Markdown parse turned into a JSON document tree for Typst.

The element tree is taken from the very parse the site uses (same extensions, same
settings), after every tree processor has run.  Text stays text: Typst templates
receive strings and never evaluate them.
"""
from __future__ import annotations

import hashlib
import html
import json
import posixpath
import re
import xml.etree.ElementTree as etree
from contextlib import contextmanager
from pathlib import Path

import markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

from generator import sanitize
from generator.markdown import EXTENSION_CONFIGS, extensions
from generator.output import write_file

Node = dict
_PLACEHOLDER = re.compile("\x02[^\x03]*\x03")


class _Capture(Treeprocessor):
    """Keeps the final element tree (registered to run after all other tree processors)."""

    root: etree.Element | None = None

    def run(self, root: etree.Element) -> None:
        self.root = root


_parser: tuple[markdown.Markdown, _Capture] | None = None  # set up once per process, reset per parse


def parse(text: str) -> tuple[etree.Element, list[str]]:
    """Markdown -> (element tree, raw HTML blocks stashed by the parser)."""
    global _parser
    if _parser is None:
        md = markdown.Markdown(extensions=extensions(), extension_configs=EXTENSION_CONFIGS)
        capture = _Capture(md)
        md.treeprocessors.register(capture, "zhengxie_capture", -100)
        _parser = md, capture
    md, capture = _parser
    md.reset()
    md.convert(text)
    return capture.root, [str(block) for block in md.htmlStash.rawHtmlBlocks]


class BlockCache:
    """Bodies already parsed, by digest of (folder, text), kept in one JSON file between builds.

    `version` names what else decides the result (the generator and its Markdown
    configuration): a file written by another version is ignored.  Only entries used by
    this build are written back, so the file never grows beyond the corpus.
    """

    def __init__(self, file: Path, version: str) -> None:
        self.file, self.version = file, version
        self.stored: dict[str, str] = {}
        self.used: dict[str, str] = {}
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            if data.get("version") == version:
                self.stored = data["blocks"]
        except (OSError, ValueError, KeyError, AttributeError):
            pass

    def blocks(self, text: str, base: str) -> list[Node]:
        key = hashlib.blake2b(f"{base}\0{text}".encode("utf-8"), digest_size=16).hexdigest()
        stored = self.stored.get(key) or self.used.get(key)
        if stored is None:
            stored = json.dumps(_parse_blocks(text, base), ensure_ascii=False)
        self.used[key] = stored
        return json.loads(stored)  # a fresh copy: callers change nodes in place

    def save(self) -> None:
        data = {"version": self.version, "blocks": self.used}
        write_file(self.file, json.dumps(data, ensure_ascii=False).encode("utf-8"))


_cache: BlockCache | None = None


@contextmanager
def cached(cache: BlockCache):
    """Within the block, `to_blocks` takes parsed bodies from `cache` (one print stage)."""
    global _cache
    previous, _cache = _cache, cache
    try:
        yield cache
    finally:
        _cache = previous


def to_blocks(text: str, base: str = "") -> list[Node]:
    """Markdown body -> block nodes.  `base` is the body's folder, for image paths."""
    if not text.strip():
        return []
    if _cache is not None:
        return _cache.blocks(text, base)
    return _parse_blocks(text, base)


def _parse_blocks(text: str, base: str) -> list[Node]:
    root, stash = parse(text)
    converter = _Converter(stash, base)
    footnotes = root.find("./div[@class='footnote']")
    if footnotes is not None:
        converter.collect_footnotes(footnotes)
        root.remove(footnotes)
    return converter.blocks(root)


class _Converter:
    def __init__(self, stash: list[str], base: str):
        self.stash = stash
        self.base = base
        self.footnotes: dict[str, list[Node]] = {}

    # -- text -------------------------------------------------------------
    def text(self, value: str | None) -> str:
        if not value:
            return ""
        value = value.replace(AMP_SUBSTITUTE, "&")
        for index, block in enumerate(self.stash):
            placeholder = markdown.util.HTML_PLACEHOLDER % index
            if placeholder in value:
                value = value.replace(placeholder, _strip_tags(block))
        value = _PLACEHOLDER.sub("", value)  # markers other extensions resolve after serialising
        return html.unescape(value)

    def collect_footnotes(self, div: etree.Element) -> None:
        for item in div.iter("li"):
            key = item.get("id", "").removeprefix("fn:")
            for backlink in item.iter("a"):
                if "footnote-backref" in (backlink.get("class") or ""):
                    backlink.text, backlink.attrib["class"] = "", "footnote-backref"
            self.footnotes[key] = self.blocks(item)

    # -- blocks -----------------------------------------------------------
    def blocks(self, parent: etree.Element) -> list[Node]:
        result: list[Node] = []
        loose = self.inlines_of_text(parent.text)
        if loose:
            result.append({"t": "p", "c": loose})
        for child in parent:
            node = self.block(child)
            if node is not None:
                result.append(node)
            tail = self.inlines_of_text(child.tail)
            if tail:
                result.append({"t": "p", "c": tail})
        return result

    def inlines_of_text(self, value: str | None) -> list[Node]:
        value = self.text(value)
        return [{"t": "text", "v": value}] if value.strip() else []

    def block(self, el: etree.Element) -> Node | None:
        tag = el.tag
        if tag == "p":
            node = {"t": "p", "c": self.inlines(el)}
            if el.get("id"):
                node["id"] = el.get("id")
            return node
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            return {"t": "h", "level": int(tag[1]), "c": self.inlines(el), "id": el.get("id", "")}
        if tag in ("ul", "ol"):
            items = [self.blocks(li) for li in el if li.tag == "li"]
            return {"t": "list", "ordered": tag == "ol", "start": int(el.get("start", "1")), "items": items}
        if tag == "blockquote":
            return {"t": "quote", "c": self.blocks(el)}
        if tag == "figure":
            return self.figure(el)
        if tag == "table":
            return self.table(el)
        if tag == "pre":
            return {"t": "code", "v": self.text("".join(el.itertext()))}
        if tag == "hr":
            return {"t": "hr"}
        if tag == "div" and "admonition" in (el.get("class") or ""):
            title = el.find("./p[@class='admonition-title']")
            if title is not None:
                el.remove(title)
            return {"t": "quote", "title": self.inlines(title) if title is not None else [], "c": self.blocks(el)}
        if tag == "dl":
            return {"t": "list", "ordered": False, "start": 1, "items": [self.blocks(item) for item in el]}
        if tag in ("div", "details", "section", "nav", "dd", "dt", "li"):
            return {"t": "group", "c": self.blocks(el)}
        inline = self.inline(el)
        return {"t": "p", "c": inline} if inline else None

    def figure(self, el: etree.Element) -> Node:
        image = el.find("img")
        caption = el.find("figcaption")
        omitted = "zx-figure--omitted" in (el.get("class") or "")
        if caption is not None:
            for mark in caption.findall("span"):
                caption.remove(mark)  # the （图略） mark: templates add their own
        return {
            "t": "figure",
            "src": self.image_path(image.get("src")) if image is not None else None,
            "caption": self.inlines(caption) if caption is not None else [],
            "omitted": omitted,
        }

    def image_path(self, src: str | None) -> str | None:
        if not src or "://" in src:
            return None
        return posixpath.normpath(posixpath.join(self.base, src))

    def table(self, el: etree.Element) -> Node:
        head, rows, aligns = [], [], []
        for row in el.iter("tr"):
            cells = list(row)
            if all(cell.tag == "th" for cell in cells) and not head and not rows:
                head = [self.inlines(cell) for cell in cells]
                aligns = [cell.get("align") or "left" for cell in cells]
            else:
                rows.append([self.inlines(cell) for cell in cells])
        return {"t": "table", "head": head, "rows": rows, "align": aligns}

    # -- inlines ----------------------------------------------------------
    def inlines(self, el: etree.Element) -> list[Node]:
        result = self.inlines_of_text(el.text) if el.text and el.text.strip() else (
            [{"t": "text", "v": self.text(el.text)}] if el.text else []
        )
        for child in el:
            result.extend(self.inline(child))
            if child.tail:
                result.append({"t": "text", "v": self.text(child.tail)})
        return result

    def inline(self, el: etree.Element) -> list[Node]:
        tag = el.tag
        css = el.get("class") or ""
        if tag == "a" and ("headerlink" in css or "footnote-backref" in css):
            return []
        if tag == "sup" and el.find("a") is not None and "footnote-ref" in (el.find("a").get("class") or ""):
            key = el.get("id", "").removeprefix("fnref:").split(":")[0]
            return [{"t": "footnote", "c": self.footnotes.get(key, [])}]
        if tag in ("em", "i"):
            return [{"t": "em", "c": self.inlines(el)}]
        if tag in ("strong", "b"):
            return [{"t": "strong", "c": self.inlines(el)}]
        if tag == "code":
            return [{"t": "code", "v": self.text("".join(el.itertext()))}]
        if tag == "a":
            url = el.get("href", "")
            if not sanitize.allowed_url(url):  # check reports it; a PDF never carries it
                return self.inlines(el)
            return [{"t": "link", "url": url, "c": self.inlines(el)}]
        if tag == "br":
            return [{"t": "br"}]
        if tag in ("sub", "sup", "del", "mark", "ins", "s"):
            return [{"t": tag, "c": self.inlines(el)}]
        if tag == "img":
            return [{"t": "text", "v": el.get("alt", "")}]
        if tag == "abbr":
            return self.inlines(el)
        return self.inlines(el)


def _strip_tags(fragment: str) -> str:
    parts, inside = [], False
    for char in fragment:
        if char == "<":
            inside = True
        elif char == ">":
            inside = False
        elif not inside:
            parts.append(char)
    return "".join(parts)


def plain_text(nodes: list[Node]) -> str:
    """All text under some nodes (for metadata, word counts and glyph checks)."""
    out: list[str] = []

    def walk(value) -> None:
        if isinstance(value, dict):
            if value.get("t") in ("text", "code") and "v" in value:
                out.append(value["v"])
            for key in ("c", "items", "head", "rows", "caption", "title"):
                if key in value:
                    walk(value[key])
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(nodes)
    return "".join(out)
