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
class Run:
    x: float  # mm from the page's left edge, where the run starts
    baseline: float  # mm from the page's top edge (exact, unlike a line box)
    size: float  # font size in pt
    text: str


def runs(pdf: Path) -> list[list[Run]]:
    """Every page's text runs with their baselines, read from the content streams with pypdf."""
    import pypdf

    result = []
    for page in pypdf.PdfReader(pdf).pages:
        found: list[Run] = []
        height = float(page.mediabox.height)

        def visit(text, cm, tm, font, size):
            if not text.strip():
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append(Run(x / PT_PER_MM, (height - y) / PT_PER_MM, round(size * abs(tm[3] * cm[3]), 2), text.replace("\u2060", "")))

        page.extract_text(visitor_text=visit)
        result.append(found)
    return result
