"""content/site.yml -> Site."""
from __future__ import annotations

from pathlib import Path

from generator.diagnostics import Diagnostic, error
from generator.fields import Field, integer, read_fields, text
from generator.frontmatter import YamlMap, read_yaml_mapping
from generator.load.common import distribution
from generator.model import BriefingSettings, Site, Source

SITE_FIELDS = [
    Field("committee", text, required=True),
    Field("short_name", text, required=True),
    Field("office", text, required=True),
    Field("term", text),
    Field("briefing", lambda v: v, required=True),
]

BRIEFING_FIELDS = [
    Field("title", text, default="政协工作简报"),
    Field("distribution", distribution, default={}),
    Field("copies", integer(1)),
]


def load_site(root: Path) -> tuple[Site | None, list[Diagnostic]]:
    file = root / "content" / "site.yml"
    path = "content/site.yml"
    if not file.is_file():
        return None, [error(path, 0, "缺少站点设置文件 content/site.yml")]
    data, problems = read_yaml_mapping(file, path)
    if data is None:
        return None, problems
    values, problems = read_fields(data, SITE_FIELDS, path)
    briefing = values.get("briefing")
    settings = None
    if briefing is not None:
        if not isinstance(briefing, YamlMap):
            problems.append(error(path, data.line_of("briefing"), "字段“briefing”应为映射（title、distribution、copies）"))
        else:
            b, found = read_fields(briefing, BRIEFING_FIELDS, path, start_line=data.line_of("briefing"))
            problems += found
            if not found:
                settings = BriefingSettings(b["title"], b["distribution"], b["copies"])
    if problems or settings is None:
        return None, problems
    site = Site(
        committee=values["committee"],
        short_name=values["short_name"],
        office=values["office"],
        term=values["term"] or "",
        briefing=settings,
        source=Source(path, 1),
    )
    return site, []
