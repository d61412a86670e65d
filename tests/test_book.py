"""A 文史 volume of 100+ pages as a printer takes it: rectos, folios, the line grid, 目录, bookmarks, 版权页."""
from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

from conftest import REPO, copy_project, zhengxie
from pdfinspect import PT_PER_MM, lines, page_count, page_size_mm, page_text, every_page_runs

sys.path.insert(0, str(REPO / "bench"))
from make_corpus import article_text  # noqa: E402

SECTIONS = ["往事钩沉", "人物春秋", "口述实录"]
PREFACE, AFTERWORD = "序言（测试卷）", "编后记（测试卷）"
COLOPHON = {
    "permit": "测内资准字（2020）第017号",
    "printer": "测试市第一印刷厂",
    "print_run": "800",
    "words": "150000",
}
EDGE = 1.0  # mm: how far a folio may stray from its margin


def article_title(order: int) -> str:
    return f"测试文章第{order}篇的标题"


def heading(order: int, part: int) -> str:
    return f"第{order}篇之小节{part}"


def article_body(order: int, characters: int) -> str:
    """Paragraphs with, every few of them, a heading, a block quote, a list or a footnote."""
    paragraphs = article_text(order, characters).split("\n\n")
    out, part = [], 0
    for index, paragraph in enumerate(paragraphs):
        if index and index % 6 == 0:
            part += 1
            out.append(f"## {heading(order, part)}")
        if index % 9 == 4:
            out.append("> " + paragraph[:120] + "\n>\n> " + paragraph[120:200])
            continue
        if index % 13 == 7 and order % 2:
            out.append("\n".join(f"- {item}" for item in paragraph.split("。")[:3] if item))
            continue
        if index == 3 and order % 3 == 0:
            paragraph += "[^1]"
        out.append(paragraph)
        if index == 10 and order % 4 == 2:
            out.append(f"![第{order}篇的插图](figure.svg)")
        if index == 8 and order % 4 == 0:
            out.append("| 年份 | 篇数 | 备注 |\n|---|---|---|\n" + "".join(f"| {2000 + k} | {k * 3} | 第{k}行 |\n" for k in range(1, 6)))
    if order % 3 == 0:
        out.append("[^1]: 脚注：" + paragraphs[0][:60])
    return "\n\n".join(out)


def write_volume(root: Path, number: int, articles: list[tuple[str, int]], essays: bool, colophon: dict) -> Path:
    folder = root / "content/wenshi" / f"{number:02d}"
    folder.mkdir(parents=True)
    sections = "".join(f"  - {s}\n" for s in SECTIONS)
    fields = "".join(f"{key}: {value}\n" for key, value in colophon.items())
    (folder / "volume.yml").write_text(
        f"series: 测试文史\nnumber: {number}\ntitle: 排版测试卷\npublished: 2020-12\n"
        f"editors:\n  主编: 测试主编\nsections:\n{sections}{fields}",
        encoding="utf-8",
    )
    if any(characters > 200 for _, characters in articles):  # the long articles show it
        shutil.copy(REPO / "content/wenshi/14/02-laozhaopian-zhengli.svg", folder / "figure.svg")
    if essays:
        (folder / "序.md").write_text(f"---\ntitle: {PREFACE}\nauthor: 测试作者\n---\n\n" + article_text(900, 2600) + "\n", encoding="utf-8")
        (folder / "后记.md").write_text(f"---\ntitle: {AFTERWORD}\n---\n\n" + article_text(901, 1200) + "\n", encoding="utf-8")
    for order, (section, characters) in enumerate(articles, 1):
        body = article_body(order, characters) if characters > 200 else article_text(order, characters)
        (folder / f"{order:02d}-wenzhang-{order}.md").write_text(
            f"---\ntitle: {article_title(order)}\nsection: {section}\nauthor: 测试作者{order}\n---\n\n{body}\n",
            encoding="utf-8",
        )
    return folder


