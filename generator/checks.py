"""Rules that span records: numbering, sections, references between files."""
from __future__ import annotations

import difflib
from collections import defaultdict
from pathlib import Path

from generator import references, safety, tracking
from generator.diagnostics import Diagnostic, error, warning
from generator.model import Corpus


def check_corpus(root: Path, corpus: Corpus) -> list[Diagnostic]:
    return [
        *safety.check_content(root),
        *check_briefing_numbers(corpus),
        *check_sections(corpus),
        *check_supersedes(corpus),
        *references.check(corpus, references.ReferenceIndex(corpus)),
        *tracking.check_plan_links(corpus),
    ]


def check_briefing_numbers(corpus: Corpus) -> list[Diagnostic]:
    problems = []
    by_year = defaultdict(list)
    for briefing in corpus.briefings:
        by_year[briefing.year].append(briefing)
    for year, issues in sorted(by_year.items()):
        by_number = defaultdict(list)
        for briefing in issues:
            by_number[briefing.number].append(briefing)
        for number, same in sorted(by_number.items()):
            for briefing in same:
                for other in same:
                    if other is not briefing:
                        problems.append(
                            error(briefing.source.path, 1, f"{year}年第{number}期重复：{other.source.path} 也是第{number}期")
                        )
        numbers = sorted(by_number)
        missing = [n for n in range(1, numbers[-1] + 1) if n not in by_number]
        if missing:
            listed = "、".join(f"第{n}期" for n in missing[:10]) + (f"等 {len(missing)} 期" if len(missing) > 10 else "")
            first_after = by_number[next(n for n in numbers if n > missing[0])][0]
            problems.append(warning(first_after.source.path, 1, f"{year}年的期号不连续，缺少{listed}"))
    by_total = defaultdict(list)
    for briefing in corpus.briefings:
        if briefing.total is not None:
            by_total[briefing.total].append(briefing)
    for total, same in by_total.items():
        for briefing in same[1:]:
            problems.append(error(briefing.source.path, 1, f"总第{total}期与 {same[0].source.path} 重复"))
    return problems


def check_sections(corpus: Corpus) -> list[Diagnostic]:
    problems = []
    for volume in corpus.volumes:
        for article in volume.articles:
            if article.section not in volume.sections:
                close = difflib.get_close_matches(article.section, volume.sections, n=1, cutoff=0.3)
                hint = f"，您是否想写“{close[0]}”？" if close else ""
                problems.append(
                    error(
                        article.source.path,
                        article.section_line,
                        f"栏目“{article.section}”不在第{volume.number}辑的栏目中"
                        f"（{'、'.join(volume.sections)}）{hint}",
                    )
                )
    return problems


def check_supersedes(corpus: Corpus) -> list[Diagnostic]:
    slugs = [rule.slug for rule in corpus.rules]
    problems = []
    for rule in corpus.rules:
        if rule.supersedes and rule.supersedes not in slugs:
            close = difflib.get_close_matches(rule.supersedes, slugs, n=1, cutoff=0.5)
            hint = f"，您是否想写“{close[0]}”？" if close else ""
            problems.append(
                error(rule.source.path, rule.supersedes_line, f"supersedes 指向的制度“{rule.supersedes}”不存在（应为 content/rules/ 下的文件名）{hint}")
            )
    return problems
