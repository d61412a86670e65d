"""Reading source files: UTF-8 text, YAML front matter and YAML files, keeping line numbers.

YAML values come back as `YamlMap` / `YamlList`, which remember the line of each key
and item, so that every later message can name `path:line`.  Dates are not resolved
by YAML: they stay strings and `fields.py` parses them, so that `2018-13-45` is a
clear message instead of an exception.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml

from generator.bodyscan import lines_outside_code
from generator.content_files import MAX_SOURCE_BYTES, FileProblem, read_source
from generator.diagnostics import Diagnostic, error


class YamlMap(dict):
    """A mapping that knows its own line and the line of each key (1-based)."""

    line: int = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class YamlList(list):
    """A list that knows its own line and the line of each item (1-based)."""

    line: int = 0

    def __init__(self, *args):
        super().__init__(*args)
        self.item_lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when built with it
    """A safe loader without implicit dates, building YamlMap/YamlList with line numbers."""

    line_offset = 0


def _construct_once(self: "_LineLoader", node: yaml.Node, deep: bool = False):
    # A node constructed a second time is an alias (*name): content has no use for them,
    # and nested aliases are how a few lines of YAML become billions of values.
    if node in self.constructed_objects or node in self.recursive_objects:
        raise yaml.constructor.ConstructorError(None, None, "found an alias", node.start_mark)
    return yaml.constructor.BaseConstructor.construct_object(self, node, deep)


_LineLoader.construct_object = _construct_once

# Drop the timestamp resolver: dates are parsed (and reported) by fields.py.
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _DuplicateKey(yaml.constructor.ConstructorError):
    """A key given twice in one mapping: YAML would keep the last value without a word."""

    def __init__(self, key: str, first_line: int, mark) -> None:
        super().__init__(None, None, "duplicate key", mark)
        self.chinese = f"键“{key}”重复（第 {first_line} 行已有），后写的会悄悄覆盖先写的；请只保留一个"


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> YamlMap:
    result = YamlMap()
    result.line = node.start_mark.line + 1 + loader.line_offset
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in result:
            raise _DuplicateKey(key, result.key_lines[key], key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1 + loader.line_offset
    return result


def _construct_list(loader: _LineLoader, node: yaml.SequenceNode) -> YamlList:
    result = YamlList()
    result.line = node.start_mark.line + 1 + loader.line_offset
    for item in node.value:
        result.append(loader.construct_object(item, deep=True))
        result.item_lines.append(item.start_mark.line + 1 + loader.line_offset)
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_list)

_YAML_PROBLEMS = {
    "mapping values are not allowed here": "此处不能出现“键: 值”（冒号后的内容可能需要加引号）",
    "could not find expected ':'": "缺少冒号“:”",
    "found character '\\t' that cannot start any token": "不能使用 Tab 缩进，请改用空格",
    "found duplicate anchor": "重复的锚点",
    "expected <block end>, but found '<block mapping start>'": "缩进不一致",
    "expected <block end>, but found '-'": "列表项缩进不一致",
    "did not find expected key": "缩进不一致或缺少键名",
    "found undefined alias": "未定义的别名",
    "expected ',' or ']', but got '<stream end>'": "方括号 [ ] 没有配对",
    "expected ',' or '}', but got '<stream end>'": "花括号 { } 没有配对",
    "found unexpected end of stream": "引号没有配对",
    "found an alias": "不能使用 YAML 的锚点和别名（& 和 * 开头的写法）",
    "exceeded maximum nesting depth": "嵌套层次过深",
}
_YAML_TAG_PROBLEM = "could not determine a constructor for the tag"


def parse_yaml(text: str, path: str, line_offset: int = 0) -> tuple[object, list[Diagnostic]]:
    """Parse YAML text; `line_offset` is the number of file lines before `text`."""
    loader = _LineLoader(text)
    loader.line_offset = line_offset
    try:
        data = loader.get_single_data()
    except _DuplicateKey as exc:
        return None, [error(path, exc.problem_mark.line + 1 + line_offset, exc.chinese)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else line_offset + 1
        problem = (exc.problem or "").strip()
        message = _YAML_PROBLEMS.get(problem, problem)
        if problem.startswith(_YAML_TAG_PROBLEM):
            message = "不能使用 YAML 标签（! 开头的写法，如 !!python/object）"
        return None, [error(path, line, f"YAML 格式错误：{message}")]
    except RecursionError:
        return None, [error(path, line_offset + 1, "YAML 格式错误：嵌套层次过深")]
    except yaml.YAMLError as exc:
        return None, [error(path, line_offset + 1, f"YAML 格式错误：{exc}")]
    finally:
        loader.dispose()
    return data, []


@dataclass
class SourceText:
    """A decoded source file: front matter (if any) and body with its first line number."""

    path: str
    meta: YamlMap = field(default_factory=YamlMap)
    body: str = ""
    body_line: int = 1  # file line number of the body's first line


BOM = b"\xef\xbb\xbf"


def decode_utf8(data: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    """The text of a file's bytes without a byte order mark; bytes that are not UTF-8 are an error."""
    data = data.removeprefix(BOM)
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [error(path, line, "文件不是 UTF-8 编码（请在编辑器中以 UTF-8 另存）")]


