"""Word (.docx) -> Markdown blocks: mammoth's HTML, then a small HTML -> Markdown converter.

Nothing here knows about content types or writes files: `importer.py` decides what the
blocks become. Every problem with the input is a `DocxProblem` with a Chinese message.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import mammoth
from PIL import Image as PillowImage, UnidentifiedImageError

from generator.image_files import DEFAULT_MAX_MEGAPIXELS, ImageProblem, check_image
from generator.references import REFERENCE

# Word's built-in names (English inside the file even in Chinese Word) and the names
# WPS and localized templates sometimes write.
STYLE_MAP = "\n".join(
    [
        "p[style-name='Title'] => h1.zx-title:fresh",
        "p[style-name='标题'] => h1.zx-title:fresh",
        "p[style-name='Subtitle'] => p:fresh",
        "p[style-name='caption'] => p.zx-caption:fresh",
        "p[style-name='题注'] => p.zx-caption:fresh",
        "p[style-name='Quote'] => blockquote > p:fresh",
        "p[style-name='Intense Quote'] => blockquote > p:fresh",
        *(f"p[style-name='标题 {n}'] => h{n}:fresh" for n in range(1, 7)),
        *(f"p[style-name='标题{n}'] => h{n}:fresh" for n in range(1, 7)),
        "r[style-name='Strong'] => strong",
        "r[style-name='Emphasis'] => em",
    ]
)

# Formats a browser and the print stage both show; other raster formats become PNG.
_KEEP = {"image/png": "png", "image/jpeg": "jpg", "image/jpg": "jpg", "image/gif": "gif", "image/svg+xml": "svg"}
_VECTOR = {"image/x-emf", "image/emf", "image/x-wmf", "image/wmf"}
_AUTO_ALT = re.compile(r"自动生成|automatically generated", re.IGNORECASE)
_NOTE_REF = re.compile(r"^#((?:footnote|endnote)-[^\s]+)$")
_SPACE = " \t\u3000\xa0"
_SUPERSCRIPT = dict(zip("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ"))
_SUBSCRIPT = dict(zip("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎"))


class DocxProblem(Exception):
    """Why a file cannot be imported (Chinese message)."""


@dataclass
class Image:
    target: str  # path relative to the content file, as written in the Markdown
    data: bytes


@dataclass
class Block:
    """One top-level piece of the document, in order."""

    kind: str  # "title", "heading", "paragraph", "image", "caption", "list", "other"
    markdown: str = ""
    text: str = ""  # plain text (titles, headings, paragraphs, captions)
    level: int = 0  # headings: 1 to 6
    bold: bool = False  # a paragraph that is bold throughout

    def make_heading(self, level: int = 1) -> None:
        self.kind, self.level, self.markdown = "heading", level, _escape(self.text)


@dataclass
class Document:
    blocks: list[Block]
    notes: list[str]  # Markdown of footnote N+1 (a continuation paragraph is indented)
    images: list[Image]
    warnings: list[str] = field(default_factory=list)  # Chinese, for the list shown after the import

    def name_images(self, prefix: str) -> None:
        """Give the images their final names, `<prefix>N.<ext>`, in the Markdown too."""
        for block in self.blocks:
            block.markdown = block.markdown.replace(IMAGE_MARK, prefix)
        self.notes = [note.replace(IMAGE_MARK, prefix) for note in self.notes]
        for image in self.images:
            image.target = image.target.replace(IMAGE_MARK, prefix)


# Stands for an image's final name until the file's place is known. XML 1.0 forbids this
# character, so it cannot come from the document's text.
IMAGE_MARK = "\x1a"


def read_docx(path: Path) -> Document:
    """Convert `path`; images are named `IMAGE_MARK N.<ext>` until `name_images`."""
    if not path.exists():
        raise DocxProblem(f"找不到文件：{path}")
    if not path.is_file():
        raise DocxProblem(f"{path} 不是文件")
    if path.suffix.lower() != ".docx":
        hint = "（.doc 文件请先在 Word 或 WPS 中“另存为” .docx）" if path.suffix.lower() in (".doc", ".wps") else ""
        raise DocxProblem(f"只能导入 Word 的 .docx 文件，而不是“{path.name}”{hint}")
    if not zipfile.is_zipfile(path):
        raise DocxProblem(f"{path.name} 不是有效的 .docx 文件（文件已损坏，或只是改了扩展名），请在 Word 中重新保存")
    _check_archive(path)
    images = _ImageCollector()
    try:
        with path.open("rb") as handle:
            result = mammoth.convert_to_html(
                handle,
                style_map=STYLE_MAP,
                include_embedded_style_map=False,
                external_file_access=False,  # never read files the document only links to
                convert_image=mammoth.images.img_element(images),
            )
    except Exception:  # noqa: BLE001 - any failure inside a foreign file is a bad input, not a bug here
        raise DocxProblem(f"无法读取 {path.name}：文件已损坏或不是 Word 文档，请在 Word 中重新保存后再导入") from None
    document = html_to_blocks(result.value)
    document.images = images.kept
    document.warnings = images.warnings + document.warnings
    return document


# A .docx is a zip archive: what a real document needs, with room to spare.  Beyond it a
# small file can unpack into gigabytes (a zip bomb) and keep the import busy for hours.
MAX_ENTRIES = 10_000
MAX_UNPACKED = 500 * 1024 * 1024
MAX_RATIO = 200  # unpacked / packed, for members over 1 MB (Word's XML packs about 10:1)


def _check_archive(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DocxProblem(f"{path.name} 不是有效的 .docx 文件（文件已损坏），请在 Word 中重新保存") from None
    refuse = f"{path.name} 不像正常的 Word 文档"
    if len(members) > MAX_ENTRIES:
        raise DocxProblem(f"{refuse}：压缩包里有 {len(members)} 个文件（上限 {MAX_ENTRIES} 个），未导入")
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED:
        raise DocxProblem(f"{refuse}：解压后有 {unpacked / 1024 / 1024:.0f} MB（上限 {MAX_UNPACKED // 1024 // 1024} MB），未导入")
    for member in members:
        if member.file_size > 1024 * 1024 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise DocxProblem(f"{refuse}：其中的 {member.filename} 压缩比异常（可能是“压缩炸弹”），未导入")


class _ImageCollector:
    """mammoth's image callback: keep the bytes, hand back the Markdown target."""

    def __init__(self):
        self.kept: list[Image] = []
        self.warnings: list[str] = []
        self.seen = 0

    def __call__(self, image) -> dict:
        self.seen += 1
        try:
            with image.open() as handle:
                data = handle.read(MAX_UNPACKED + 1)
        except ValueError as exc:  # mammoth's InvalidFileReferenceError: linked, not embedded; nothing outside is read
            linked = re.search(r"image '([^']*)'", str(exc))
            where = f"“{linked[1]}”" if linked else "文档之外的文件"
            self.warnings.append(
                f"第{self.seen}张图片没有嵌入文档，只是链接到{where}，未导入，已写成“图略”；"
                "请把这张图片放到文件旁边，再改写正文中的引用"
            )
            return {"src": "图略"}
        content_type = (image.content_type or "").lower()
        extension = _KEEP.get(content_type)
        if extension is None and content_type not in _VECTOR:
            data, extension = _as_png(data)
        if extension is None:
            self.warnings.append(
                f"第{self.seen}张图片的格式（{content_type or '未知'}，如 Word 的 EMF/WMF 矢量图）无法转换，已写成“图略”；"
                "请在 Word 中把它另存为 PNG 图片，放到文件旁边，再改写正文中的引用"
            )
            return {"src": "图略"}
        try:  # what check would refuse is not written: an SVG with a script, a picture too large
            check_image(f"image.{extension}", data)
        except ImageProblem as problem:
            self.warnings.append(f"第{self.seen}张图片未导入，已写成“图略”：{problem}")
            return {"src": "图略"}
        target = f"{IMAGE_MARK}{len(self.kept) + 1}.{extension}"
        self.kept.append(Image(target, data))
        return {"src": target}


