"""Cross-references between documents: `[[kind:target#part|text]]` in any Markdown body.

Every briefing, briefing article, 文史 volume and article, rule and rule article (条),
plan and consultation item, and report is a citable target.  On the site a reference
becomes a link; in print a plain citation.  Citations are also collected in reverse, so
that every target can list what cites it (被引用), with the citing sentence as context.
"""
from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, replace

from generator.bodyscan import chinese_to_int, int_to_chinese, lines_outside_code, without_code_spans
from generator import names, sanitize
from generator.markdown import escape, render
from generator.diagnostics import Diagnostic, error
from generator.fields import digits
from generator.model import Corpus

KINDS = {
    "briefing": "briefing", "简报": "briefing",
    "wenshi": "wenshi", "文史": "wenshi",
    "rule": "rule", "制度": "rule",
    "plan": "plan", "计划": "plan",
    "report": "report", "报告": "report",
}  # fmt: skip
REFERENCE = re.compile(r"\[\[([^\[\]|:]+):([^\[\]|#]*)(?:#([^\[\]|]*))?(?:\|([^\[\]]*))?\]\]")


INTERNAL_CITATION = "内部资料"  # what the public edition shows for a reference to an internal item


@dataclass(frozen=True)
class Target:
    key: str  # canonical, e.g. briefing:2018-12#2
    src: str | None  # page source with anchor, e.g. briefings/2018/12.md#article-2; None: a draft left out
    citation: str  # the text a reference shows by default
    page_key: str  # the key of the page the target is on (for backlinks)
    label: str  # what part of that page it is ("" for the page itself), e.g. 第五条


@dataclass(frozen=True)
class Reference:
    kind: str  # canonical kind
    target: str
    part: str | None
    text: str | None
    line: int
    raw: str

    def key(self) -> str:
        return f"{self.kind}:{self.target}" + (f"#{self.part}" if self.part else "")


@dataclass(frozen=True)
class Citation:
    """One place that cites a target: where, and the sentence around it."""

    src: str  # citing page (with anchor where it has one)
    title: str  # citing page's title
    context: str
    target_key: str


# -- finding references --------------------------------------------------------
def _matches(line: str, number: int):
    """(start, end, reference or None for an unknown kind) for each [[…]] in a line, code spans skipped."""
    if "[[" not in line:
        return
    visible = without_code_spans(line)
    for match in REFERENCE.finditer(visible):
        kind = KINDS.get(match[1].strip())
        raw = line[match.start() : match.end()]
        reference = None
        if kind is not None:
            # "\|", as a table cell wants it, separates the text as "|" does
            target, part = match[2].strip().removesuffix("\\"), (match[3] or "").strip().removesuffix("\\")
            part, text = part.strip() or None, (match[4] or "").strip() or None
            reference = Reference(kind, target.strip(), part, text, number, raw)
        yield match.start(), match.end(), reference


def find(body: str, first_line: int) -> list[tuple[Reference | None, str, int]]:
    """(reference or None when the kind is unknown, raw text, line) for each [[…]] outside code."""
    return [
        (reference, line[start:end], number)
        for number, line in lines_outside_code(body, first_line)
        for start, end, reference in _matches(line, number)
    ]


