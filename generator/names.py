"""Where the pages and PDFs live, for what every type shares; each type's module names its own.

Page sources mirror content/ (briefings/2018/12.md is served at briefings/2018/12/);
PDFs live in the same tree under pdf/.
"""
from __future__ import annotations

PDF_DIR = "pdf"
HOME = "index.md"
CHRONICLE = "chronicle/index.md"
STATS = "stats/index.md"


def chronicle_year(year: int) -> str:
    return f"chronicle/{year}.md"
