"""`zhengxie stats`: a plain-text overview of the content, for the terminal."""
from __future__ import annotations

from generator import types
from generator.model import Corpus
from generator.references import ReferenceIndex
from generator.tracking import reports_on


def describe(corpus: Corpus) -> str:
    reported = reports_on(corpus, ReferenceIndex(corpus))
    lines = [f"{corpus.site.committee}"]
    for content_type in types.REGISTRY:
        found = content_type.figures(corpus, reported)
        if found is not None and found.overview:
            lines += ["", *found.overview]
    return "\n".join(lines)
