"""Cross-references between documents: `[[kind:target#part|text]]` in any Markdown body.

Each content type says what of its records is a citable target (a briefing and its
articles, a rule and its 条 …), under which key, and which bodies it has.  On the site a
reference becomes a link; in print a plain citation.  Citations are also collected in
reverse, so that every target can list what cites it (被引用), with the citing sentence
as context.
"""
from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, replace

from generator.bodyscan import lines_outside_code, without_code_spans
from generator import sanitize, types
from generator.markdown import escape, render
from generator.diagnostics import Diagnostic, error
from generator.model import Corpus
from generator.types.base import Target

REFERENCE = re.compile(r"\[\[([^\[\]|:]+):([^\[\]|#]*)(?:#([^\[\]|]*))?(?:\|([^\[\]]*))?\]\]")


INTERNAL_CITATION = "内部资料"  # what the public edition shows for a reference to an internal item


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
        content_type = types.by_word(match[1].strip())
        kind = content_type.key if content_type else None
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
        for content_type in types.REGISTRY:
            for record in corpus.of(content_type):
                for target in content_type.targets(record, corpus.site):
                    self._add(target)

    def _add(self, target: Target) -> None:
        self.targets[target.key] = target

    def canonical(self, ref: Reference) -> str:
        """The key a reference means, with numbers normalised (2018-1 = 2018-01, 第五条 = 5)."""
        target, part = types.get(ref.kind).canonical(ref.target, ref.part)
        return f"{ref.kind}:{target}" + (f"#{part}" if part else "")

    def resolve(self, ref: Reference) -> Target | None:
        return self.targets.get(self.canonical(ref))

    @staticmethod
    def written(key: str) -> str:
        """A canonical key as an editor writes it: rule:kaoping#5 -> [[rule:kaoping#第五条]]."""
        if "#" in key:
            page, part = key.split("#", 1)
            key = f"{page}#{types.get(page.split(':', 1)[0]).written(part)}"
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
    """Every Markdown body of every record (types.base.Body), type by type."""
    for content_type in types.REGISTRY:
        for record in corpus.of(content_type):
            yield from content_type.bodies(record, corpus.site)


def check(corpus: Corpus, index: ReferenceIndex) -> list[Diagnostic]:
    problems = []
    for body in bodies(corpus):
        for ref, raw, line in find(body.text, body.line):
            if ref is None:
                kinds = "、".join(sorted(word for t in types.REGISTRY for word in (t.key, *t.aliases)))
                problems.append(error(body.path, line, f"引用 {raw} 的类型不认识（可用：{kinds}）"))
            elif index.resolve(ref) is None:
                close = index.suggestions(ref)
                hint = "；相近的有：" + "、".join(index.written(k) for k in close) if close else ""
                problems.append(error(body.path, line, f"引用 {raw} 找不到目标{hint}"))
    return problems


_SENTENCE_END = re.compile(r"(?<=[。！？；!?])")
CONTEXT_CHARACTERS = 120


def citations(corpus: Corpus, index: ReferenceIndex) -> dict[str, list[Citation]]:
    """For each target page key, the citations of it or its parts, in source order.

    A citation's context is the citing sentence as a reader sees it (plain text, the
    Markdown rendered and its tags dropped): pages escape it where they show it.
    """
    found: dict[str, list[Citation]] = defaultdict(list)
    for body in bodies(corpus):
        first_line, src, title = body.line, body.src, body.title
        plain = cite(body.text, index)
        by_line = plain.split("\n")
        for ref, _, line in find(body.text, first_line):
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
