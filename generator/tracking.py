"""Plan tracking: which briefings report on each consultation item of an annual plan
(the one relation between two content types: a briefing's `plans:` and its references)."""
from __future__ import annotations

import difflib
from collections import defaultdict

from generator.diagnostics import Diagnostic, error
from generator.fields import digits
from generator import types
from generator.model import Corpus
from generator.references import ReferenceIndex, find

Item = tuple[int, str]  # (plan year, consultation id)


def item_of(entry: str, briefing_year: int) -> Item:
    """`id` means the item in the plan of the issue's own year; `YYYY#id` names the year."""
    year, _, ident = entry.rpartition("#")
    return (int(year), ident) if digits(year) else (briefing_year, entry)


def items_reported(corpus: Corpus, briefing) -> list[tuple[str, str]]:
    """(plan title：topic, page source with anchor) of the consultation items an issue reports on."""
    plan_type = types.get("plan")
    plans = {p.year: p for p in corpus.plans}
    items = []
    for entry in briefing.plans:
        year, ident = item_of(entry, briefing.year)
        plan = plans.get(year)
        item = next((c for c in plan.consultations if c.id == ident), None) if plan else None
        if item is not None:
            items.append((f"{plan.title}：{item.topic}", plan_type.consultation_src(plan, item)))
    return items


def check_plan_links(corpus: Corpus) -> list[Diagnostic]:
    items = {(p.year, c.id) for p in corpus.plans for c in p.consultations}
    problems = []
    for briefing in corpus.briefings:
        for entry in briefing.plans:
            item = item_of(entry, briefing.year)
            if item in items:
                continue
            known = [f"{y}#{i}" if y != briefing.year else i for y, i in sorted(items)]
            close = difflib.get_close_matches(entry, known, n=3, cutoff=0.4)
            hint = "；相近的有：" + "、".join(close) if close else ""
            problems.append(
                error(briefing.source.path, briefing.plans_line, f"plans 中的“{entry}”不是{item[0]}年工作要点里的协商计划 id{hint}")
            )
    return problems


def reports_on(corpus: Corpus, index: ReferenceIndex) -> dict[Item, list]:
    """Each consultation item -> the briefings that list it in `plans:` or cite it, by date."""
    found: dict[Item, list] = defaultdict(list)
    for briefing in corpus.briefings:
        items = {item_of(entry, briefing.year) for entry in briefing.plans}
        texts = [briefing.editor_note, *(a.body for a in briefing.articles)]
        for text in texts:
            for ref, _, _ in find(text, 1):
                target = index.resolve(ref) if ref else None
                if target and target.key.startswith("plan:") and "#" in target.key:
                    year, ident = target.key.removeprefix("plan:").split("#", 1)
                    items.add((int(year), ident))
        for item in items:
            found[item].append(briefing)
    for briefings in found.values():
        briefings.sort(key=lambda b: (b.date is None, b.date, b.number))
    return dict(found)
