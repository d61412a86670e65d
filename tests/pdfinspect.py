"""Reading built PDFs as a printer would check them, with poppler's command-line tools."""
from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

PT_PER_MM = 72 / 25.4


def run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def page_count(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(pdf)), re.MULTILINE)[1])


def info(pdf: Path) -> dict[str, str]:
    return dict(
        (key.strip(), value.strip())
        for key, _, value in (line.partition(":") for line in run("pdfinfo", str(pdf)).splitlines())
    )


def page_size_mm(pdf: Path, page: int = 1) -> tuple[float, float]:
    out = run("pdfinfo", "-f", str(page), "-l", str(page), str(pdf))
    match = re.search(rf"^Page\s+{page} size:\s+([\d.]+) x ([\d.]+) pts", out, re.MULTILINE)
    return float(match[1]) / PT_PER_MM, float(match[2]) / PT_PER_MM


def page_text(pdf: Path, page: int, layout: bool = False) -> str:
    args = ["pdftotext", "-f", str(page), "-l", str(page)] + (["-layout"] if layout else []) + [str(pdf), "-"]
    return run(*args).replace("\u2060", "")


@dataclass
class Line:
    x0: float  # millimetres from the page's top left corner (font boxes, not ink)
    y0: float
    x1: float
    y1: float
    text: str


