"""content/site.yml -> Site."""
from __future__ import annotations

import re
from pathlib import Path

from generator.diagnostics import Diagnostic, error
from generator.fields import Field, FieldProblem, choice, integer, read_fields, read_nested, text
from generator.frontmatter import YamlMap, read_yaml_mapping
from generator.load.common import distribution
from generator.model import DEFAULT_LIMITS, DEFAULT_PRINT, PRINT_FONT_ROLES, SPACING_POLICIES, BriefingSettings, PrintSettings, Site, Source

SITE_FIELDS = [
    Field("committee", text, required=True),
    Field("short_name", text, required=True),
    Field("office", text, required=True),
    Field("term", text),
    Field("briefing", lambda v: v, required=True),
    Field("print", lambda v: v),
    Field("typography", lambda v: v),
    Field("limits", lambda v: v),
]


def book_size(value) -> tuple[float, float]:
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and 80 <= v <= 600 for v in value)
    ):
        raise FieldProblem("应为以毫米计的 [宽, 高]，如 [185, 260]")
    return (float(value[0]), float(value[1]))


PDF_STANDARDS = ("a-2b", "a-3b")


def pdf_standard(value) -> str:
    """An archival PDF/A the installed Typst writes; PDF/X (a printer's x-4, x-1a) it cannot."""
    word = text(value)
    if re.fullmatch(r"(?i)(pdf/?)?x-?[0-9].*", word):
        raise FieldProblem(
            f"写的是 PDF/X（{word}），但排版程序 Typst 不能生成 PDF/X，也不写裁切框（TrimBox）；"
            "请删去这一行，把普通 PDF 交给印刷厂，由印刷厂的印前软件转换（PDF 为 A4 成品尺寸，没有出血）"
        )
    return choice(PDF_STANDARDS)(word)


PRINT_FIELDS = [
    Field("fonts", lambda v: v, default=None),
    Field("pdf_standard", pdf_standard, default=None),
    Field("book_size", book_size, default=DEFAULT_PRINT.book_size),
]
LIMIT_FIELDS = [
    Field("max_file_mb", integer(1), default=DEFAULT_LIMITS[0]),
    Field("max_line_chars", integer(200), default=DEFAULT_LIMITS[1]),
    Field("max_image_megapixels", integer(1), default=DEFAULT_LIMITS[2]),
]
TYPOGRAPHY_FIELDS = [
    Field("spacing", choice(SPACING_POLICIES, {"去掉": "remove", "加空格": "add", "不改": "keep"}), default="remove"),
]
FONT_FIELDS = [Field(role, text) for role in PRINT_FONT_ROLES]

BRIEFING_FIELDS = [
    Field("title", text, default="政协工作简报"),
    Field("distribution", distribution, default={}),
    Field("copies", integer(1)),
    Field("internal_mark", text, default="内部资料"),
]


def load_site(root: Path) -> tuple[Site | None, list[Diagnostic]]:
    file = root / "content" / "site.yml"
    path = "content/site.yml"
    if not file.is_file():
        return None, [error(path, 0, "缺少站点设置文件 content/site.yml")]
    data, problems = read_yaml_mapping(file, path)
    if data is None:
        return None, problems
    values, found = read_fields(data, SITE_FIELDS, path)
    problems += found
    settings = None
    if values.get("briefing") is not None:
        b, found = read_nested(data, "briefing", BRIEFING_FIELDS, path)
        problems += found
        if not found:
            settings = BriefingSettings(b["title"], b["distribution"], b["copies"], b["internal_mark"])
    print_settings, found = _print_settings(data, path)
    problems += found
    limits = DEFAULT_LIMITS
    if data.get("limits") is not None:
        chosen, found = read_nested(data, "limits", LIMIT_FIELDS, path)
        problems += found
        if chosen and not found:
            limits = (chosen["max_file_mb"], chosen["max_line_chars"], chosen["max_image_megapixels"])
    spacing = "remove"
    if data.get("typography") is not None:
        typography, found = read_nested(data, "typography", TYPOGRAPHY_FIELDS, path)
        problems += found
        spacing = typography["spacing"] if typography else spacing
    if problems or settings is None:
        return None, problems
    site = Site(
        committee=values["committee"],
        short_name=values["short_name"],
        office=values["office"],
        term=values["term"] or "",
        briefing=settings,
        source=Source(path, 1),
        print=print_settings,
        spacing=spacing,
        limits=limits,
    )
    return site, []


def _print_settings(data: YamlMap, path: str) -> tuple[PrintSettings, list[Diagnostic]]:
    """site.yml's optional `print:` block; each font set there replaces that role's default."""
    if data.get("print") is None:
        return DEFAULT_PRINT, []
    values, problems = read_nested(data, "print", PRINT_FIELDS, path)
    if values is None:
        return DEFAULT_PRINT, problems
    fonts = dict(DEFAULT_PRINT.fonts)
    lines: dict[str, int] = {}
    if values.get("fonts") is not None:
        chosen, found = read_nested(data["print"], "fonts", FONT_FIELDS, path)
        problems += found
        for role in PRINT_FONT_ROLES:
            if chosen and chosen.get(role):
                fonts[role] = (chosen[role],)
                lines[role] = data["print"]["fonts"].line_of(role)
    return PrintSettings(fonts, lines, values.get("pdf_standard"), values.get("book_size") or DEFAULT_PRINT.book_size), problems