# -- the index of targets ------------------------------------------------------
class ReferenceIndex:
    def __init__(self, corpus: Corpus):
        self.targets: dict[str, Target] = {}
        if corpus.withheld is not None:
            # Drafts left out of this build are still cited by name, without a link.
            withheld = ReferenceIndex(corpus.withheld)
            self.targets.update({k: replace(t, src=None) for k, t in withheld.targets.items()})
        if corpus.hidden is not None:
            # Internal items left out of the public edition are cited without their names.
            hidden = ReferenceIndex(corpus.hidden)
            self.targets.update({k: replace(t, src=None, citation=INTERNAL_CITATION) for k, t in hidden.targets.items()})
        site_title = corpus.site.briefing.title if corpus.site else "政协工作简报"
        for b in corpus.briefings:
            page, src, issue = f"briefing:{b.year}-{b.number:02d}", names.briefing_src(b), names.issue_title(site_title, b)
            self._add(Target(page, src, issue, page, ""))
            for a in b.articles:
                self._add(Target(f"{page}#{a.index}", f"{src}#{a.anchor}", f"{issue}《{a.title}》", page, a.title))
        for v in corpus.volumes:
            page, book = f"wenshi:{v.number:02d}", names.volume_title(v)
            self._add(Target(page, names.volume_src(v), book, page, ""))
            for a in v.articles:
                key = f"wenshi:{v.number:02d}/{a.order:02d}"
                self._add(Target(key, names.article_src(v, a), f"{book}《{a.title}》", key, ""))
        for r in corpus.rules:
            page, src = f"rule:{r.slug}", names.rule_src(r)
            self._add(Target(page, src, f"《{r.title}》", page, ""))
            for t in r.tiaos:
                label = f"第{int_to_chinese(t.number)}条"
                self._add(Target(f"{page}#{t.number}", f"{src}#{t.anchor}", f"《{r.title}》{label}", page, label))
        for p in corpus.plans:
            page, src = f"plan:{p.year}", names.plan_src(p)
            self._add(Target(page, src, f"《{p.title}》", page, ""))
            for c in p.consultations:
                anchor = names.consultation_anchor(c.id)
                self._add(Target(f"{page}#{c.id}", f"{src}#{anchor}", f"《{p.title}》协商计划“{c.topic}”", page, c.topic))
        for r in corpus.reports:
            page = f"report:{r.year}"
            self._add(Target(page, names.report_src(r), f"《{r.title}》", page, ""))

    def _add(self, target: Target) -> None:
        self.targets[target.key] = target

    def canonical(self, ref: Reference) -> str:
        """The key a reference means, with numbers normalised (2018-1 = 2018-01, 第五条 = 5)."""
        target, part = ref.target, ref.part
        if ref.kind == "briefing":
            match = re.fullmatch(r"([0-9]{4})-([0-9]{1,3})", target)
            target = f"{match[1]}-{int(match[2]):02d}" if match else target
            part = str(int(part)) if part and digits(part) else part
        elif ref.kind == "wenshi":
            numbers = target.split("/")
            if all(digits(n) for n in numbers) and len(numbers) <= 2:
                target = "/".join(f"{int(n):02d}" for n in numbers)
        elif ref.kind == "rule" and part:
            match = re.fullmatch(r"第(.+)条|tiao-([0-9]+)|([0-9]+)", part)
            if match:
                number = chinese_to_int(match[1]) if match[1] else int(match[2] or match[3])
                part = str(number) if number else part
        return f"{ref.kind}:{target}" + (f"#{part}" if part else "")

    def resolve(self, ref: Reference) -> Target | None:
        return self.targets.get(self.canonical(ref))

    @staticmethod
    def written(key: str) -> str:
        """A canonical key as an editor writes it: rule:kaoping#5 -> [[rule:kaoping#第五条]]."""
        if key.startswith("rule:") and "#" in key:
            page, number = key.split("#")
            key = f"{page}#第{int_to_chinese(int(number))}条"
        return f"[[{key}]]"

    def suggestions(self, ref: Reference, count: int = 3) -> list[str]:
        wanted = self.canonical(ref)
        same_kind = [k for k in self.targets if k.startswith(f"{ref.kind}:")]
        close = difflib.get_close_matches(wanted, same_kind, n=count, cutoff=0.5)
        if not close and "#" in wanted:  # the page exists: offer its parts
            page = wanted.split("#")[0]
            close = [k for k in same_kind if k.startswith(page + "#")][:count] or ([page] if page in self.targets else [])
        return close


# -- using them ----------------------------------------------------------------
def _substitute(body: str, replace) -> str:
    """Apply `replace(reference, raw)` to every reference outside code; other text unchanged."""
    lines = body.split("\n")
    for number, line in lines_outside_code(body, 0):
        pieces, last = [], 0
        for start, end, reference in _matches(line, number):
            raw = line[start:end]
            before = line[last:start]
            if reference is not None and before.endswith("!") and not before.endswith("\\!"):
                before = before[:-1] + "\\!"  # "![[…]]" is an exclamation mark and a link, not an image
            pieces += [before, raw if reference is None else replace(reference, raw)]
            last = end
        if pieces:
            lines[number] = "".join(pieces) + line[last:]
    return "\n".join(lines)


