"""Print layout read back from the PDFs of a generated corpus (bench/make_corpus.py: 60
briefings of one to four pages, two plans), built once: the 报尾, the 报头, page numbers,
the plan's attached table, file modes."""
from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest

from conftest import REPO, copy_project, zhengxie
from pdfinspect import lines, page_count, page_text, runs, strokes_mm

TOP, BOTTOM = 37.0, 262.0  # the text block, mm from the page's top
WIDTH = 156.0
LABEL = re.compile(r"^(报|送|发)：")
# 报/送/发 lines long enough to wrap; names made up here, not the sample committee's
DISTRIBUTION = {
    "报": ["甲市政协办公室", "甲市政协研究室"],
    "送": ["乙区人民代表大会常务委员会办公室", "乙区人民政府办公室", "乙区监察委员会", "乙区人民法院",
           "乙区人民检察院", "各民主党派乙区委员会", "乙区工商业联合会"],
    "发": ["全体乙区政协委员", "各专门委员会", "各街道办事处"],
}
MARKING = "内部资料　注意保存"


def left_edge(page: int) -> float:
    """The text block's left edge: the binding is on the left of odd pages."""
    return 28.0 if page % 2 else 26.0


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    sys.path.insert(0, str(REPO / "bench"))
    import make_corpus

    root = tmp_path_factory.mktemp("corpus") / "project"
    make_corpus.make(root, 100)
    shutil.rmtree(root / "content/wenshi")  # volumes are not measured here
    site = root / "content/site.yml"
    listed = "".join(f"    {label}: [{', '.join(names)}]\n" for label, names in DISTRIBUTION.items())
    text = re.sub(r"  distribution:\n(?:    .*\n)+", f"  distribution:\n{listed}", site.read_text(encoding="utf-8"))
    site.write_text(text.replace("briefing:\n", f"briefing:\n  internal_mark: {MARKING}\n"), encoding="utf-8")
    internal = root / "content/briefings/1950/05.md"
    internal.write_text(internal.read_text(encoding="utf-8").replace("number: 5\n", "number: 5\ninternal: true\n"), encoding="utf-8")
    plan = root / "content/plans/1950.md"
    plan.write_text(plan.read_text(encoding="utf-8").replace("when: 1950-05", "when: 1950-05-20"), encoding="utf-8")
    mask = os.umask(0o022)  # as a user's shell has it: what the published files get follows from it
    try:
        result = zhengxie(root, "build")
    finally:
        os.umask(mask)
    assert result.code == 0, result.output
    return root


@pytest.fixture(scope="module")
def issues(corpus) -> dict[Path, list[list]]:
    """Each briefing PDF -> its pages' text lines (font boxes, mm)."""
    found = {}
    for pdf in sorted((corpus / "site/pdf/briefings").rglob("*.pdf")):
        found[pdf] = [lines(pdf, n) for n in range(1, page_count(pdf) + 1)]
    assert len(found) == 60
    return found


def footer_lines(page: list) -> list:
    """The 版记's lines on a page: from its first 报/送/发 line down."""
    starts = [l.y0 for l in page if LABEL.match(l.text) and TOP < l.y0 < BOTTOM]
    return [l for l in page if starts and min(starts) - 0.5 < l.y0 < BOTTOM]


def body_lines(page: list) -> list:
    starts = [l.y0 for l in footer_lines(page)]
    return [l for l in page if TOP - 0.5 < l.y0 < BOTTOM and (not starts or l.y0 < min(starts) - 0.5)]


def page_number(page: list) -> list:
    return [l for l in page if l.y0 > BOTTOM and re.fullmatch(r"—\d+—", l.text)]


def test_an_issue_of_several_pages_ends_on_an_even_page_with_the_footer_block_at_its_foot(issues):
    for pdf, pages in issues.items():
        assert len(pages) == 1 or len(pages) % 2 == 0, (pdf, len(pages))
        assert [n for n, page in enumerate(pages, 1) if footer_lines(page)] == [len(pages)], pdf
        copies = [l for l in pages[-1] if "共印" in l.text]
        assert copies and BOTTOM - 10 < copies[0].y1 < BOTTOM, (pdf, copies)


