"""`zhengxie import`: a Word document as a new draft content file, its images beside it.

`docx_import.py` turns the document into blocks; this module decides what they become for
each content type (front matter values, the briefing's `## ` articles, footnotes per
article), fixes the punctuation, renders the same commented templates as `zhengxie new`
and writes everything with `write_new_file()`, or nothing at all.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.types.base import ScaffoldProblem
from generator.types.briefing import next_briefing
from generator.types.wenshi import next_wenshi_article
from generator.bodyscan import chinese_to_int
from generator.docx_import import Block, Document, read_docx
from generator.output import write_new_file
from generator.pages.common import render

PLACEHOLDER_TITLE = "请填写文章标题"
_SHORT = 40  # characters: longer paragraphs are never taken for a masthead, byline or heading


@dataclass
class Imported:
    paths: list[Path]  # the content file first, then its images
    todo: list[str] = field(default_factory=list)  # what the editor must still fill in or check (Chinese)


def typeset(markdown: str) -> str:
    """Chinese punctuation of the converted body, by the project's typography rules."""
    from generator.typography import fix_markdown

    return fix_markdown(markdown)


def typeset_value(value: str) -> str:
    """The same rules for a front-matter value (a title, a name)."""
    from generator.typography import fix_plain

    return fix_plain(value)


# --- dates and bylines in the text ----------------------------------------------------------

_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_CN_DATE = re.compile(r"([〇零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日")
_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}


def find_date(text: str) -> tuple[dt.date, str] | None:
    """The first real date written 2019年3月15日 or 二〇一九年三月十五日, with the words found."""
    found = []
    for match in _DATE.finditer(text):
        found.append((match.start(), int(match[1]), int(match[2]), int(match[3]), match[0]))
    for match in _CN_DATE.finditer(text):
        year = int("".join(_CN_DIGIT[c] for c in match[1]))
        found.append((match.start(), year, chinese_to_int(match[2]) or 0, chinese_to_int(match[3]) or 0, match[0]))
    for _, year, month, day, words in sorted(found):
        try:
            return dt.date(year, month, day), words
        except ValueError:
            continue
    return None


_ROLES = {"作者": "author", "文": "author", "撰文": "author", "撰稿": "author", "口述": "oral", "整理": "compiled_by"}
_LABEL = re.compile(r"(作者|撰文|撰稿|文|口述|整理)(?:：(.+))?")
_NAME = re.compile(r"[\u3400-\u9fffA-Za-z·・、]{2,20}")


def parse_byline(text: str) -> dict[str, str] | None:
    """作者：张三 / 文/张三 / 口述：张三　整理：李四 / 张三口述　李四整理 -> fields; None for prose."""
    if len(text) > _SHORT:
        return None
    tokens = re.sub(r"\s*[：:/／]\s*", "：", text.replace("\u3000", " ")).split()
    found: dict[str, str] = {}
    index = 0
    while index < len(tokens):
        token = tokens[index]
        label = _LABEL.fullmatch(token)
        if label:
            name = label[2]
            if name is None:
                if index + 1 >= len(tokens):
                    return None
                index += 1
                name = tokens[index]
            role = label[1]
        elif index + 1 < len(tokens) and tokens[index + 1] in ("口述", "整理"):
            name, role = token, tokens[index + 1]
            index += 1
        elif re.fullmatch(r".+(口述|整理)", token):
            name, role = token[:-2], token[-2:]
        else:
            return None
        if not _NAME.fullmatch(name) or _ROLES[role] in found:
            return None
        found[_ROLES[role]] = name
        index += 1
    return found or None


# --- structure shared by the types ----------------------------------------------------------


def _prepare(document: Document, todo: list[str]) -> list[Block]:
    """Bold short lines as headings when Word's heading styles were not used."""
    blocks = list(document.blocks)
    if not any(b.kind in ("title", "heading") for b in blocks):
        promoted = [
            b for b in blocks
            if b.kind == "paragraph" and b.bold and len(b.text) <= _SHORT and not re.search(r"[。！？；：，,.!?;:]$", b.text)
        ]
        for block in promoted:
            block.make_heading()
        if promoted:
            todo.append("文档没有使用“标题”样式，已把整段加粗的短段落当作标题，请核对")
    if any(b.kind == "image" and not b.text for b in blocks):
        todo.append("图片没有说明：请在 ![ ] 的方括号中写上图注")
    return blocks