# Volume 15: twelve long articles (about 110 pages), 序 and 后记, every 版权页 field given.
LONG = [(SECTIONS[i // 4], 7000 + (i * 2311) % 6000) for i in range(12)]
# Volume 16: many short articles, so that its 目录 runs over a page: with 28 in the first 栏目,
# the second 栏目 would be the last line of the first 目录 page if it were not kept with its entry.
SHORT = [(SECTIONS[0], 100)] * 28 + [(SECTIONS[1], 100)] * 12 + [(SECTIONS[2], 100)] * 6


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("book") / "project")
    write_volume(root, 15, LONG, True, COLOPHON)
    write_volume(root, 16, SHORT, False, {})
    for number in (15, 16):
        result = zhengxie(root, "pdf", f"content/wenshi/{number}/volume.yml", "-o", str(root / f"{number}.pdf"))
        assert result.code == 0, result.output
    return root


@pytest.fixture(scope="module")
def pages(book) -> list[str]:
    pdf = book / "15.pdf"
    return [page_text(pdf, n) for n in range(1, page_count(pdf) + 1)]


def is_contents(text: str) -> bool:
    return bool(re.search(r"(?:\. ){5}", text))


def first_page(pages: list[str], needle: str) -> int:
    """The physical number (from 1) of the first page holding `needle`, the 目录 aside."""
    return next(n for n, text in enumerate(pages, 1) if needle in text.replace(" ", "") and not is_contents(text))


def contents_pages(pages: list[str]) -> list[int]:
    return [n for n, text in enumerate(pages, 1) if is_contents(text)]


def folio(pdf: Path, page: int):
    """The page number printed below the text block, as a line box, or None."""
    height = page_size_mm(pdf)[1]
    found = [l for l in lines(pdf, page) if l.y0 > height - 22 and re.fullmatch(r"\d+|[ivxlcdm]+", l.text)]
    return found[0] if found else None


def test_the_generated_volume_has_over_100_pages(book):
    assert page_count(book / "15.pdf") >= 100


def test_every_part_opens_on_a_right_hand_page(book, pages):
    pdf = book / "15.pdf"
    openings = {"序": first_page(pages, PREFACE), "目录": contents_pages(pages)[0], "后记": first_page(pages, AFTERWORD)}
    openings["正文第1页"] = next(n for n in range(1, len(pages) + 1) if folio(pdf, n) is not None and folio(pdf, n).text == "1")
    for order, (section, _) in enumerate(LONG, 1):
        if order == 1 or LONG[order - 2][0] != section:
            openings[section] = first_page(pages, article_title(order))
            assert section in pages[openings[section] - 1]
    assert openings["正文第1页"] == openings[SECTIONS[0]]
    wrong = {part: page for part, page in openings.items() if page % 2 == 0}
    assert not wrong, f"parts opening on a left-hand (even) page: {wrong}"
    # a page left blank before an opening carries nothing, not even a folio or a running head
    height = page_size_mm(pdf)[1]
    blank = [n for n in range(1, len(pages) + 1) if not [l for l in lines(pdf, n) if 23 < l.y0 and l.y1 < height - 22]]
    assert blank and all(n + 1 in openings.values() for n in blank), blank
    assert all(not pages[n - 1].strip() for n in blank), {n: pages[n - 1] for n in blank}


def test_folios_sit_on_the_outer_edge_of_every_numbered_page(book):
    pdf = book / "15.pdf"
    width = page_size_mm(pdf)[0]
    numbered, gutter = 0, []
    for n in range(1, page_count(pdf) + 1):
        box = folio(pdf, n)
        if box is None:
            continue
        numbered += 1
        # odd physical pages are rectos: outer edge on the right; even pages: on the left
        outer = box.x1 > width - 18 - EDGE if n % 2 else box.x0 < 18 + EDGE
        if not outer:
            gutter.append((n, box.text))
    assert numbered > 100
    assert not gutter, f"{len(gutter)} of {numbered} folios at the gutter, e.g. {gutter[:5]}"


def test_running_heads_sit_on_the_outer_side(book):
    pdf = book / "15.pdf"
    width = page_size_mm(pdf)[0]
    heads = 0
    for n in range(1, page_count(pdf) + 1):
        head = [l for l in lines(pdf, n) if l.y1 < 24 and l.text]
        if not head:
            continue
        heads += 1
        if n % 2:
            assert head[0].x1 > width - 18 - EDGE, (n, head[0])
        else:
            assert head[0].x0 < 18 + EDGE, (n, head[0])
    assert heads > 80


def test_facing_body_pages_end_on_the_same_line(book, pages):
    """Every body page that is not an article's last ends on the grid's last line, so facing
    pages end at the same height; a page may end early only where a heading moved on to stay
    with its text (the next page then starts with that heading)."""
    pdf = book / "15.pdf"
    height = page_size_mm(pdf)[1]
    starts = {first_page(pages, article_title(order)) for order in range(1, len(LONG) + 1)}
    starts.add(first_page(pages, AFTERWORD))
    body = range(min(starts), first_page(pages, AFTERWORD))
    headings = {heading(order, part) for order in range(1, len(LONG) + 1) for part in range(1, 40)}
    every = every_page_runs(pdf)

    def text_lines(n):  # baselines in the text block (running head and folio aside)
        return [r.baseline for r in every[n - 1] if 24 - 1 < r.baseline < height - 20 and r.text.strip()]

    last, moved = {}, {}
    for n in body:
        if n + 1 in starts or not pages[n - 1].strip() or not pages[n].strip():
            continue  # an article's last page (or the page before a blank one)
        following = [r for r in every[n] if 24 - 1 < r.baseline < height - 20 and r.text.strip()]
        (moved if following and following[0].text.strip() in headings else last)[n] = max(text_lines(n))
    assert len(last) > 60
    bottom = max(last.values())
    short = {n: round(bottom - y, 1) for n, y in last.items() if bottom - y > 0.5}
    assert not short, f"{len(short)} of {len(last)} body pages end above the last line (mm short): {short}"
    # a heading moved on costs its page at most its own two lines (a blank one and itself)
    pitch = 10.5 * 1.75 / PT_PER_MM
    assert all(bottom - y < 2 * pitch + 0.5 for y in moved.values()), moved
    assert len(moved) < len(last) / 5, moved


def test_contents_lists_preface_and_afterword_with_their_pages(book, pages):
    text = "".join(page_text(book / "15.pdf", n, layout=True) for n in contents_pages(pages))
    for title, page in ((PREFACE, "i"), (AFTERWORD, None)):
        entry = re.search(rf"^\s*{re.escape(title)}\s*(?:\. )+\.?\s*(\S+)\s*$", text, re.MULTILINE)
        assert entry, f"{title} not in the 目录"
        printed = entry[1]
        start = first_page(pages, title)
        assert printed == (page or folio(book / "15.pdf", start).text)
        assert folio(book / "15.pdf", start) is None or folio(book / "15.pdf", start).text == printed


def test_no_section_stands_alone_at_the_foot_of_a_contents_page(book):
    pdf = book / "16.pdf"
    texts = [page_text(pdf, n, layout=True) for n in range(1, page_count(pdf) + 1)]
    contents = contents_pages(texts)
    assert len(contents) >= 2, "the 目录 runs over more than one page"
    for n in contents:
        entries = [l.strip() for l in texts[n - 1].splitlines() if re.search(r"\. \.", l)]
        last = re.sub(r"[\s.]*\d+$", "", entries[-1])
        assert last not in SECTIONS, f"目录 page {n} ends with the 栏目 {last}"


def test_bookmarks_shown_on_opening_for_every_part(book, pages):
    import pypdf

    reader = pypdf.PdfReader(book / "15.pdf", strict=True)
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"
    marks = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                marks.append((item.title, depth, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    where = {title: page for title, _, page in marks}
    assert where.get("《测试文史》第十五辑") == 1, marks[:3]
    assert where.get("目录") == contents_pages(pages)[0]
    assert where.get(PREFACE) == first_page(pages, PREFACE)
    assert where.get(AFTERWORD) == first_page(pages, AFTERWORD)
    for order, (section, _) in enumerate(LONG, 1):
        assert where.get(article_title(order)) == first_page(pages, article_title(order))
        assert section in where
    assert [depth for title, depth, _ in marks if title in SECTIONS] == [0, 0, 0]
    assert {depth for title, depth, _ in marks if title.startswith("测试文章")} == {1}


def test_the_afterword_is_set_like_the_preface(book, pages):
    every = every_page_runs(book / "15.pdf")

    def title_size(title):
        return next(r.size for r in every[first_page(pages, title) - 1] if r.text.replace(" ", "") == title)

    assert title_size(AFTERWORD) == title_size(PREFACE)
    section = [r.size for r in every[first_page(pages, article_title(5)) - 1] if r.text.replace(" ", "") == SECTIONS[1]]
    assert section and title_size(AFTERWORD) > max(section)


def test_the_colophon_of_an_internal_publication(book, pages):
    colophon = re.sub(r"\s", "", pages[1])
    sheets = (page_count(book / "15.pdf") + 1) // 2 * 2 / 16  # 1/16: one 印张 is 16 pages
    for expected in (
        "书名：《测试文史》第十五辑",
        "编者：",
        f"印刷单位：{COLOPHON['printer']}",
        "开本：787mm×1092mm1/16",
        f"印张：{sheets:g}",
        "字数：150千字",
        "版次：2020年12月第1版",
        "印次：2020年12月第1次印刷",
        f"印数：{COLOPHON['print_run']}册",
        f"准印证号：{COLOPHON['permit']}",
        "内部资料免费交流",
    ):
        assert expected in colophon, (expected, colophon)


def test_check_warns_when_an_internal_publication_lacks_its_permit(book):
    result = zhengxie(book, "check")
    assert result.code == 0, result.output
    assert re.search(
        r"content/wenshi/16/volume.yml:1: 警告: .*内部资料.*准印证号（permit）.*印刷单位（printer）.*印数（print_run）",
        result.stderr,
    ), result.stderr
    assert "content/wenshi/15/" not in result.stderr and result.stderr.count("警告") == 1


def test_a_book_with_an_isbn_needs_no_permit(project):
    volume = project / "content/wenshi/14/volume.yml"
    text = volume.read_text(encoding="utf-8")
    volume.write_text(re.sub(r"^permit: .*\n", "", text, flags=re.MULTILINE) + "isbn: 978-7-000-00000-0\n", encoding="utf-8")
    result = zhengxie(project, "check")
    assert result.code == 0 and "警告" not in result.stderr, result.output
    out = project / "14.pdf"
    assert zhengxie(project, "pdf", "content/wenshi/14/volume.yml", "-o", str(out)).code == 0
    colophon = page_text(out, 2).replace(" ", "")
    assert "ISBN978-7-000-00000-0" in colophon.replace("：", "") and "内部资料" not in colophon


def test_a_malformed_format_is_an_error_naming_its_line(project):
    volume = project / "content/wenshi/14/volume.yml"
    text = volume.read_text(encoding="utf-8") + "format: 16开\n"
    volume.write_text(text, encoding="utf-8")
    result = zhengxie(project, "check")
    assert result.code == 1 and "Traceback" not in result.output
    line = len(text.rstrip("\n").split("\n"))
    assert f"content/wenshi/14/volume.yml:{line}: 错误: 字段“format”应为全张纸尺寸和开数，如 787mm×1092mm 1/16" in result.stderr


def test_the_catalog_update_keeps_what_typst_wrote_and_reads_strictly(tmp_path):
    import pypdf
    import typst

    from generator.print.catalog import show_outline

    original = typst.compile(b"= One\nText.\n#pagebreak()\n= Two\nMore.", format="pdf")
    updated = show_outline(original)
    assert updated.startswith(original) and updated.endswith(b"%%EOF\n")
    for pdf in (updated, show_outline(updated)):  # a second update chains to the first
        (tmp_path / "out.pdf").write_bytes(pdf)
        reader = pypdf.PdfReader(tmp_path / "out.pdf", strict=True)
        assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"
        assert [item.title for item in reader.outline] == ["One", "Two"]
        assert len(reader.pages) == 2 and "More." in page_text(tmp_path / "out.pdf", 2)
    assert show_outline(updated).count(b"/PageMode") == 2  # replaced in the new revision, not added twice
    assert show_outline(b"%PDF-1.7\nnot what Typst writes") == b"%PDF-1.7\nnot what Typst writes"