def test_the_footer_block_stands_alone_only_on_the_even_back_page(issues):
    alone = blank = 0
    for pdf, pages in issues.items():
        for n, page in enumerate(pages, 1):
            if footer_lines(page) and not body_lines(page):
                alone += 1
                assert n == len(pages) and n % 2 == 0, (pdf, n)
            elif not body_lines(page):
                # GB/T 9704: a blank page before the 版记 page; neither carries a page number
                blank += 1
                assert n == len(pages) - 1 and not body_lines(pages[-1]), (pdf, n)
                assert not page_number(page) and not page_number(pages[-1]), pdf
            else:
                assert page_number(page), (pdf, n)
    assert alone, "the corpus has issues whose 版记 takes the back page"


def test_a_wrapped_distribution_line_goes_on_under_the_first_name_and_no_name_is_split(issues):
    wrapped = 0
    for pdf, pages in list(issues.items())[:12]:
        found = runs(pdf, len(pages))
        for label, names in DISTRIBUTION.items():
            start = next((i for i, r in enumerate(found) if r.text == f"{label}："), None)
            assert start is not None, f"{pdf}: “{label}：” set apart from its names, which stand in a column after it"
            # each name whole in one piece, then its comma, the last one's 句号
            pieces = found[start + 1 : start + 1 + 2 * len(names)]
            marks = ["，"] * (len(names) - 1) + ["。"]
            assert [r.text for r in pieces] == [t for pair in zip(names, marks) for t in pair], (pdf, label)
            first = pieces[0]
            assert abs(first.baseline - found[start].baseline) < 0.1 and first.x - found[start].x > 9.8  # a full-width colon
            rows: dict[float, list] = {}
            for run in pieces:
                rows.setdefault(round(run.baseline, 1), []).append(run)
            for row in list(rows.values())[1:]:  # a name, never a comma, under the first name
                wrapped += 1
                assert row[0].text in names and abs(row[0].x - first.x) < 0.2, (pdf, label, row[0], first)
    assert wrapped, "a 送 line long enough to wrap"


def test_an_internal_issue_prints_the_marking_above_the_red_rule(corpus, issues):
    for pdf, pages in issues.items():
        marked = [l for l in pages[0] if l.text == MARKING.replace("　", "")]
        if pdf.relative_to(corpus / "site/pdf").as_posix() != "briefings/1950/05.pdf":
            assert not marked and MARKING[:4] not in page_text(pdf, 1), pdf
            continue
        rule = strokes_mm(pdf, 1, TOP, 120, 100, red=True)
        assert marked and rule and marked[0].y1 < rule[0].top, (marked, rule)
        assert abs(marked[0].x0 - left_edge(1)) < 0.5
    assert MARKING in (corpus / "site/briefings/1950/05/index.html").read_text(encoding="utf-8")


