"""Image sizes: how wide a figure prints, and at what resolution."""
from __future__ import annotations

import re
from pathlib import Path

from PIL import Image, UnidentifiedImageError

MM_PER_INCH = 25.4
MIN_DPI = 200


def pixel_size(file: Path) -> tuple[float, float] | None:
    """(width, height) in pixels for raster images, in user units for SVG; None if unknown."""
    if file.suffix.lower() == ".svg":
        return _svg_size(file)
    try:
        with Image.open(file) as image:
            return float(image.width), float(image.height)
    except (OSError, UnidentifiedImageError):
        return None


def _svg_size(file: Path) -> tuple[float, float] | None:
    head = file.read_text(encoding="utf-8", errors="replace")[:4000]
    box = re.search(r'viewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)', head)
    if box:
        return float(box[1]), float(box[2])
    width = re.search(r'<svg[^>]*\bwidth="([\d.]+)', head)
    height = re.search(r'<svg[^>]*\bheight="([\d.]+)', head)
    return (float(width[1]), float(height[1])) if width and height else None


def printed_width(file: Path, max_width: float, max_height: float) -> float:
    """Millimetres: as wide as the text block, unless that would make it taller than allowed."""
    size = pixel_size(file)
    if not size or size[0] <= 0 or size[1] <= 0:
        return max_width
    width, height = size
    return round(min(max_width, max_height * width / height), 2)


def print_dpi(file: Path, width_mm: float) -> float | None:
    """Resolution of a raster image printed `width_mm` wide (None for vector images)."""
    if file.suffix.lower() == ".svg":
        return None
    size = pixel_size(file)
    if not size:
        return None
    return size[0] / (width_mm / MM_PER_INCH)
