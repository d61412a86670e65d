"""The catalog entry Typst does not write: /PageMode /UseOutlines, so that a viewer opens a book
with its bookmarks shown.

It is added as an incremental update (ISO 32000-1, 7.5.6): the bytes Typst wrote stay as they
are, and a new revision of the catalog object, a cross-reference section for it alone and a
trailer pointing back to the previous one (/Prev) are appended.  PDF/A allows such an update.
"""
from __future__ import annotations

import re

_END = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_TRAILER = re.compile(rb"trailer\s*<<(.*)>>\s*startxref\s+\d+\s+%%EOF\s*$", re.S)
_SUBSECTION = re.compile(rb"\s*(\d+)[ \t]+(\d+)[ \t]*\r?\n")
ENTRY = 20  # bytes of a cross-reference entry, end of line included


def show_outline(pdf: bytes) -> bytes:
    """`pdf` with /PageMode /UseOutlines in its catalog.  Returned unchanged when it is not laid
    out as Typst writes it today (a classic cross-reference table, the catalog not in an object
    stream): the bookmarks are then only not shown on opening."""
    end = _END.search(pdf)
    if not end:
        return pdf
    xref_at = int(end[1])
    trailer = _TRAILER.search(pdf, xref_at)
    root = re.search(rb"/Root\s+(\d+)\s+(\d+)\s+R", trailer[1]) if trailer and pdf.startswith(b"xref", xref_at) else None
    if not root:
        return pdf
    number, generation = int(root[1]), int(root[2])
    offset = _offset(pdf, xref_at + len(b"xref"), number)
    obj = re.compile(rb"%d\s+%d\s+obj\s*(<<.*?>>)\s*endobj" % (number, generation), re.S)
    found = obj.match(pdf, offset) if offset is not None else None
    if not found or not re.search(rb"/Type\s*/Catalog\b", found[1]):
        return pdf
    catalog = found[1]
    if re.search(rb"/PageMode\s*/", catalog):
        catalog = re.sub(rb"/PageMode\s*/[A-Za-z]+", b"/PageMode/UseOutlines", catalog, count=1)
    else:
        catalog = b"<</PageMode/UseOutlines" + catalog[2:]
    body = pdf if pdf.endswith(b"\n") else pdf + b"\n"
    revision = b"%d %d obj\n%s\nendobj\n" % (number, generation, catalog)
    fields = re.sub(rb"/Prev\s+\d+", b"", trailer[1])
    section = b"xref\n%d 1\n%010d %05d n\r\ntrailer\n<<%s/Prev %d>>\nstartxref\n%d\n%%%%EOF\n" % (
        number, len(body), generation, fields, xref_at, len(body) + len(revision),
    )
    return body + revision + section


def _offset(pdf: bytes, at: int, number: int) -> int | None:
    """Where object `number` starts, from the cross-reference table whose subsections start at `at`."""
    while subsection := _SUBSECTION.match(pdf, at):
        first, count = int(subsection[1]), int(subsection[2])
        at = subsection.end()
        if first <= number < first + count:
            entry = pdf[at + ENTRY * (number - first):][:ENTRY].split()
            return int(entry[0]) if len(entry) == 3 and entry[2] == b"n" else None
        at += ENTRY * count
    return None