def lines(pdf: Path, page: int) -> list[Line]:
    html = run("pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(pdf), "-")
    found = []
    for match in re.finditer(
        r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', html, re.S
    ):
        text = "".join(re.findall(r">([^<]*)</word>", match[5]))
        x0, y0, x1, y1 = (float(match[i]) / PT_PER_MM for i in range(1, 5))
        found.append(Line(x0, y0, x1, y1, text.replace("\u2060", "")))
    return found


def ink_box_mm(pdf: Path, page: int, dpi: int = 150) -> tuple[float, float, float, float]:
    """Bounding box of everything printed on a page (left, top, right, bottom), in mm."""
    from PIL import Image, ImageOps

    stem = Path(run("mktemp", "-d").strip()) / "page"
    run("pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", "-gray", "-png", str(pdf), str(stem))
    with Image.open(f"{stem}.png") as image:
        box = ImageOps.invert(image.convert("L")).point(lambda v: 255 if v > 40 else 0).getbbox()
    scale = 25.4 / dpi
    return tuple(v * scale for v in box)


def fonts(pdf: Path) -> list[tuple[str, bool]]:
    rows = run("pdffonts", str(pdf)).splitlines()[2:]
    result = []
    for row in rows:
        parts = row.split()
        # name type... emb sub uni object ID: emb is the 5th field from the end
        result.append((parts[0], parts[-5] == "yes"))
    return result


@dataclass
class Glyph:
    char: str
    x: float  # pen position where the glyph starts, mm from the page's left edge
    y: float  # baseline, mm from the page's top edge
    width: float  # the font's own advance for the glyph, mm (without tracking or justification)
    size: float  # font size, pt
    font: str  # base font name, subset tag removed


def _widths(font) -> tuple[float, dict[int, float]]:
    descendant = font["/DescendantFonts"][0].get_object()
    default, widths = float(descendant.get("/DW", 1000)), {}
    entries = list(descendant.get("/W", []))
    i = 0
    while i < len(entries):
        first, then = int(entries[i]), entries[i + 1]
        if isinstance(then, list):
            widths.update((first + k, float(w)) for k, w in enumerate(then))
            i += 2
        else:
            widths.update((c, float(entries[i + 2])) for c in range(first, int(then) + 1))
            i += 3
    return default, widths


def _to_unicode(font) -> dict[int, str]:
    data = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    chars: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            chars[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            start = int(text, 16)
            for k, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                chars[code] = chr(start + k)
    return chars


def glyphs(pdf: Path, page: int) -> list[Glyph]:
    """Every glyph shown on a page, in content order, read from the content stream (glyphs
    that only stand for word joiners are left out, as `page_text` leaves the joiners out).

    Only what Typst writes is understood: Type0 fonts with two-byte codes, text placed by
    cm, Tm and TJ (Typst writes tracking and justification as TJ adjustments).
    """
    import pypdf
    from pypdf.generic import ContentStream

    reader = pypdf.PdfReader(pdf)
    sheet = reader.pages[page - 1]
    height = float(sheet.mediabox.height)
    fonts = {}
    for name, ref in sheet["/Resources"].get("/Font", {}).items():
        font = ref.get_object()
        fonts[name] = (font["/BaseFont"].split("+")[-1], *_widths(font), _to_unicode(font))

    def multiply(a, b):
        return [
            a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5],
        ]

    found: list[Glyph] = []
    ctm, stack = [1.0, 0, 0, 1.0, 0, 0], []
    font, size, tm = None, 0.0, [1.0, 0, 0, 1.0, 0, 0]
    for operands, op in ContentStream(sheet.get_contents(), reader).operations:
        if op == b"q":
            stack.append(ctm)
        elif op == b"Q":
            ctm = stack.pop()
        elif op == b"cm":
            ctm = multiply([float(v) for v in operands], ctm)
        elif op == b"BT":
            tm = [1.0, 0, 0, 1.0, 0, 0]
        elif op == b"Tf":
            font, size = fonts[operands[0]], float(operands[1])
        elif op == b"Tm":
            tm = [float(v) for v in operands]
        elif op == b"Td":
            tm = multiply([1, 0, 0, 1, float(operands[0]), float(operands[1])], tm)
        elif op in (b"TJ", b"Tj"):
            name, default, widths, chars = font
            for item in operands[0] if op == b"TJ" else [operands[0]]:
                if not isinstance(item, (bytes, str)) and not hasattr(item, "original_bytes"):
                    tm = multiply([1, 0, 0, 1, -float(item) / 1000 * size, 0], tm)
                    continue
                data = item.original_bytes if hasattr(item, "original_bytes") else item
                for k in range(0, len(data) - 1, 2):
                    code = data[k] << 8 | data[k + 1]
                    advance = widths.get(code, default) / 1000 * size
                    m = multiply(tm, ctm)
                    char = chars.get(code, "\ufffd").replace("\u2060", "")  # word joiners: not shown
                    if char:
                        found.append(Glyph(
                            char, m[4] / PT_PER_MM, (height - m[5]) / PT_PER_MM,
                            advance * abs(m[0]) / PT_PER_MM, size, name,
                        ))
                    tm = multiply([1, 0, 0, 1, advance, 0], tm)
    return found


def glyph_lines(pdf: Path, page: int) -> list[list[Glyph]]:
    """The page's glyphs grouped by baseline (top to bottom), each line left to right."""
    rows: dict[float, list[Glyph]] = {}
    for glyph in glyphs(pdf, page):
        key = next((y for y in rows if abs(y - glyph.y) < 0.5), glyph.y)
        rows.setdefault(key, []).append(glyph)
    return [sorted(rows[y], key=lambda g: g.x) for y in sorted(rows)]


@dataclass
class Stroke:
    top: float  # millimetres from the page's top left corner (ink, not font boxes)
    bottom: float
    x0: float
    x1: float


def strokes_mm(
    pdf: Path, page: int, top: float, bottom: float, min_length: float, red: bool = False, dpi: int = 600,
) -> list[Stroke]:
    """Horizontal strokes (rules, dashes) printed between `top` and `bottom` mm: each band of
    pixel rows holding a run of ink at least `min_length` mm long; `red` counts red ink only."""
    from PIL import Image, ImageChops

    scale = dpi / 25.4
    y, height = int(top * scale), int((bottom - top) * scale)
    stem = Path(run("mktemp", "-d").strip()) / "strip"
    run(
        "pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", "-png",
        "-y", str(y), "-H", str(height), "-x", "0", "-W", str(int(210 * scale)), str(pdf), str(stem),
    )
    with Image.open(f"{stem}.png") as image:
        rgb = image.convert("RGB")
    if red:  # much red, little green and blue
        r, g, b = rgb.split()
        mask = ImageChops.multiply(
            r.point(lambda v: 255 if v > 150 else 0), ImageChops.lighter(g, b).point(lambda v: 255 if v < 110 else 0)
        )
    else:
        mask = rgb.convert("L").point(lambda v: 255 if v < 128 else 0)
    width, rows = mask.size
    data = mask.tobytes()
    longest = re.compile(rb"\xff{%d,}" % max(1, int(min_length * scale)))
    bands: list[Stroke] = []
    for row in range(rows):
        found = [m.span() for m in longest.finditer(data, row * width, (row + 1) * width)]
        if not found:
            continue
        x0, x1 = (min(s for s, _ in found) - row * width) / scale, (max(e for _, e in found) - row * width) / scale
        mm_top, mm_bottom = (y + row) / scale, (y + row + 1) / scale
        if bands and abs(bands[-1].bottom - mm_top) < 1e-6:
            bands[-1].bottom = mm_bottom
            bands[-1].x0, bands[-1].x1 = min(bands[-1].x0, x0), max(bands[-1].x1, x1)
        else:
            bands.append(Stroke(mm_top, mm_bottom, x0, x1))
    return bands


@dataclass
class Run:
    x: float  # mm from the page's left edge, where the run starts
    baseline: float  # mm from the page's top edge (exact, unlike a line box)
    size: float  # font size in pt
    text: str


def page_runs(sheet) -> list[Run]:
    """A pypdf page's text as the PDF shows it, one piece per text-showing operation (Typst
    writes one per shaped run: each box, each grid cell), in drawing order."""
    found: list[Run] = []
    height = float(sheet.mediabox.height)

    def visit(text, cm, tm, font, size):
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        found.append(Run(x / PT_PER_MM, (height - y) / PT_PER_MM, round(size * abs(tm[3] * cm[3]), 2), text.replace("\u2060", "")))

    sheet.extract_text(visitor_text=visit)
    return found


def runs(pdf: Path, page: int) -> list[Run]:
    """One page's text runs (see page_runs)."""
    import pypdf

    return page_runs(pypdf.PdfReader(pdf).pages[page - 1])


def every_page_runs(pdf: Path) -> list[list[Run]]:
    """Every page's text runs, read once."""
    import pypdf

    return [page_runs(sheet) for sheet in pypdf.PdfReader(pdf).pages]
