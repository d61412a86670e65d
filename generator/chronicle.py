"""大事记: dated events drawn from every content type, for one chronicle per year."""
from __future__ import annotations

from generator import types
from generator.model import Corpus
from generator.types.base import Event


def events(corpus: Corpus) -> list[Event]:
    found = [event for t in types.REGISTRY for record in corpus.of(t) for event in t.events(record)]
    return sorted(found, key=lambda e: (e.when, e.kind, e.text))


def years(corpus: Corpus) -> list[int]:
    return sorted({e.year for e in events(corpus)}, reverse=True)
