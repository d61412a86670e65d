"""The GB/T 9704 character grid of briefings, rules, plans and reports, read back glyph by glyph."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from conftest import copy_project, zhengxie
from pdfinspect import Glyph, glyph_lines, page_count

PITCH = 156 / 28  # mm: 28 characters on the 156 mm measure
LEFT = {1: 28.0, 0: 26.0}  # the text block's left edge on odd and even pages (binding inside)
CLOSING = set("”’，．。、：；》〉）』」】〗〕］｝？！")
OPENING = set("“‘《〈（『「【〖〔［｛")
MARKS = CLOSING | OPENING
EM = 16 / 72 * 25.4  # mm: the body size
PHRASES = [
    "区政协围绕全区中心工作", "组织委员开展调研视察", "形成了一批有分量的意见建议", "推动经济社会高质量发展",
    "持续改善营商环境", "落实促进民营经济健康发展的政策措施", "发挥协商民主重要渠道作用", "强化专项监督",
    "搭建联系对口单位的桥梁", "服务界别委员的纽带", "提升委员素质", "增强委员意识", "更好地履职尽责",
    "深入开展调研视察", "向区委政府和有关部门提出建设性意见", "重视社情民意工作", "完善协商制度", "规范协商程序",
]


def plain_paragraphs(seed: int, count: int) -> list[str]:
    """Chinese paragraphs of phrases, commas and full stops only: every line can be full."""
    draw = random.Random(seed)
    return [
        "".join("，".join(draw.choice(PHRASES) for _ in range(draw.randint(2, 4))) + "。" for _ in range(draw.randint(4, 8)))
        for _ in range(count)
    ]


REPORT_TITLE = "政协某某区委员会关于加强和改进委员联系界别群众工作的意见"


@pytest.fixture(scope="module")
def grid(tmp_path_factory) -> Path:
    """A project with a briefing of plain text, headings of every level and a salutation."""
    root = copy_project(tmp_path_factory.mktemp("grid") / "project")
    note = "本期刊发区政协“持续改善营商环境”的有关情况，请各位委员结合自身实际，落实“措施”。" * 3
    long_title = "关于进一步加强和改进新时代人民政协委员履职能力建设的调研报告（节选）"
    body = "\n\n".join(plain_paragraphs(17, 14))
    headings = "\n\n".join([
        "### 一、第一层标题", plain_paragraphs(1, 1)[0],
        "#### （一）第二层标题", plain_paragraphs(2, 1)[0],
        "##### 1.第三层标题", plain_paragraphs(3, 1)[0],
        "###### （1）第四层标题", plain_paragraphs(4, 1)[0],
    ])
    (root / "content/briefings/2019/06.md").write_text(
        f"---\nnumber: 6\ndate: 2019-11-01\n---\n\n> {note}\n\n## 网格测试\n\n{body}\n\n## {long_title}\n\n{headings}\n",
        encoding="utf-8",
    )
    (root / "content/reports/2019.md").write_text(
        f"---\nyear: 2019\ntitle: {REPORT_TITLE}\n---\n\n各位委员：\n\n" + "\n\n".join(plain_paragraphs(5, 2)) + "\n",
        encoding="utf-8",
    )
    result = zhengxie(root, "build")
    assert result.code == 0, result.output
    return root / "site/pdf"


def body_lines(pdf: Path, font: str = "Serif") -> list[tuple[int, list[Glyph]]]:
    """(page, glyphs) of every 16 pt line of Chinese text set in the body face (not the
    titles, folios or the masthead's number and date lines)."""
    return [
        (page, line)
        for page in range(1, page_count(pdf) + 1)
        for line in glyph_lines(pdf, page)
        if all(abs(g.size - 16) < 0.01 and ("\u4e00" <= g.char <= "\u9fff" or g.char in MARKS) for g in line)
        and font in line[-1].font and "Bold" not in line[-1].font
    ]


def advances(line: list[Glyph]) -> list[tuple[Glyph, Glyph, float]]:
    return [(a, b, (b.x - a.x) / PITCH) for a, b in zip(line, line[1:])]


def cells_from_left(page: int, glyph: Glyph) -> float:
    return (glyph.x - LEFT[page % 2]) / PITCH


def compressed(line: list[Glyph]) -> bool:
    """A line taking one mark more than its cells (避头尾): its marks give up width."""
    return any(step < 0.99 for _, _, step in advances(line))


def test_full_lines_hold_28_characters_on_the_grid(grid):
    lines = body_lines(grid / "briefings/2019/06.pdf")
    full = [(page, line) for page, line in lines if cells_from_left(page, line[-1]) > 26.9]
    plain = [(page, line) for page, line in full if not compressed(line)]
    assert len(plain) >= 40, len(plain)
    for page, line in plain:
        glyphs = line
        text = "".join(g.char for g in glyphs)
        start = round(cells_from_left(page, glyphs[0]), 2)
        assert start in (0.0, 2.0), (start, text)  # flush or indented two cells
        assert len(glyphs) == 28 - start, (len(glyphs), text)
    # lines pushed in by a mark are the exception, not the rule
    assert len(full) - len(plain) < len(full) / 4


def test_no_letter_spacing(grid):
    """Between two characters the advance is the pitch: nothing letter-spaced or squeezed."""
    steps = [
        (step, a.char + b.char)
        for _, line in body_lines(grid / "briefings/2019/06.pdf")
        for a, b, step in advances(line)
        if a.char not in MARKS and b.char not in MARKS
    ]
    assert steps
    widest, narrowest = max(steps), min(steps)
    assert widest[0] <= 1.01, widest
    assert narrowest[0] >= 0.99, narrowest


def test_marks_keep_a_full_cell_unless_a_line_takes_one_more(grid):
    for page, line in body_lines(grid / "briefings/2019/06.pdf"):
        cells = 28 - round(cells_from_left(page, line[0]))
        for a, b, step in advances(line):
            if step < 0.99:  # marks give up width only on a line holding more glyphs than cells
                assert a.char in MARKS or b.char in OPENING, (a.char + b.char, step)
                assert len(line) > cells, ("".join(g.char for g in line), a.char + b.char, step)
                assert step >= 0.49, step  # by half a cell at most


def test_editor_note_keeps_the_grid(grid):
    pdf = grid / "briefings/2019/06.pdf"
    note = [line for line in glyph_lines(pdf, 1) if any("WenKai" in g.font for g in line)]
    assert len(note) >= 4
    for line in note:
        start = cells_from_left(1, line[0])
        assert abs(start - round(start)) < 0.02, ("".join(g.char for g in line), start)
        steps = [step for a, b, step in advances(line) if a.char not in MARKS and b.char not in MARKS]
        assert max(steps) <= 1.01 and min(steps) >= 0.99, ("".join(g.char for g in line), max(steps))


def test_quotation_marks_in_kai_are_full_width(grid):
    pdf = grid / "briefings/2019/06.pdf"
    quotes = [
        (g, step) for line in glyph_lines(pdf, 1) if any("WenKai" in x.font for x in line)
        for g, _, step in advances(line) if g.char in "“”"
    ]
    assert len(quotes) >= 6
    for glyph, step in quotes:
        assert abs(glyph.width - EM) < 0.01, (glyph.font, glyph.width / EM)  # a full em, not 0.35
        assert step > 0.7, step  # and it does not touch its neighbour


def heading_line(pdf: Path, prefix: str) -> tuple[int, list[Glyph]]:
    for page in range(1, page_count(pdf) + 1):
        for line in glyph_lines(pdf, page):
            if "".join(g.char for g in (line)).startswith(prefix):
                return page, line
    raise AssertionError(f"no line starts with {prefix}")


@pytest.mark.parametrize("prefix, face", [("一、", "Sans"), ("（一）", "WenKai"), ("1.", "Serif"), ("（1）", "Serif")])
def test_heading_faces_by_level(grid, prefix, face):
    page, line = heading_line(grid / "briefings/2019/06.pdf", prefix)
    glyphs = line
    assert all(face in g.font and "Bold" not in g.font for g in glyphs if g.char not in "“”‘’"), {g.font for g in glyphs}
    # indented two characters; an opening bracket keeps its full cell
    assert abs(cells_from_left(page, glyphs[0]) - 2) < 0.02, cells_from_left(page, glyphs[0])
    if glyphs[0].char in OPENING:
        assert abs((glyphs[1].x - glyphs[0].x) / PITCH - 1) < 0.01


def test_salutation_is_flush_left(grid):
    page, line = heading_line(grid / "reports/2019.pdf", "各位委员：")
    assert abs(cells_from_left(page, line[0])) < 0.02
    after = glyph_lines(grid / "reports/2019.pdf", page)
    following = after[after.index(line) + 1]
    assert abs(cells_from_left(page, (following)[0]) - 2) < 0.02  # the text after it is indented


def test_the_space_after_tiao_is_one_full_width_space(grid):
    pdf = grid / "rules/kaoping.pdf"
    gaps = []
    for page in range(1, page_count(pdf) + 1):
        for line in glyph_lines(pdf, page):
            glyphs = line
            for a, b in zip(glyphs, glyphs[1:]):
                if a.char == "\u3000" and b.x > a.x:
                    gaps.append((b.x - a.x) / EM)
    assert len(gaps) >= 5
    assert all(abs(gap - 1) <= 0.05 for gap in gaps), gaps


def title_lines(pdf: Path, size: float) -> list[list[Glyph]]:
    return [
        (line) for page in range(1, page_count(pdf) + 1) for line in glyph_lines(pdf, page)
        if all(abs(g.size - size) < 0.01 for g in line) and "Bold" in line[0].font
    ]


@pytest.mark.parametrize("document, size, title", [
    ("briefings/2019/06.pdf", 18, "关于进一步加强和改进新时代人民政协委员履职能力建设的调研报告（节选）"),
    ("rules/kaoping.pdf", 22, None),
    ("reports/2019.pdf", 22, None),
])
def test_titles_are_balanced(grid, document, size, title):
    lines = title_lines(grid / document, size)
    if title:
        lines = [line for line in lines if "".join(g.char for g in line) in title]
    text = "".join(g.char for line in lines for g in line)
    assert len(lines) >= 2, text
    counts = [len(line) for line in lines]
    # no line longer than the one below it, and none shorter than half an even line (a break
    # moved back to a word's edge)
    assert all(upper <= lower for upper, lower in zip(counts, counts[1:])), counts
    assert min(counts) >= sum(counts) / len(counts) / 2, counts
    pitch = size / 72 * 25.4
    for line in lines:  # nothing squeezed to keep a line
        steps = [(b.x - a.x) / pitch for a, b in zip(line, line[1:]) if a.char not in MARKS and b.char not in MARKS]
        assert min(steps) > 0.97, ("".join(g.char for g in line), min(steps))
        brackets = [(b.x - a.x) / pitch for a, b in zip(line, line[1:]) if a.char in "（）" or b.char in "（）"]
        assert all(step > 0.97 for step in brackets), brackets


def test_heading_levels_come_from_their_number_or_else_their_depth():
    from generator.print.grid import flush_salutation, rank_headings
    from generator.print.tree import to_blocks

    body = "\n\n".join([
        "同志们：", "正文。", "## 总体要求", "### 具体安排", "#### （二）分项（标题的编号优先）",
        "## 三、重点工作", "###### 2.细目", "#### (3)半角括号",
    ])
    ranks = [(node["rank"], node["c"][0]["v"][:4]) for node in rank_headings(to_blocks(body)) if node["t"] == "h"]
    assert ranks == [(1, "总体要求"), (2, "具体安排"), (2, "（二）分"), (1, "三、重点"), (3, "2.细目"), (4, "(3)半")]
    assert flush_salutation(to_blocks(body))[0].get("flush")
    for opening in ("正文。\n\n同志们：", "区政协围绕全区中心工作，组织委员开展以下活动："):
        assert not flush_salutation(to_blocks(opening))[0].get("flush"), opening


@pytest.mark.parametrize("document, size, expected", [
    ("rules/kaoping.pdf", 22, ["政协昆都仑区委员会", "委员履职考评办法（示例）"]),
    ("rules/kaoping.pdf", 16, ["（2018年4月20日政协昆都仑区", "第九届委员会常务委员会会议（示例）通过）"]),
    ("briefings/2019/06.pdf", 18, ["关于进一步加强和改进新时代人民政协", "委员履职能力建设的调研报告（节选）"]),
    ("reports/2019.pdf", 22, ["政协某某区委员会", "关于加强和改进委员联系界别群众工作的意见"]),
])
def test_titles_break_at_the_edge_of_a_word(grid, document, size, expected):
    """委员会 and 第九届 are not split, and a title breaks where its issuer's name ends."""
    pdf = grid / document
    lines = [
        "".join(g.char for g in line).replace("\u2060", "")
        for page in range(1, page_count(pdf) + 1) for line in glyph_lines(pdf, page)
        if all(abs(g.size - size) < 0.01 for g in line)
    ]
    for line in expected:
        assert line in lines, lines