def link(body: str, from_src: str, index: ReferenceIndex, relative) -> str:
    """References become Markdown links (MkDocs checks and rewrites them)."""

    def replace(ref: Reference, raw: str) -> str:
        target = index.resolve(ref)
        if target is None:
            return escape(ref.text or raw)
        if target.src is None:  # a draft left out of this build: cited, not linked
            return escape(ref.text or target.citation)
        return f"[{escape(ref.text or target.citation)}]({relative(from_src, target.src)})"

    return _substitute(body, replace)


def as_text(body: str) -> str:
    """References become the text they show when written with one (`|text`), else as written; lines stay where they are."""
    return _substitute(body, lambda ref, raw: escape(ref.text or raw))


def cite(body: str, index: ReferenceIndex) -> str:
    """References become plain citations (for print)."""

    def replace(ref: Reference, raw: str) -> str:
        target = index.resolve(ref)
        return escape(ref.text or (target.citation if target else raw))

    return _substitute(body, replace)


# -- checking and collecting ---------------------------------------------------
def bodies(corpus: Corpus):
    """(path, first body line, body, citing page src, citing page title) of every Markdown body."""
    title = corpus.site.briefing.title if corpus.site else "政协工作简报"
    for b in corpus.briefings:
        src, page_title = names.briefing_src(b), names.issue_title(title, b)
        yield b.source.path, b.editor_note_line, b.editor_note, src, page_title
        for a in b.articles:
            yield b.source.path, a.line + 1, a.body, f"{src}#{a.anchor}", f"{page_title}《{a.title}》"
    for v in corpus.volumes:
        for e in (v.preface, v.afterword):
            if e is not None:
                yield e.source.path, e.body_line, e.body, names.essay_src(v, e), e.title
        for a in v.articles:
            yield a.source.path, a.body_line, a.body, names.article_src(v, a), a.title
    for r in corpus.rules:
        yield r.source.path, r.body_line, r.body, names.rule_src(r), f"《{r.title}》"
    for p in corpus.plans:
        yield p.source.path, p.body_line, p.body, names.plan_src(p), f"《{p.title}》"
    for r in corpus.reports:
        yield r.source.path, r.body_line, r.body, names.report_src(r), f"《{r.title}》"


def check(corpus: Corpus, index: ReferenceIndex) -> list[Diagnostic]:
    problems = []
    for path, first_line, body, _, _ in bodies(corpus):
        for ref, raw, line in find(body, first_line):
            if ref is None:
                kinds = "、".join(sorted(set(KINDS)))
                problems.append(error(path, line, f"引用 {raw} 的类型不认识（可用：{kinds}）"))
            elif index.resolve(ref) is None:
                close = index.suggestions(ref)
                hint = "；相近的有：" + "、".join(index.written(k) for k in close) if close else ""
                problems.append(error(path, line, f"引用 {raw} 找不到目标{hint}"))
    return problems


_SENTENCE_END = re.compile(r"(?<=[。！？；!?])")
CONTEXT_CHARACTERS = 120


def citations(corpus: Corpus, index: ReferenceIndex) -> dict[str, list[Citation]]:
    """For each target page key, the citations of it or its parts, in source order.

    A citation's context is the citing sentence as a reader sees it (plain text, the
    Markdown rendered and its tags dropped): pages escape it where they show it.
    """
    found: dict[str, list[Citation]] = defaultdict(list)
    for _, first_line, body, src, title in bodies(corpus):
        plain = cite(body, index)
        by_line = plain.split("\n")
        for ref, _, line in find(body, first_line):
            target = index.resolve(ref) if ref else None
            if target is None:
                continue
            text = sanitize.text(render(by_line[line - first_line])) if 0 <= line - first_line < len(by_line) else ""
            citation_text = ref.text or target.citation
            sentence = next((s for s in _SENTENCE_END.split(text) if citation_text in s), text)
            context = " ".join(sentence.split())
            if len(context) > CONTEXT_CHARACTERS:
                context = context[: CONTEXT_CHARACTERS - 1] + "…"
            found[target.page_key].append(Citation(src, title, context, target.key))
    return dict(found)
