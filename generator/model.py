"""Typed records of the content tree.  Each record knows its source path and line."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

BRIEFING_KINDS = ("正刊", "增刊", "专刊")
DISTRIBUTION_LINES = ("报", "送", "发")
RULE_STATUSES = ("现行", "试行", "已修订", "已废止")
CONSULTATION_FORMS = ("综合协商", "专题协商", "对口协商", "界别协商", "党派协商", "提案办理协商", "其他")
CONSULTATION_FORM_ALIASES = {"提案协商": "提案办理协商"}


@dataclass(frozen=True)
class Source:
    path: str  # relative to the project root, POSIX separators
    line: int = 1


@dataclass(frozen=True)
class BriefingSettings:
    title: str
    distribution: dict[str, tuple[str, ...]]
    copies: int | None


PRINT_FONT_ROLES = ("title", "body", "heading", "kai")
DEFAULT_PRINT_FONTS = {
    "title": ("Noto Serif CJK SC",),
    "body": ("Noto Serif CJK SC",),
    "heading": ("Noto Sans CJK SC",),
    # a Kai face from Debian: fonts-lxgw-wenkai, else fonts-arphic-ukai
    "kai": ("LXGW WenKai", "AR PL UKai CN"),
}


@dataclass(frozen=True)
class PrintSettings:
    fonts: dict[str, tuple[str, ...]]  # role -> families to try, in order
    font_lines: dict[str, int]  # role -> line in site.yml where it was set (0: the default)
    pdf_standard: str | None  # e.g. "a-2b" for archival copies of 文史 volumes
    book_size: tuple[float, float]  # 文史 volume trim size in mm (width, height)


DEFAULT_PRINT = PrintSettings(dict(DEFAULT_PRINT_FONTS), {}, None, (185.0, 260.0))


SPACING_POLICIES = ("remove", "add", "keep")  # typography between Chinese and Latin/digits
DEFAULT_LIMITS = (10, 5000)  # largest content file in MB, longest line in characters (site.yml limits)


@dataclass(frozen=True)
class Site:
    committee: str
    short_name: str
    office: str
    term: str
    briefing: BriefingSettings
    source: Source
    print: PrintSettings = DEFAULT_PRINT
    spacing: str = "remove"  # between Chinese and Latin letters or digits: remove | add | keep
    limits: tuple[int, int] = DEFAULT_LIMITS  # (max_file_mb, max_line_chars)


@dataclass(frozen=True)
class Image:
    """An image referenced from a body: `target` as written, `line` in the source file."""

    target: str
    line: int


@dataclass(frozen=True)
class BriefingArticle:
    index: int  # 1-based order in the issue; anchor #article-N
    title: str
    body: str  # Markdown after the heading
    line: int

    @property
    def anchor(self) -> str:
        return f"article-{self.index}"


@dataclass(frozen=True)
class Briefing:
    year: int
    number: int
    date: dt.date | None  # None only when the date had an error (and then no pages are made)
    total: int | None
    kind: str
    tags: tuple[str, ...]
    distribution: dict[str, tuple[str, ...]]  # only the lines this issue overrides
    copies: int | None
    draft: bool
    editor_note: str  # Markdown, without the leading "> "
    editor_note_line: int  # file line of the note's first line
    articles: tuple[BriefingArticle, ...]
    plans: tuple[str, ...]  # consultation items this issue reports on: "id" (same year) or "YYYY#id"
    plans_line: int
    images: tuple[Image, ...]
    source: Source

    @property
    def key(self) -> str:
        return f"{self.year}-{self.number:02d}"

    def distribution_lines(self, site: "Site") -> dict[str, tuple[str, ...]]:
        """报/送/发 as printed: each line given in the issue replaces site.yml's line."""
        merged = {**site.briefing.distribution, **self.distribution}
        return {line: merged[line] for line in DISTRIBUTION_LINES if merged.get(line)}

    def copies_or_default(self, site: "Site") -> int | None:
        return self.copies if self.copies is not None else site.briefing.copies


