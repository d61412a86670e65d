"""The home page's generated part: a card per content type that has one, then quick links."""
from __future__ import annotations

from generator import types
from generator.model import Corpus
from generator.names import CHRONICLE, STATS
from generator.pages.common import render


def home_markdown(corpus: Corpus) -> str:
    described = [t.describe(corpus.site) for t in types.REGISTRY]
    collections = "、".join(described[:-1]) + "和" + described[-1] if len(described) > 1 else "".join(described)
    ordered = sorted(types.REGISTRY, key=lambda t: t.overview_order)
    cards = {t.key: t.home(corpus) for t in ordered}
    links = [link for t in ordered if cards[t.key] is None and (link := t.home_link()) is not None]
    links += [("大事记", CHRONICLE), ("统计", STATS)]
    return render("home.md.j2", site=corpus.site, collections=collections, cards=[card for card in cards.values() if card is not None], links=links)
