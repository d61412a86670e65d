"""content/wenshi/<NN>/ -> Volume with its 序, 后记 and articles."""
from __future__ import annotations

import re
from pathlib import Path

from generator.diagnostics import Diagnostic, error
from generator.fields import (
    Field,
    FieldProblem,
    integer,
    iso_date_or_month,
    read_fields,
    text,
    tag_list,
    text_list,
)
from generator.frontmatter import YamlMap, read_markdown, read_yaml_mapping
from generator.load.common import body_files, entries, DRAFT, INTERNAL, check_name_matches, markdown_files, number_in_name, relative
from generator.model import Essay, Source, Volume, WenshiArticle


def editors(value) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise FieldProblem("应为映射：职务: 姓名 或 职务: [姓名, 姓名]")
    result = []
    for role, names in value.items():
        try:
            result.append((role, text_list(names)))
        except FieldProblem as problem:
            line = problem.line or (value.line_of(role) if isinstance(value, YamlMap) else 0)
            raise FieldProblem(f"的“{role}”{problem.message}", line) from None
    return tuple(result)


def sections(value) -> tuple[str, ...]:
    if isinstance(value, str) and re.search("[、，,；;]", value):
        listed = ", ".join(n.strip() for n in re.split("[、，,；;]", value) if n.strip())
        raise FieldProblem(f"应为列表，每个栏目一项（如 [{listed}]），而不是用顿号或逗号连成的一段文字")
    names = text_list(value)
    if not names:
        raise FieldProblem("至少应有一个栏目")
    seen = set()
    for index, name in enumerate(names):
        if name in seen:
            line = value.line_of(index) if hasattr(value, "line_of") else 0
            raise FieldProblem(f"中栏目“{name}”重复", line)
        seen.add(name)
    return names


VOLUME_FIELDS = [
    Field("series", text, required=True),
    Field("number", integer(1, 9999), required=True),
    Field("title", text),
    Field("published", iso_date_or_month),
    Field("editors", editors, default=()),
    Field("sections", sections, required=True),
    Field("words", integer(1)),
    Field("print_run", integer(1)),
    Field("permit", text),
    Field("isbn", text),
    DRAFT,
    INTERNAL,
]

ESSAY_FIELDS = [Field("title", text), Field("author", text)]

ARTICLE_FIELDS = [
    Field("title", text, required=True),
    Field("section", text, required=True),
    Field("author", text),
    Field("oral", text),
    Field("compiled_by", text),
    Field("tags", tag_list, default=()),
    DRAFT,
    INTERNAL,
]

ESSAYS = {"序.md": ("preface", "序"), "后记.md": ("afterword", "后记")}
_ARTICLE_NAME = re.compile(r"([0-9]{2,})-([a-z0-9]+(?:-[a-z0-9]+)*)")  # 03-gangtie; used with fullmatch


def load_volumes(root: Path, folder: Path) -> tuple[list[Volume], list[Diagnostic]]:
    volumes: list[Volume] = []
    problems: list[Diagnostic] = []
    for entry in entries(folder):
        if entry.is_dir():
            volume, found = load_volume(root, entry)
            problems += found
            if volume is not None:
                volumes.append(volume)
        elif entry.suffix in (".md", ".yml"):
            problems.append(error(relative(root, entry), 0, "文史文件应放在以辑号命名的目录中，如 content/wenshi/14/"))
    volumes.sort(key=lambda v: v.number)
    return volumes, problems


def load_volume(root: Path, folder: Path) -> tuple[Volume | None, list[Diagnostic]]:
    path = relative(root, folder / "volume.yml")
    folder_number, problems = number_in_name(folder.name, "文史目录", relative(root, folder))
    if not (folder / "volume.yml").is_file():
        return None, problems + [error(path, 0, "缺少本辑的 volume.yml（series、number、sections 等）")]
    data, found = read_yaml_mapping(folder / "volume.yml", path)
    problems += found
    if data is None:
        return None, problems
    values, found = read_fields(data, VOLUME_FIELDS, path)
    problems += found
    problems += check_name_matches(data, "number", values.get("number"), folder_number, path, f"目录名 {folder.name} ")

    essays: dict[str, Essay] = {}
    articles: list[WenshiArticle] = []
    orders: dict[int, str] = {}
    for file in markdown_files(folder):
        file_path = relative(root, file)
        if file.name in ESSAYS:
            essay, found = load_essay(root, file, *ESSAYS[file.name])
            problems += found
            if essay is not None:
                essays[essay.role] = essay
            continue
        match = _ARTICLE_NAME.fullmatch(file.stem)
        if not match or match[1] != f"{int(match[1]):02d}":
            problems.append(
                error(file_path, 0, f"文章文件名应为“两位序号-英文短名.md”（如 03-gangtie.md），而不是“{file.name}”")
            )
            continue
        order = int(match[1])
        if order in orders:
            problems.append(error(file_path, 0, f"序号 {match[1]} 与 {orders[order]} 重复"))
            continue
        orders[order] = file_path
        article, found = load_article(root, file, values.get("number") or folder_number or 0, order, match[2])
        problems += found
        if article is not None:
            articles.append(article)

    if any(values.get(k) is None for k in ("series", "number", "sections")):
        return None, problems
    volume = Volume(
        number=values["number"],
        series=values["series"],
        title=values["title"],
        published=values["published"],
        editors=values["editors"] or (),
        sections=values["sections"],
        words=values["words"],
        print_run=values["print_run"],
        permit=values["permit"],
        isbn=values["isbn"],
        draft=values["draft"] or False,
        internal=values["internal"] or False,
        preface=essays.get("preface"),
        afterword=essays.get("afterword"),
        articles=tuple(sorted(articles, key=lambda a: a.order)),
        source=Source(path, 1),
    )
    return volume, problems


def load_essay(root: Path, file: Path, role: str, default_title: str) -> tuple[Essay | None, list[Diagnostic]]:
    path = relative(root, file)
    source, problems = read_markdown(file, path)
    if source is None:
        return None, problems
    values, found = read_fields(source.meta, ESSAY_FIELDS, path)
    problems += found
    essay = Essay(
        role=role,
        title=values["title"] or default_title,
        author=values["author"],
        body=source.body,
        body_line=source.body_line,
        files=body_files(source, problems),
        source=Source(path, 1),
    )
    return essay, problems


def load_article(
    root: Path, file: Path, volume: int, order: int, slug: str
) -> tuple[WenshiArticle | None, list[Diagnostic]]:
    path = relative(root, file)
    source, problems = read_markdown(file, path)
    if source is None:
        return None, problems
    values, found = read_fields(source.meta, ARTICLE_FIELDS, path)
    problems += found
    if values.get("title") is None or values.get("section") is None:
        return None, problems
    article = WenshiArticle(
        volume=volume,
        order=order,
        slug=slug,
        title=values["title"],
        section=values["section"],
        section_line=source.meta.line_of("section"),
        author=values["author"],
        oral=values["oral"],
        compiled_by=values["compiled_by"],
        tags=values["tags"] or (),
        draft=values["draft"] or False,
        internal=values["internal"] or False,
        body=source.body,
        body_line=source.body_line,
        files=body_files(source, problems),
        source=Source(path, 1),
    )
    return article, problems