def _body(sections: list[list[str]], notes: list[str]) -> str:
    """Sections of Markdown blocks; each footnote's definition ends the section citing it first."""
    placed: set[int] = set()
    texts = []
    for index, section in enumerate(sections):
        text = "\n\n".join(section)
        cited = [int(n) for n in re.findall(r"\[\^(\d+)\](?!:)", text)]
        if index == len(sections) - 1:
            cited += range(1, len(notes) + 1)
        definitions = []
        for number in cited:
            if number not in placed and 1 <= number <= len(notes):
                placed.add(number)
                definitions.append(f"[^{number}]: {notes[number - 1]}")
        texts.append(text + ("\n\n" + "\n".join(definitions) if definitions else ""))
    return "\n\n".join(t for t in texts if t)


def _markdown(block: Block, top: int) -> str:
    """A block's Markdown; the top heading level found becomes `## `."""
    if block.kind == "heading":
        return "#" * min(6, 2 + block.level - top) + " " + block.markdown
    return block.markdown


def _yaml_value(value: str) -> str:
    """`value` as a YAML scalar: plain when it reads back the same, else double-quoted."""
    try:
        if yaml.safe_load(f"key: {value}") == {"key": value} and " #" not in value:
            return value
    except yaml.YAMLError:
        pass
    return json.dumps(value, ensure_ascii=False)


# --- briefings ------------------------------------------------------------------------------

_NUMBER_LINE = re.compile(r"第\s*[\d一二三四五六七八九十〇零]+\s*期|总第")
_RULE_LINE = re.compile(r"^[-—─━_=＝\s]+$")
_EDITOR_NOTE = re.compile(r"^(?:\*\*)?编者按\s*[：:]?\s*(?:\*\*)?\s*[：:]?\s*")  # also **编者按：** and **编者按**：


def _is_masthead(block: Block, names: list[str]) -> bool:
    """A line of the printed masthead: the briefing's name, 第N期, the office, the date, a rule."""
    if block.kind not in ("title", "paragraph") or len(block.text) > _SHORT:
        return False
    text = block.text
    return bool(
        _RULE_LINE.match(text)
        or _NUMBER_LINE.search(text)
        or any(name and name in text for name in names)
        or (find_date(text) and len(text) <= 30)
    )


def _strip_masthead(document: Document, names: list[str], number: int, todo: list[str]) -> None:
    masthead = []
    while document.blocks and _is_masthead(document.blocks[0], names):
        masthead.append(document.blocks.pop(0).text)
    if masthead:
        todo.append("已删去文档开头的报头：" + "、".join(f"“{t}”" for t in masthead) + "（期号、日期写在前置信息中）")
    written = re.search(r"第\s*(\d+)\s*期", " ".join(masthead))
    if written and int(written[1]) != number:
        todo.append(f"报头写的是第{written[1]}期，按已有各期顺排为第{number}期：请核对，需要时改 number 和文件名")


def _briefing_body(blocks: list[Block], notes: list[str], todo: list[str]) -> str:
    titles = [b for b in blocks if b.kind == "title"]
    headings = [b for b in blocks if b.kind == "heading"]
    if titles and headings:
        todo.append("文档标题" + "、".join(f"“{b.text}”" for b in titles) + "没有收入：简报只有各篇文章的标题")
        blocks = [b for b in blocks if b.kind != "title"]
    elif titles:  # one article: the document's title is its title
        for block in titles:
            block.make_heading()
        headings = titles
    top = min((b.level for b in headings), default=1)

    lead: list[Block] = []
    while blocks and not (blocks[0].kind == "heading" and blocks[0].level == top):
        lead.append(blocks.pop(0))
    sections: list[list[str]] = []
    if lead and lead[0].kind == "paragraph" and _EDITOR_NOTE.match(lead[0].text):
        first = _EDITOR_NOTE.sub("", lead[0].markdown)
        note = "\n\n".join([first, *(_markdown(b, top) for b in lead[1:])]).strip()
        sections.append(["\n".join(f"> {line}".rstrip() for line in note.split("\n"))])
        todo.append("编者按：已写成正文前的引用段落（> 开头），请核对")
        lead = []
    if lead or not headings:
        sections.append([f"## {PLACEHOLDER_TITLE}", *(_markdown(b, top) for b in lead)])
        todo.append(f"第一篇文章前的文字没有标题，已加上“## {PLACEHOLDER_TITLE}”，请改为文章标题（报头文字请删去）")
    for block in blocks:
        if block.kind == "heading" and block.level == top:
            sections.append([])
        sections[-1].append(_markdown(block, top))
    return _body(sections, notes)