def test_the_red_rule_lies_4_mm_below_the_office_and_date_line(issues):
    for pdf, pages in list(issues.items())[:6]:
        date = next(l for l in pages[0] if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", l.text))
        rule = strokes_mm(pdf, 1, TOP, 120, 100, red=True)
        assert len(rule) == 1 and rule[0].x1 - rule[0].x0 > WIDTH - 1
        # from the line's bottom (the font's descender, as the font box reports it) to the rule's top edge
        assert abs(rule[0].top - date.y1 - 4.0) < 0.3, (pdf, rule[0].top - date.y1)


def test_the_page_number_dash_lies_7_mm_below_the_text_block(issues):
    checked = 0
    for pdf, pages in list(issues.items())[:6]:
        for n, page in enumerate(pages, 1):
            if not page_number(page):
                continue
            # below the 版记's last rule (on the block's edge); digits make no run 3 mm long
            dashes = strokes_mm(pdf, n, BOTTOM + 1, BOTTOM + 15, 3.0)
            assert len(dashes) == 1, (pdf, n, dashes)
            # from the text block's bottom edge to the dash's top edge
            assert abs(dashes[0].top - BOTTOM - 7.0) < 0.3, (pdf, n, dashes[0].top - BOTTOM)
            checked += 1
    assert checked > 6


def test_the_plan_ends_with_its_consultations_as_an_attached_table(corpus):
    pdf = corpus / "site/pdf/plans/1950.pdf"
    pages = [lines(pdf, n) for n in range(1, page_count(pdf) + 1)]
    texts = [page_text(pdf, n).replace(" ", "") for n in range(1, len(pages) + 1)]
    noted = next(n for n, text in enumerate(texts, 1) if "附件：1950年协商计划" in text)
    first = next(n for n, page in enumerate(pages, 1) if any(l.text == "附件" for l in page))
    assert first == noted + 1 == len(pages)
    label = next(l for l in pages[-1] if l.text == "附件")
    title = next(l for l in pages[-1] if l.text == "1950年协商计划")
    assert abs(label.y0 - TOP) < 0.5 and abs(label.x0 - left_edge(first)) < 0.5
    assert label.y1 < title.y0 and abs((title.x0 + title.x1) / 2 - (left_edge(first) + WIDTH / 2)) < 0.5
    head = next(l for l in pages[-1] if l.text == "序号")
    numbers = [l for l in pages[-1] if re.fullmatch(r"[1-4]", l.text)]
    assert len(numbers) == 4
    for number in numbers:  # 序号 centred in its column
        assert abs((number.x0 + number.x1) / 2 - (head.x0 + head.x1) / 2) < 0.3, number
    assert "1950年5月20日" in texts[-1].replace("\n", "") and "1950年3月" in texts[-1]
    for text in texts:  # the plan says 1950-03; paper never does
        assert not re.search(r"\d{4}-\d{1,2}", text), text


def test_published_pdfs_and_their_folders_are_readable_by_everyone(corpus):
    site = corpus / "site"
    assert (site / "index.html").stat().st_mode & 0o777 == 0o644
    found = list((site / "pdf").rglob("*"))
    assert any(p.suffix == ".pdf" for p in found)
    for path in [site / "pdf", *found]:
        mode = path.stat().st_mode & 0o777
        assert mode == (0o755 if path.is_dir() else 0o644), f"{path}: {oct(mode)}"


@pytest.fixture(scope="module")
def footnoted(tmp_path_factory) -> Path:
    """Forty issues of growing length, each ending with a footnote: on some the body leaves
    room for the 版记 only if the footnote's place at the page's foot is not counted."""
    root = copy_project(tmp_path_factory.mktemp("footnoted") / "project")
    folder = root / "content/briefings/2030"
    folder.mkdir()
    sentence = "区政协组织委员深入基层开展调研视察，围绕群众关心的热点难点问题提出意见建议。"
    note = "注释：这是一个较长的脚注，用来说明资料的来源和统计口径，以及有关数据的截止时间。"
    for n in range(1, 41):
        body = "\n\n".join([sentence * 3] * (n // 2 + 1)) + "\n\n" + sentence[: n * 7 % len(sentence)]
        (folder / f"{n:02d}.md").write_text(
            f"---\nnumber: {n}\ndate: 2030-01-{n % 28 + 1:02d}\n---\n\n## 调研视察\n\n{body}最后一段[^1]。\n\n[^1]: {note}\n",
            encoding="utf-8",
        )
    result = zhengxie(root, "build")
    assert result.code == 0, result.output
    return root / "site/pdf/briefings/2030"


def test_footnotes_at_the_foot_of_the_last_page_leave_the_footer_block_on_an_even_page(footnoted):
    pdfs = sorted(footnoted.glob("*.pdf"))
    assert len(pdfs) == 40
    for pdf in pdfs:
        pages = [lines(pdf, n) for n in range(1, page_count(pdf) + 1)]
        assert len(pages) == 1 or len(pages) % 2 == 0, (pdf.name, len(pages))
        assert [n for n, page in enumerate(pages, 1) if footer_lines(page)] == [len(pages)], pdf.name