def _as_png(data: bytes) -> tuple[bytes, str | None]:
    try:
        with PillowImage.open(io.BytesIO(data)) as picture:
            if picture.width * picture.height > DEFAULT_MAX_MEGAPIXELS * 1_000_000:
                return data, None  # not decoded: far larger than any page needs
            if picture.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
                picture = picture.convert("RGB")  # CMYK and other modes PNG cannot hold
            out = io.BytesIO()
            picture.save(out, "PNG")
            return out.getvalue(), "png"
    except (OSError, UnidentifiedImageError, ValueError, PillowImage.DecompressionBombError):
        return data, None


# --- HTML -> tree ---------------------------------------------------------------------------


@dataclass
class _Node:
    tag: str
    attrs: dict
    children: list = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    VOID = {"img", "br", "hr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Node("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(_Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def _parse(html: str) -> _Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def _plain(node) -> str:
    if isinstance(node, str):
        return node
    if node.tag == "br":
        return "\n"
    if node.tag == "a" and _NOTE_REF.match(node.attrs.get("href", "")):
        return ""
    return "".join(_plain(child) for child in node.children)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u3000", " ")).strip()


# --- tree -> Markdown -----------------------------------------------------------------------

# What would make a line of Word text start a heading, quote, list, admonition or setext rule.
_LINE_START = re.compile(r"^(?:(#|>|:|~~~|```|[-+*](?=\s|$)|!!!|\?\?\?|=+\s*$|-+\s*$)|\d+([.)])(?=\s|$))")


def _escape(text: str) -> str:
    """Literal Word text as Markdown; [[…]] references are kept as written."""
    return _outside_references(text, _escape_plain)


def _outside_references(text: str, change) -> str:
    """`change` applied to the text between [[…]] references, which stay as written."""
    parts, last = [], 0
    for match in REFERENCE.finditer(text):
        parts += [change(text[last : match.start()]), match.group(0)]
        last = match.end()
    return "".join(parts) + change(text[last:])


def _escape_plain(text: str) -> str:
    text = text.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")
    text = re.sub(r"([`*_\[\]{}])", r"\\\1", text)
    text = re.sub(r"&(?=#?\w+;)", "&amp;", text)  # a literal "&amp;" stays literal
    return text.replace("<", "&lt;")


def _escape_line_start(match: re.Match) -> str:
    if match.group(1) in (":", "~~~"):  # not characters Markdown escapes with a backslash
        return f"&#{ord(match.group(1)[0])};" + match.group(1)[1:]
    if match.group(1):
        return "\\" + match.group(1)
    return match.group(0)[:-1] + "\\" + match.group(2)  # 1. -> 1\.


def _escape_line_starts(markdown: str) -> str:
    return "\n".join(_LINE_START.sub(_escape_line_start, line, count=1) for line in markdown.split("\n"))


class _Converter:
    def __init__(self):
        self.note_labels: dict[str, int] = {}
        self.warnings: list[str] = []

    # inline

    def inline(self, node: _Node) -> str:
        out = ""
        for child in node.children:
            out += self.inline_one(child, out)
        return out

    def inline_one(self, node, before: str) -> str:
        if isinstance(node, str):
            return _escape(node)
        tag = node.tag
        if tag == "br":
            return "  \n"
        if tag == "img":
            return f"![{_escape(self.alt(node))}]({node.attrs.get('src', '')})"
        if tag == "a":
            return self.link(node)
        if tag in ("strong", "b"):
            return self.emphasis(node, "**", "strong", before)
        if tag in ("em", "i"):
            return self.emphasis(node, "*", "em", before)
        if tag in ("s", "del"):
            return self.emphasis(node, "~~", "del", before)
        if tag in ("sup", "sub"):
            inner = self.inline(node)
            if re.fullmatch(r"\[\^\d+\]", inner.strip()) or not inner.strip():
                return inner.strip()  # a footnote mark Word set as superscript
            table = _SUPERSCRIPT if tag == "sup" else _SUBSCRIPT
            if all(c in table for c in inner):  # m², CO₂: plain text, the same on the web and in print
                return "".join(table[c] for c in inner)
            return f"<{tag}>{inner}</{tag}>"
        return self.inline(node)

    def emphasis(self, node: _Node, marker: str, html_tag: str, before: str) -> str:
        inner = self.inline(node)
        core = inner.strip(_SPACE)
        if not core:
            return inner
        lead = inner[: len(inner) - len(inner.lstrip(_SPACE))]
        trail = inner[len(inner.rstrip(_SPACE)) :]
        if (before + lead)[-1:] in ("*", "~"):  # a run that touches another: Markdown cannot say it
            return f"{lead}<{html_tag}>{core}</{html_tag}>{trail}"
        return f"{lead}{marker}{core}{marker}{trail}"

    def alt(self, node: _Node) -> str:
        alt = _clean(node.attrs.get("alt", ""))
        return "" if _AUTO_ALT.search(alt) else alt

    def link(self, node: _Node) -> str:
        href = node.attrs.get("href", "")
        note = _NOTE_REF.match(href)
        if note:
            label = self.note_labels.setdefault(note.group(1), len(self.note_labels) + 1)
            return f"[^{label}]"
        text = self.inline(node)
        if not href or href.startswith("#"):  # bookmarks and Word's table-of-contents links
            return text
        target = f"<{href}>" if re.search(r"[\s()<>]", href) else href
        if not text.strip() or _plain(node).strip() == href:
            return f"<{href}>"
        return f"[{text}]({target})"

    def paragraph_text(self, node: _Node) -> str:
        return _escape_line_starts(self.inline(node).strip(_SPACE + "\n"))

    # blocks

    def blocks(self, root: _Node) -> tuple[list[Block], list[str]]:
        blocks: list[Block] = []
        notes_list = None
        for node in root.children:
            if isinstance(node, str):
                if node.strip():
                    blocks.append(Block("paragraph", _escape(node.strip()), node.strip()))
                continue
            if node.tag == "ol" and self.is_notes_list(node):
                notes_list = node
                continue
            block = self.block(node)
            if block is not None:
                blocks.append(block)
        return blocks, self.notes(notes_list)

    def block(self, node: _Node) -> Block | None:
        tag = node.tag
        if re.fullmatch(r"h[1-6]", tag):
            text = _clean(_plain(node))
            if not text:
                return None
            kind = "title" if "zx-title" in node.attrs.get("class", "") else "heading"
            return Block(kind, _escape(text), text, level=int(tag[1]))
        if tag == "p":
            markdown = self.paragraph_text(node)
            if not markdown:
                return None
            text = _clean(_plain(node))
            if "zx-caption" in node.attrs.get("class", ""):
                return Block("caption", markdown, text)
            content = [c for c in node.children if not (isinstance(c, str) and not c.strip(_SPACE))]
            if len(content) == 1 and isinstance(content[0], _Node) and content[0].tag == "img":
                return Block("image", markdown, self.alt(content[0]))
            bold = len(content) == 1 and isinstance(content[0], _Node) and content[0].tag in ("strong", "b")
            return Block("paragraph", markdown, text, bold=bold)
        if tag in ("ul", "ol"):
            return Block("list", self.list(node, 0))
        if tag == "table":
            return self.table(node)
        if tag == "blockquote":
            inner = [self.block(c) for c in node.children if isinstance(c, _Node)]
            text = "\n\n".join(b.markdown for b in inner if b is not None)
            return Block("other", "\n".join(f"> {line}".rstrip() for line in text.split("\n"))) if text else None
        if tag in ("hr", "dl"):
            return None
        markdown = self.paragraph_text(node)
        return Block("paragraph", markdown, _clean(_plain(node))) if markdown else None

    def list(self, node: _Node, depth: int) -> str:
        indent = "    " * depth
        lines = []
        for number, item in enumerate((c for c in node.children if isinstance(c, _Node) and c.tag == "li"), start=1):
            marker = f"{number}." if node.tag == "ol" else "-"
            texts, nested = [], []
            inline_parts = _Node("li", {})
            for child in item.children:
                if isinstance(child, _Node) and child.tag in ("ul", "ol"):
                    nested.append(self.list(child, depth + 1))
                elif isinstance(child, _Node) and child.tag == "p":
                    texts.append(self.paragraph_text(child))
                else:
                    inline_parts.children.append(child)
            if inline_parts.children:
                texts.insert(0, self.paragraph_text(inline_parts))
            text = "  \n".join(t for t in texts if t)
            continuation = "\n" + indent + "    "
            lines.append(f"{indent}{marker} {text.replace(chr(10), continuation)}".rstrip())
            lines.extend(nested)
        return "\n".join(lines)

    def cell(self, node: _Node) -> str:
        parts = []
        for child in node.children:
            if isinstance(child, _Node) and child.tag in ("ul", "ol", "table"):
                items = [c for c in child.children if isinstance(c, _Node)]
                parts.extend(_escape(_clean(_plain(c))) for c in items)
            elif isinstance(child, _Node) and child.tag == "p":
                parts.append(self.inline(child).strip(_SPACE + "\n"))
            elif isinstance(child, str):
                parts.append(_escape(child.strip()))
            else:
                parts.append(self.inline_one(child, ""))
        text = "<br>".join(p for p in parts if p.strip()).replace("  \n", "<br>")
        return _outside_references(text, lambda plain: plain.replace("|", "\\|"))

    def table(self, node: _Node) -> Block | None:
        rows = [r for r in _descendants(node, "tr", stop="table")]
        grid: list[list[str]] = []
        pending: dict[tuple[int, int], str] = {}  # cells covered by a rowspan above
        merged = False
        for r, row in enumerate(rows):
            cells = [c for c in row.children if isinstance(c, _Node) and c.tag in ("td", "th")]
            line: list[str] = []
            column = 0
            for cell in cells:
                while (r, column) in pending:
                    line.append(pending.pop((r, column)))
                    column += 1
                line.append(self.cell(cell))
                span = max(1, int(cell.attrs.get("colspan") or 1))
                down = max(1, int(cell.attrs.get("rowspan") or 1))
                merged |= span > 1 or down > 1
                for extra in range(1, span):
                    line.append("")
                for below in range(1, down):
                    for c in range(column, column + span):
                        pending[(r + below, c)] = ""
                column += span
            while (r, column) in pending:
                line.append(pending.pop((r, column)))
                column += 1
            grid.append(line)
        if not grid or not any(any(c.strip() for c in row) for row in grid):
            return None
        width = max(len(row) for row in grid)
        if width == 1 and len(grid) == 1:  # a framed box of text, not a table
            return Block("paragraph", grid[0][0].replace("<br>", "  \n"), _clean(_plain(node)))
        if merged:
            self.warnings.append("表格中有合并的单元格，Markdown 表格不能合并，已拆成空白单元格，请核对")
        lines = []
        for index, row in enumerate(grid):
            row = row + [""] * (width - len(row))
            lines.append("| " + " | ".join(c.strip() for c in row) + " |")
            if index == 0:
                lines.append("|" + "---|" * width)
        return Block("other", "\n".join(lines))

    def is_notes_list(self, node: _Node) -> bool:
        items = [c for c in node.children if isinstance(c, _Node)]
        return bool(items) and all(re.match(r"(footnote|endnote)-", c.attrs.get("id", "")) for c in items)

    def notes(self, notes_list: _Node | None) -> list[str]:
        if notes_list is None:
            return []
        found: dict[int, str] = {}
        for item in (c for c in notes_list.children if isinstance(c, _Node)):
            label = self.note_labels.get(item.attrs.get("id", ""))
            if label is None:
                continue
            _drop_backlinks(item)
            paragraphs = [self.paragraph_text(c) for c in item.children if isinstance(c, _Node) and c.tag == "p"]
            paragraphs = [p.strip() for p in paragraphs if p.strip()] or [self.paragraph_text(item)]
            found[label] = "\n\n".join(p.replace("\n", "\n    ") for p in paragraphs).replace("\n\n", "\n\n    ")
        return [found.get(n, "") for n in range(1, len(self.note_labels) + 1)]


def _descendants(node: _Node, tag: str, stop: str):
    for child in node.children:
        if not isinstance(child, _Node):
            continue
        if child.tag == tag:
            yield child
        elif child.tag != stop:
            yield from _descendants(child, tag, stop)


def _drop_backlinks(node: _Node) -> None:
    node.children = [
        c
        for c in node.children
        if not (isinstance(c, _Node) and c.tag == "a" and re.match(r"#(footnote|endnote)-ref-", c.attrs.get("href", "")))
    ]
    for child in node.children:
        if isinstance(child, _Node):
            _drop_backlinks(child)


def _captioned(blocks: list[Block]) -> list[Block]:
    """A Caption-styled line right after a picture becomes its alt text (our figure caption)."""
    result: list[Block] = []
    for block in blocks:
        previous = result[-1] if result else None
        if block.kind == "caption" and previous is not None and previous.kind == "image" and not previous.text:
            previous.text = block.text
            previous.markdown = previous.markdown.replace("![]", f"![{_escape_plain(block.text)}]", 1)
            continue
        if block.kind == "caption":
            block.kind = "paragraph"
        result.append(block)
    return result


def html_to_blocks(html: str) -> Document:
    """mammoth's HTML -> blocks, footnotes and conversion warnings (images are added by the caller)."""
    converter = _Converter()
    blocks, notes = converter.blocks(_parse(html))
    blocks = _captioned(blocks)
    for first, second in zip(blocks, blocks[1:]):
        if first.kind == second.kind == "list":  # else Markdown would run them into one list
            first.markdown += "\n\n<!-- -->"
    return Document(blocks, notes, [], converter.warnings)