def import_briefing(root: Path, source: Path, date: dt.date | None) -> Imported:
    document = read_docx(source)
    if not document.blocks:
        raise ScaffoldProblem(f"{source.name} 中没有文字，未新建文件")
    if date is not None:
        date_note = f"日期 {date.isoformat()}：按 --date"
    else:
        found = find_date("\n".join(b.text for b in document.blocks))
        if found:
            date, words = found
            date_note = f"日期 {date.isoformat()}：取自文档中的“{words}”"
        else:
            date = dt.date.today()
            date_note = f"日期 {date.isoformat()}：文档中没有找到日期，暂用今天"
    path, context = next_briefing(root, date)
    todo: list[str] = []
    _strip_masthead(document, [context["title"], context["office"]], context["number"], todo)
    blocks = _prepare(document, todo)
    document.name_images(f"{path.stem}/{path.stem}-")
    body = typeset(_briefing_body(blocks, document.notes, todo))
    number_note = f"期号 {context['number']}：按{context['year']}年已有的期号顺排"
    if context["total"]:
        number_note += f"；总期号 {context['total']}：上一期加1"
    else:
        number_note += "；总期号未填，请按实际补上 total"
    todo[:0] = [number_note, date_note, "标签（tags）和报送的协商计划（plans）：尚未填写"]
    text = render("new_briefing.md.j2", **context, body=body, source=_yaml_comment(source.name))
    return _write(path, text, document, todo)


# --- wenshi articles ------------------------------------------------------------------------


def import_wenshi_article(root: Path, source: Path, volume: str, slug: str | None) -> Imported:
    path, context = next_wenshi_article(root, volume, slug or "wenzhang")
    document = read_docx(source)
    todo: list[str] = []
    blocks = _prepare(document, todo)
    if not blocks:
        raise ScaffoldProblem(f"{source.name} 中没有文字，未新建文件")

    title_block = next((b for b in blocks if b.kind == "title"), None) or _leading_heading(blocks)
    title = None
    if title_block is not None:
        blocks.remove(title_block)
        title = title_block.text
    fields: dict[str, str] = {}
    for block in list(blocks[:4]):
        if block.kind == "heading":
            break
        byline = parse_byline(block.text) if block.kind == "paragraph" else None
        if byline and not (byline.keys() & fields.keys()):
            fields |= byline
            blocks.remove(block)
    for block in blocks:
        if block.kind == "title":  # a second Title-styled line: keep it as text
            block.kind = "paragraph"
    top = min((b.level for b in blocks if b.kind == "heading"), default=1)
    document.name_images(f"{path.stem}-")
    body = typeset(_body([[_markdown(b, top) for b in blocks]], document.notes))

    values = {key: _yaml_value(typeset_value(value)) for key, value in (("title", title), *fields.items()) if value}
    todo[:0] = [
        f"标题：{title}" if title else "标题：文档中没有找到，请填写 title",
        f"栏目：暂定为本辑第一个栏目“{context['section']}”，请核对",
        _byline_note(fields),
        "标签（tags）：尚未填写",
    ]
    if slug is None:
        todo.insert(0, f"文件名中的英文短名为 wenzhang，可改名（如 {path.name[:3]}laojie.md）或导入时用 --slug 指定")
    text = render("new_wenshi_article.md.j2", **context, **values, body=body or "正文。", source=_yaml_comment(source.name))
    return _write(path, text, document, todo)


def _leading_heading(blocks: list[Block]) -> Block | None:
    """The first heading, unless prose comes before it (then it heads a part, not the article)."""
    for block in blocks:
        if block.kind == "heading":
            return block
        if block.kind != "paragraph" or len(block.text) > _SHORT:
            return None
    return None


def _byline_note(fields: dict[str, str]) -> str:
    labels = {"author": "作者", "oral": "口述", "compiled_by": "整理"}
    if not fields:
        return "作者（author，口述文章写 oral 和 compiled_by）：文档中没有找到，请填写"
    found = "，".join(f"{labels[k]} {v}" for k, v in fields.items())
    return f"署名：{found}（取自文档开头的署名行，已从正文删去）"


def _yaml_comment(text: str) -> str:
    """A file name as the rest of a YAML comment line: every line break and control character a space
    (YAML also ends a line at U+0085, U+2028 and U+2029)."""
    return re.sub("[\x00-\x1f\x7f-\x9f\u2028\u2029]+", " ", text)


# --- writing --------------------------------------------------------------------------------


def _write(path: Path, text: str, document: Document, todo: list[str]) -> Imported:
    """Images first, then the content file; on any failure, remove what was written."""
    todo.extend(document.warnings)
    todo.append("核对无误后删除 draft: true 一行，才会正式发布")
    written: list[Path] = []
    targets = [path, *(path.parent / image.target for image in document.images)]
    new_dirs = {p for t in targets for p in t.parents if not p.exists()}
    try:
        for image in document.images:
            target = path.parent / image.target
            write_new_file(target, image.data)
            written.append(target)
        write_new_file(path, text)
    except BaseException:
        for done in written:
            done.unlink(missing_ok=True)
        for folder in sorted(new_dirs, key=lambda p: len(p.parts), reverse=True):
            if folder.exists() and not any(folder.iterdir()):
                folder.rmdir()
        raise
    return Imported([path, *written], todo)
