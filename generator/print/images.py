"""Image sizes in print: how wide a figure prints, and at what resolution."""
from __future__ import annotations

from generator.image_files import ImageInfo

MM_PER_INCH = 25.4
MIN_DPI = 200


def printed_width(image: ImageInfo, max_width: float, max_height: float) -> float:
    """Millimetres: as wide as the text block, unless that would make it taller than allowed."""
    if image.width <= 0 or image.height <= 0:
        return max_width
    return round(min(max_width, max_height * image.width / image.height), 2)


def print_dpi(image: ImageInfo, width_mm: float) -> float | None:
    """Resolution of a raster image printed `width_mm` wide (None for vector images)."""
    if image.vector or image.width <= 0:
        return None
    return image.width / (width_mm / MM_PER_INCH)
