"""Typed records of the content tree.  Each record knows its source path and line."""
from __future__ import annotations

import datetime as dt
import posixpath
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
# largest content file in MB, longest line in characters, largest image in megapixels (site.yml limits)
DEFAULT_LIMITS = (10, 5000, 50)


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
    limits: tuple[int, int, int] = DEFAULT_LIMITS  # (max_file_mb, max_line_chars, max_image_megapixels)


@dataclass(frozen=True)
class FileRef:
    """A file a body uses (an image, or a link to an attachment): `target` as written
    (decoded, without ?query or #part), `line` in the source file."""

    target: str
    line: int
    kind: str = "image"  # image | link


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
    files: tuple[FileRef, ...]
    source: Source
    internal: bool = False  # 内部资料: left out of the public edition

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
    files: tuple[FileRef, ...]
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
    files: tuple[FileRef, ...]
    source: Source
    internal: bool = False  # 内部资料: left out of the public edition

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
    internal: bool = False  # 内部资料: left out of the public edition

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
    files: tuple[FileRef, ...]
    source: Source
    internal: bool = False  # 内部资料: left out of the public edition


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
    files: tuple[FileRef, ...]
    source: Source
    internal: bool = False  # 内部资料: left out of the public edition


@dataclass(frozen=True)
class Report:
    year: int
    title: str
    draft: bool
    body: str
    body_line: int
    files: tuple[FileRef, ...]
    source: Source
    internal: bool = False  # 内部资料: left out of the public edition


@dataclass
class Corpus:
    site: Site | None
    briefings: list[Briefing] = field(default_factory=list)
    volumes: list[Volume] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    # files the records use, checked and kept (content_files.ContentFile), by project path
    files: dict = field(default_factory=dict)
    withheld: "Corpus | None" = None  # drafts published() left out (still cited by name)
    hidden: "Corpus | None" = None  # internal items public() left out (cited without their names)

    def records(self):
        """Every record with a body of its own (and so, possibly, files it uses), in a fixed order."""
        yield from self.briefings
        for volume in self.volumes:
            yield from (e for e in (volume.preface, volume.afterword) if e is not None)
            yield from volume.articles
        yield from self.rules
        yield from self.plans
        yield from self.reports

    def file_uses(self):
        """(record, reference, the file's path from the project root) for every file a record uses."""
        for record in self.records():
            folder = posixpath.dirname(record.source.path)
            for ref in record.files:
                yield record, ref, posixpath.normpath(posixpath.join(folder, ref.target))

    def _split(self, leave_out) -> tuple["Corpus", "Corpus"]:
        """(what stays, what is left out); an article goes with its volume."""
        kept, gone = [], []
        for volume in self.volumes:
            if leave_out(volume):
                gone.append(volume)
                continue
            kept.append(replace(volume, articles=tuple(a for a in volume.articles if not leave_out(a))))
            if any(leave_out(a) for a in volume.articles):
                gone.append(replace(volume, articles=tuple(a for a in volume.articles if leave_out(a))))

        def part(volumes, keep: bool) -> "Corpus":
            return Corpus(
                site=self.site,
                briefings=[b for b in self.briefings if leave_out(b) != keep],
                volumes=volumes,
                rules=[r for r in self.rules if leave_out(r) != keep],
                plans=[p for p in self.plans if leave_out(p) != keep],
                reports=[r for r in self.reports if leave_out(r) != keep],
            )

        return part(kept, True), part(gone, False)

    def published(self) -> "Corpus":
        """The corpus without drafts (a draft volume hides its articles too)."""
        kept, drafts = self._split(lambda record: record.draft)
        return replace(kept, files=kept._used(self.files), withheld=drafts, hidden=self.hidden)

    def public(self) -> "Corpus":
        """The public edition: internal items gone, with the files only they use."""
        kept, internal = self._split(lambda record: record.internal)
        hidden_drafts = self.withheld._split(lambda record: record.internal) if self.withheld else (None, None)
        return replace(kept, files=kept._used(self.files), withheld=hidden_drafts[0], hidden=internal)

    def _used(self, files: dict) -> dict:
        """The files of `files` that a record of this corpus uses (nothing else is published)."""
        used = {path for _, _, path in self.file_uses()}
        return {path: file for path, file in files.items() if path in used}
