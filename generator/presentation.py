"""How the site and the print both write things: one place, so a page and its PDF agree."""
from __future__ import annotations

import datetime as dt


def cn_date(value: dt.date | str | None) -> str:
    """2018-12-05 -> 2018年12月5日; 2018-12 -> 2018年12月."""
    if value is None:
        return ""
    if isinstance(value, str):
        parts = [int(p) for p in value.split("-")]
        value = dt.date(parts[0], parts[1], parts[2]) if len(parts) == 3 else None
        if value is None:
            return f"{parts[0]}年{parts[1]}月"
    return f"{value.year}年{value.month}月{value.day}日"