@dataclass(frozen=True)
class Essay:
    """A volume's 序 or 后记."""

    role: str  # "preface" | "afterword"
    title: str
    author: str | None
    body: str
    body_line: int
    images: tuple[Image, ...]
    source: Source


@dataclass(frozen=True)
class WenshiArticle:
    volume: int
    order: int
    slug: str
    title: str
    section: str
    section_line: int
    author: str | None
    oral: str | None
    compiled_by: str | None
    tags: tuple[str, ...]
    draft: bool
    body: str
    body_line: int
    images: tuple[Image, ...]
    source: Source

    @property
    def stem(self) -> str:
        return f"{self.order:02d}-{self.slug}"


@dataclass(frozen=True)
class Volume:
    number: int
    series: str
    title: str | None
    published: str | None  # YYYY-MM or YYYY-MM-DD
    editors: tuple[tuple[str, tuple[str, ...]], ...]  # (role, names) in file order
    sections: tuple[str, ...]
    words: int | None  # 字数 for the 版权页 (counted from the text when not given)
    print_run: int | None  # 印数
    permit: str | None  # 准印证号
    isbn: str | None
    draft: bool
    preface: Essay | None
    afterword: Essay | None
    articles: tuple[WenshiArticle, ...]
    source: Source

    @property
    def folder(self) -> str:
        return f"{self.number:02d}"


@dataclass(frozen=True)
class Tiao:
    """One article (条) of a rule."""

    number: int
    line: int

    @property
    def anchor(self) -> str:
        return f"tiao-{self.number}"


@dataclass(frozen=True)
class Rule:
    slug: str
    title: str
    adopted: dt.date | None
    adopted_by: str | None
    effective: dt.date | None
    status: str
    supersedes: str | None
    supersedes_line: int
    draft: bool
    body: str
    body_line: int
    tiaos: tuple[Tiao, ...]
    images: tuple[Image, ...]
    source: Source


@dataclass(frozen=True)
class Consultation:
    id: str
    topic: str
    form: str
    lead: str | None
    when: str | None
    line: int


@dataclass(frozen=True)
class Plan:
    year: int
    title: str
    consultations: tuple[Consultation, ...]
    draft: bool
    body: str
    body_line: int
    images: tuple[Image, ...]
    source: Source


@dataclass(frozen=True)
class Report:
    year: int
    title: str
    draft: bool
    body: str
    body_line: int
    images: tuple[Image, ...]
    source: Source


@dataclass
class Corpus:
    site: Site | None
    briefings: list[Briefing] = field(default_factory=list)
    volumes: list[Volume] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    assets: list[str] = field(default_factory=list)  # content-relative paths of non-source files
    withheld: "Corpus | None" = None  # the drafts published() left out (still citable by name)

    def published(self) -> "Corpus":
        """The corpus without drafts (a draft volume hides its articles too)."""
        volumes = []
        for volume in self.volumes:
            if volume.draft:
                continue
            articles = tuple(a for a in volume.articles if not a.draft)
            volumes.append(replace(volume, articles=articles))
        drafts = Corpus(
            site=self.site,
            briefings=[b for b in self.briefings if b.draft],
            volumes=[
                v if v.draft else replace(v, articles=tuple(a for a in v.articles if a.draft))
                for v in self.volumes
                if v.draft or any(a.draft for a in v.articles)
            ],
            rules=[r for r in self.rules if r.draft],
            plans=[p for p in self.plans if p.draft],
            reports=[r for r in self.reports if r.draft],
        )
        return Corpus(
            site=self.site,
            briefings=[b for b in self.briefings if not b.draft],
            volumes=volumes,
            rules=[r for r in self.rules if not r.draft],
            plans=[p for p in self.plans if not p.draft],
            reports=[r for r in self.reports if not r.draft],
            assets=list(self.assets),
            withheld=drafts,
        )

