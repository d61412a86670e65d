"""The checks that span records: each type's own (numbering, sections …) and references between files."""
from __future__ import annotations

from pathlib import Path

from generator import references, safety, types
from generator.diagnostics import Diagnostic
from generator.model import Corpus


def check_corpus(root: Path, corpus: Corpus) -> list[Diagnostic]:
    return [
        *safety.check_content(root),
        *(problem for t in types.REGISTRY for problem in t.check(corpus)),
        *references.check(corpus, references.ReferenceIndex(corpus)),
    ]


