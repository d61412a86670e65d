"""The records every content type shares (sources, files, the site settings) and the Corpus.

Each type's own records are declared in its module under `generator.types`."""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field, replace

DISTRIBUTION_LINES = ("报", "送", "发")


@dataclass(frozen=True)
class Source:
    path: str  # relative to the project root, POSIX separators
    line: int = 1


@dataclass(frozen=True)
class BriefingSettings:
    title: str
    distribution: dict[str, tuple[str, ...]]
    copies: int | None
    internal_mark: str = "内部资料"  # printed in the 报头 of an issue marked internal: true


PRINT_FONT_ROLES = ("title", "body", "heading", "kai", "folio")
DEFAULT_PRINT_FONTS = {
    "title": ("Noto Serif CJK SC",),
    "body": ("Noto Serif CJK SC",),
    "heading": ("Noto Sans CJK SC",),
    # a Kai face from Debian: fonts-lxgw-wenkai, else fonts-arphic-ukai
    "kai": ("LXGW WenKai", "AR PL UKai CN"),
    # GB/T 9704 页码: 宋体 digits, whatever the body face (a licensed 仿宋 included)
    "folio": ("Noto Serif CJK SC",),
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


@dataclass
class Corpus:
    """Every record of the content, by content type (`generator.types`)."""

    site: Site | None
    items: dict[str, list] = field(default_factory=dict)  # type key -> records, in the loader's order
    # files the records use, checked and kept (content_files.ContentFile), by project path
    files: dict = field(default_factory=dict)
    withheld: "Corpus | None" = None  # drafts published() left out (still cited by name)
    hidden: "Corpus | None" = None  # internal items public() left out (cited without their names)

    def of(self, content_type) -> list:
        """The records of a type (a ContentType or its key)."""
        key = content_type if isinstance(content_type, str) else content_type.key
        return self.items.setdefault(key, [])

    def __getattr__(self, name: str):
        # corpus.briefings, corpus.volumes …: each type names its attribute
        if name.startswith("_") or name == "items":
            raise AttributeError(name)
        from generator import types

        for content_type in types.REGISTRY:
            if content_type.attribute == name:
                return self.of(content_type)
        raise AttributeError(name)

    def records(self):
        """Every record with a body of its own (and so, possibly, files it uses), in a fixed order."""
        from generator import types

        for content_type in types.REGISTRY:
            for record in self.of(content_type):
                yield from content_type.parts(record)

    def file_uses(self):
        """(record, reference, the file's path from the project root) for every file a record uses."""
        for record in self.records():
            folder = posixpath.dirname(record.source.path)
            for ref in record.files:
                yield record, ref, posixpath.normpath(posixpath.join(folder, ref.target))

    def _split(self, leave_out) -> tuple["Corpus", "Corpus"]:
        """(what stays, what is left out), each type deciding what goes with what."""
        from generator import types

        kept, gone = Corpus(site=self.site), Corpus(site=self.site)
        for content_type in types.REGISTRY:
            kept.items[content_type.key], gone.items[content_type.key] = content_type.split(self.of(content_type), leave_out)
        return kept, gone

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