# Control characters other than tab and line ends: invisible, and no page or PDF wants them.
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # C0 and C1, tab and newlines aside

# site.yml's limits, in force while the collections are read (`reading_limits`).
_limits: tuple[int, int | None] = (MAX_SOURCE_BYTES, None)


@contextmanager
def reading_limits(max_bytes: int, max_line_chars: int):
    """Files read inside the block larger than `max_bytes`, or with a longer line, are errors."""
    global _limits
    previous, _limits = _limits, (max_bytes, max_line_chars)
    try:
        yield
    finally:
        _limits = previous


def read_text(file: Path, path: str) -> tuple[str | None, list[Diagnostic]]:
    """Read a file as UTF-8 within the limits; an empty file, bytes that are not UTF-8,
    control characters, an over-long line or title are errors."""
    max_bytes, max_line = _limits
    try:
        data = read_source(file, path, max_bytes)
    except FileProblem as problem:
        return None, [error(path, 0, f"这个文件{problem}")]
    except OSError as exc:
        return None, [error(path, 0, f"无法读取这个文件：{exc.strerror or exc}")]
    text, problems = decode_utf8(data, path)
    if text is None:
        return None, problems
    if not text.strip():
        return None, [error(path, 1, "文件为空")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if CONTROL_CHARACTER.search(text):
        return None, _control_characters(path, text)
    if max_line is not None:
        long_line = next((n for n, line in enumerate(text.split("\n"), start=1) if len(line) > max_line), None)
        if long_line is not None:
            return None, [error(path, long_line, f"这一行超过 {max_line} 个字符（site.yml 的 limits.max_line_chars），请分段")]
    return text, _long_titles(path, text)


def _control_characters(path: str, text: str) -> list[Diagnostic]:
    """One error per line holding control characters (a paste from Word often has many)."""
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        control = CONTROL_CHARACTER.search(line)
        if control:
            name = "空字符（NUL）" if control[0] == "\x00" else "不可见的控制字符"
            found.append(error(path, number, f"这一行有{name} U+{ord(control[0]):04X}（常见于从别处复制的文字），请删去"))
    return found


MAX_TITLE = 100  # characters: longer is a paragraph pasted where a title belongs
_TITLE_LINE = re.compile(r"^(?:title:\s*|#{1,6}\s+)(.+?)\s*$")
_LONG_TITLE_LINE = re.compile(r"^(?:title:\s*|#{1,6}\s+).{%d}" % (MAX_TITLE + 1), re.MULTILINE)


def _long_titles(path: str, text: str) -> list[Diagnostic]:
    found = []
    if not _LONG_TITLE_LINE.search(text):
        return found  # no title line that long anywhere, code included
    for number, line in lines_outside_code(text, 1):
        match = _TITLE_LINE.match(line)
        if match and len(match[1].strip("\"'")) > MAX_TITLE:
            found.append(error(path, number, f"标题有 {len(match[1])} 个字，超过 {MAX_TITLE} 个字；这里可能误贴了正文，请缩短"))
    return found


_FENCE = re.compile(r"^---[ \t]*$")
# What a --- line becomes when typed with a Chinese input method or spaced out.
_LOOKALIKE_FENCE = re.compile(r"^[ \t]*(?:[—–－―]{2,}[-—–－― ]*|-[ \t]+-[ \t]+-[- \t]*|-{4,}|[-—–－―]*[—–－―][-—–－―]*)[ \t]*$")


# Parsed files by path, with the (mtime, size) they were parsed at: a preview that
# reloads the content after one edit parses only the edited file again.
_parsed: dict[str, tuple[tuple[int, int], tuple[SourceText | None, list[Diagnostic]]]] = {}
_on_read: Callable[[], None] | None = None


@contextmanager
def counting_reads(callback: Callable[[], None]):
    """Call `callback` once per Markdown file read inside the block (a build's progress bar)."""
    global _on_read
    previous, _on_read = _on_read, callback
    try:
        yield
    finally:
        _on_read = previous


def read_markdown(file: Path, path: str) -> tuple[SourceText | None, list[Diagnostic]]:
    """Read a Markdown file with optional front matter between `---` lines (memoised by mtime and size)."""
    if _on_read is not None:
        _on_read()
    try:
        status = file.stat()
    except OSError:  # gone between the listing and now (a preview while an editor saves)
        return None, [error(path, 0, "这个文件在读取时消失了（可能正被保存），请稍后重试")]
    stamp = (status.st_mtime_ns, status.st_size)
    key = f"{file.resolve()}\0{path}\0{_limits}"
    cached = _parsed.get(key)
    if cached is None or cached[0] != stamp:
        cached = _parsed[key] = (stamp, _read_markdown(file, path))
    source, problems = cached[1]
    return source, list(problems)  # the caller adds to its list: the memo keeps its own


def _read_markdown(file: Path, path: str) -> tuple[SourceText | None, list[Diagnostic]]:
    text, notes = read_text(file, path)  # notes: over-long titles, which do not stop the reading
    if text is None:
        return None, notes
    lines = text.split("\n")
    if not _FENCE.match(lines[0]):
        if _LOOKALIKE_FENCE.match(lines[0]) and len(lines) > 1 and ":" in lines[1]:
            return None, [error(path, 1, f"front matter 的开始行应写成三个半角减号 ---，这里写成了“{lines[0].strip()}”")]
        return SourceText(path, YamlMap(), text, 1), notes
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index]):
            break
    else:
        lookalike = next((n for n in range(1, len(lines)) if _LOOKALIKE_FENCE.match(lines[n])), None)
        if lookalike is not None:
            return None, [error(path, lookalike + 1, f"front matter 的结束行应写成三个半角减号 ---，这里写成了“{lines[lookalike].strip()}”")]
        return None, [error(path, 1, "文件开头的 front matter 缺少结束的 --- 行")]
    data, problems = parse_yaml("\n".join(lines[1:index]), path, line_offset=1)
    if problems:
        return None, notes + problems
    if data is None:
        data = YamlMap()
    if not isinstance(data, YamlMap):
        return None, [error(path, 2, "front matter 应为“键: 值”形式的映射")]
    body = "\n".join(lines[index + 1 :])
    return SourceText(path, data, body, index + 2), notes


def read_yaml_mapping(file: Path, path: str) -> tuple[YamlMap | None, list[Diagnostic]]:
    """Read a YAML file whose top level must be a mapping."""
    text, notes = read_text(file, path)
    if text is None:
        return None, notes
    data, problems = parse_yaml(text, path)
    if problems:
        return None, notes + problems
    if not isinstance(data, YamlMap):
        return None, [error(path, 1, "文件内容应为“键: 值”形式的映射")]
    return data, notes
