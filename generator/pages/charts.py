"""Bar charts drawn at build time as inline SVG: no script, no library, no request.

Colours come from the page's CSS (currentColor and Material's variables), so a chart
reads in the light and the dark palette alike.  Each bar carries its label and value
as data attributes.
"""
from __future__ import annotations

from html import escape

ROW = 22
LABEL = 150
BAR = 420
WIDTH = LABEL + BAR + 60


def bar_chart(title: str, rows: list[tuple[str, int]]) -> str:
    """A horizontal bar chart as one line of SVG (safe inside Markdown)."""
    height = ROW * len(rows) + 8
    top = max((value for _, value in rows), default=0) or 1
    parts = [
        f'<svg class="zx-chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (label, value) in enumerate(rows):
        y = 4 + i * ROW
        width = round(BAR * value / top, 1)
        parts.append(
            f'<text class="zx-chart__label" x="{LABEL - 8}" y="{y + 15}" text-anchor="end">{escape(str(label))}</text>'
            f'<rect class="zx-chart__bar" x="{LABEL}" y="{y + 3}" width="{width}" height="{ROW - 8}" rx="2" '
            f'data-label="{escape(str(label))}" data-value="{value}"></rect>'
            f'<text class="zx-chart__value" x="{LABEL + width + 6}" y="{y + 15}">{value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
