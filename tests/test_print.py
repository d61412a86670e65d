"""Print-ready PDFs, inspected as the printer would: geometry, text, fonts, bytes."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import copy_project, tree_digest, zhengxie
from pdfinspect import fonts, glyphs, info, ink_box_mm, lines, page_count, page_size_mm, page_text

A4 = (210.0, 297.0)
TOLERANCE = 1.0  # mm


def test_every_document_has_its_pdf_and_every_page_links_to_it(built_site):
    pdf = built_site / "pdf"
    expected = {
        *(f"briefings/{p.parent.name}/{p.stem}.pdf" for p in (built_site.parent / "content").glob("briefings/*/*.md")),
        "wenshi/14.pdf", "rules/kaoping.pdf", "plans/2019.pdf", "reports/2018.pdf",
    }
    assert {p.relative_to(pdf).as_posix() for p in pdf.rglob("*.pdf")} == expected
    page = (built_site / "briefings/2018/04/index.html").read_text(encoding="utf-8")
    assert re.search(r'<a class="zx-pdf" href="\.\./\.\./\.\./pdf/briefings/2018/04\.pdf" download(="")?>下载打印版</a>', page)
    article = (built_site / "wenshi/14/02-laozhaopian-zhengli/index.html").read_text(encoding="utf-8")
    assert 'href="../../../pdf/wenshi/14.pdf"' in article
    for url, target in (("rules/kaoping", "rules/kaoping.pdf"), ("plans/2019", "plans/2019.pdf"), ("reports/2018", "reports/2018.pdf")):
        assert f'href="../../pdf/{target}"' in (built_site / url / "index.html").read_text(encoding="utf-8")


def test_briefing_first_page_geometry(built_site):
    pdf = built_site / "pdf/briefings/2018/02.pdf"
    width, height = page_size_mm(pdf)
    assert abs(width - A4[0]) < 0.5 and abs(height - A4[1]) < 0.5
    found = lines(pdf, 1)
    body = [l for l in found if l.y1 < 37 + 225]
    # text block: 28 mm from the binding edge, 37 mm from the top, 156 mm wide
    assert abs(min(l.x0 for l in body) - 28.0) < TOLERANCE
    assert abs(min(l.y0 for l in body) - 37.0) < TOLERANCE
    full_lines = [l for l in body if re.search(r"[\u4e00-\u9fff]$", l.text) and l.x1 - l.x0 > 150]
    assert full_lines, "justified lines that end in a character"
    for line in full_lines:
        assert abs(line.x1 - 184.0) < TOLERANCE, line
    # nothing printed (punctuation included) outside the text block's sides
    left, top, right, bottom = ink_box_mm(pdf, 1)
    assert left > 28.0 - TOLERANCE and right < 184.0 + TOLERANCE


def test_page_numbers_alternate_sides(built_site):
    pdf = built_site / "pdf/briefings/2018/04.pdf"
    assert page_count(pdf) >= 2
    first = [l for l in lines(pdf, 1) if l.text == "—1—"]
    second = [l for l in lines(pdf, 2) if l.text == "—2—"]
    assert first and second
    assert re.search(r"—\s*1\s*—\s*$", page_text(pdf, 1, layout=True).strip())
    assert first[0].x1 > 170 and first[0].y0 > 37 + 225  # odd page: right, below the text block
    assert second[0].x0 < 40  # even page: left


def test_masthead_and_footer_block(built_site):
    pdf = built_site / "pdf/briefings/2018/04.pdf"
    first = page_text(pdf, 1)
    assert "政协工作简报" in first
    assert "第4期（专刊）" in first.replace(" ", "") and "总第104期" in first.replace(" ", "")
    assert "政协昆都仑区委员会办公室" in first and "2018年12月20日" in first.replace(" ", "")
    last_page = page_count(pdf)
    for page in range(1, last_page):
        text = page_text(pdf, page)
        assert "报：" not in text and "共印" not in text
    last = page_text(pdf, last_page).replace(" ", "")
    assert "报：市政协办公室，区委办公室" in last  # from site.yml
    assert "送：区人大常委会办公室，区政府办公室" in last
    assert "发：全体区政协委员，区直有关部门" in last  # this issue's own 发 line
    assert "共印150份" in last


def test_pdf_metadata_and_embedded_fonts(built_site):
    pdfs = list((built_site / "pdf").rglob("*.pdf"))
    assert len(pdfs) >= 5
    for pdf in pdfs:
        used = fonts(pdf)
        assert used and all(embedded for _, embedded in used), (pdf, used)
    meta = info(built_site / "pdf/briefings/2018/04.pdf")
    assert meta["Title"] == "《政协工作简报》2018年第4期"
    assert meta["Author"] == "政协昆都仑区委员会办公室"
    assert "2018" in meta["CreationDate"]  # the issue's date, never the clock (nor left to the renderer)


def test_volume_contents_match_the_pages_where_articles_start(built_site):
    pdf = built_site / "pdf/wenshi/14.pdf"
    width, height = page_size_mm(pdf)
    assert abs(width - 185) < 0.5 and abs(height - 260) < 0.5
    pages = {n: page_text(pdf, n, layout=True) for n in range(1, page_count(pdf) + 1)}
    contents_page = next(n for n, text in pages.items() if re.search(r"目\s*录", text) and "城区变迁" in text)
    entries = re.findall(r"^\s*(\S.*?)\s*(?:\. )+\.?\s*(\d+)\s*$", pages[contents_page], re.MULTILINE)
    titles = [p.stem for p in (built_site.parent / "content/wenshi/14").glob("[0-9][0-9]-*.md")]
    assert len([t for t, _ in entries if "（示例）" in t]) >= len(titles)

    def printed_number(text: str) -> str | None:
        tail = [l.strip() for l in text.strip().splitlines() if l.strip()]
        return tail[-1] if tail and tail[-1].isdigit() else None

    by_number = {printed_number(text): n for n, text in pages.items() if n > contents_page}
    for title, number in entries:
        assert number in by_number, (title, number)
        start = by_number[number]
        assert title in pages[start], (title, number)
        if str(int(number) - 1) in by_number:  # it starts here, not on the page before
            assert title not in pages[by_number[str(int(number) - 1)]], title


def test_volume_book_parts(built_site):
    pdf = built_site / "pdf/wenshi/14.pdf"
    texts = [page_text(pdf, n) for n in range(1, page_count(pdf) + 1)]
    assert "昆都仑文史" in texts[0] and "第十四辑" in texts[0]
    colophon = texts[1].replace(" ", "")
    # 开本 in the trade form (the full sheet and its 开数), not the trim size
    assert "开本：787mm×1092mm1/16" in colophon and "字数：" in colophon
    assert any("编委会" in t for t in texts[:4])
    assert any("口述" in t and "整理" in t for t in texts)
    outline = info(pdf)
    assert outline["Title"] == "《昆都仑文史》第十四辑"


def test_rule_pdf(built_site):
    pdf = built_site / "pdf/rules/kaoping.pdf"
    text = page_text(pdf, 1).replace(" ", "")
    assert "（2018年4月20日" in text and "通过）" in text
    assert "第一章总则" in text and "第一条" in text
    bold = [name for name, _ in fonts(pdf) if "Bold" in name]
    assert bold, "the 条 labels are set in bold"


def test_plan_pdf_has_the_consultation_table(built_site):
    pdf = built_site / "pdf/plans/2019.pdf"
    text = page_text(pdf, page_count(pdf)).replace(" ", "")  # attached at the end (附件)
    assert "协商计划" in text and "协商议题" in text and "专题协商" in text


@pytest.fixture(scope="module")
def special(tmp_path_factory) -> Path:
    """A project copy with documents that exercise the print checks, built once."""
    root = copy_project(tmp_path_factory.mktemp("print") / "project")
    paragraph = "区政协围绕全区中心工作组织委员开展调研视察，形成了一批有分量的意见建议，为推动经济社会发展贡献力量。" * 4
    (root / "content/briefings/2019/04.md").write_text(
        "---\nnumber: 4\ndate: 2019-09-01\n---\n\n## 长文测试\n\n" + "\n\n".join([paragraph] * 12) + "\n",
        encoding="utf-8",
    )
    (root / "content/briefings/2019/05.md").write_text(
        "---\nnumber: 5\ndate: 2019-10-01\n---\n\n## 特殊字符\n\n"
        '正文里有 #read("/etc/passwd") 和 $x^2$、@label、<strong>、\\ 反斜杠、#set page(width: 1cm)。\n\n'
        "生僻字𪚥出现在这一行。\n\n![太小的照片](05/small.png)\n",
        encoding="utf-8",
    )
    from PIL import Image

    (root / "content/briefings/2019/05").mkdir()
    Image.new("RGB", (300, 200), "white").save(root / "content/briefings/2019/05/small.png")
    result = zhengxie(root, "build")
    assert result.code == 0, result.output
    root.joinpath("build.log").write_text(result.output, encoding="utf-8")
    return root


def test_a_full_page_holds_22_lines(special):
    pdf = special / "site/pdf/briefings/2019/04.pdf"
    assert page_count(pdf) >= 3
    body = [l for l in lines(pdf, 2) if 36 < l.y0 < 37 + 225]
    assert len(body) == 22, [l.text[:8] for l in body]
    pitch = (body[-1].y0 - body[0].y0) / 21
    assert abs(pitch - 225 / 22) < 0.05


def test_content_is_text_never_typst_code(special):
    text = page_text(special / "site/pdf/briefings/2019/05.pdf", 1)
    flat = text.replace("\n", "")
    assert '#read("/etc/passwd")' in flat
    assert "$x^2$" in flat and "@label" in flat and "#set page(width: 1cm)" in flat
    assert "root:" not in text
    assert abs(page_size_mm(special / "site/pdf/briefings/2019/05.pdf")[0] - 210) < 0.5


def test_uncovered_character_and_low_resolution_image_are_warned(special):
    log = (special / "build.log").read_text(encoding="utf-8")
    source = special / "content/briefings/2019/05.md"
    line = next(i for i, l in enumerate(source.read_text(encoding="utf-8").split("\n"), 1) if "𪚥" in l)
    assert f"content/briefings/2019/05.md:{line}: 警告: 字符“𪚥”（U+2A6A5）不在任何印刷字体中" in log
    image_line = next(i for i, l in enumerate(source.read_text(encoding="utf-8").split("\n"), 1) if "small.png" in l)
    dpi = 300 / (156 / 25.4)
    assert f"content/briefings/2019/05.md:{image_line}: 警告: 图片“small.png”印刷时只有 {dpi:.0f} dpi" in log


def test_second_build_comes_from_the_cache_and_one_edit_renders_one_pdf(special):
    second = zhengxie(special, "build")
    assert second.code == 0
    count = len(list((special / "site/pdf").rglob("*.pdf")))
    assert f"PDF {count} 个（{count} 个内容未变，取自缓存）" in second.stdout
    issue = special / "content/briefings/2019/04.md"
    issue.write_text(issue.read_text(encoding="utf-8").replace("## 长文测试", "## 长文测试（改）"), encoding="utf-8")
    third = zhengxie(special, "build")
    assert f"PDF {count} 个（{count - 1} 个内容未变，取自缓存）" in third.stdout


def test_pdfs_taken_from_a_private_cache_are_published_readable(project):
    # Cache entries an older version wrote were private (0600); the PDFs hard-linked from
    # them into site/ must still be readable by a web server running as another user.
    assert zhengxie(project, "build").code == 0
    for cached in (project / ".cache/pdf").rglob("*"):
        if cached.is_file():
            cached.chmod(0o600)
    shutil.rmtree(project / "site")
    again = zhengxie(project, "build")
    assert again.code == 0, again.output
    pdfs = list((project / "site/pdf").rglob("*.pdf"))
    assert pdfs and "取自缓存" in again.stdout
    for pdf in pdfs:
        assert pdf.stat().st_mode & 0o044 == 0o044, f"{pdf}: {oct(pdf.stat().st_mode)}"


def test_rendering_is_deterministic(tmp_path, built_site):
    root = built_site.parent
    outputs = []
    for attempt in range(2):
        shutil.rmtree(root / ".cache", ignore_errors=True)
        out = tmp_path / f"{attempt}.pdf"
        result = zhengxie(root, "pdf", "content/briefings/2018/04.md", "-o", str(out))
        assert result.code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0] == (built_site / "pdf/briefings/2018/04.pdf").read_bytes()


def test_pdf_command_never_writes_into_site_or_content(project, tmp_path):
    before = tree_digest(project / "content")
    refused = zhengxie(project, "pdf", "content/rules/kaoping.md", "-o", str(project / "site/kaoping.pdf"))
    assert refused.code == 1 and "不能写入" in refused.stderr
    assert not (project / "site").exists()
    made = zhengxie(project, "pdf", "content/rules/kaoping.md")
    assert made.code == 0, made.output
    assert (project / "kaoping.pdf").is_file()
    assert tree_digest(project / "content") == before
    unknown = zhengxie(project, "pdf", "content/site.yml")
    assert unknown.code == 1 and "不对应任何可打印的文档" in unknown.stderr


def test_build_without_pdfs(project):
    result = zhengxie(project, "build", "--no-pdf")
    assert result.code == 0, result.output
    assert not (project / "site/pdf").exists()
    assert "下载打印版" not in (project / "site/briefings/2018/04/index.html").read_text(encoding="utf-8")


def test_a_configured_font_that_is_missing_is_an_error(project):
    site = project / "content/site.yml"
    site.write_text(site.read_text(encoding="utf-8") + "print:\n  fonts:\n    title: 方正小标宋简体\n", encoding="utf-8")
    line = len(site.read_text(encoding="utf-8").rstrip("\n").split("\n"))
    result = zhengxie(project, "build")
    assert result.code == 1
    assert f"content/site.yml:{line}: 错误: 找不到印刷用标题字体 “方正小标宋简体”" in result.stderr
    assert not (project / "site").exists()


def test_fonts_dropped_into_content_fonts_are_used(project):
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from generator.print.fonts import _catalogue

    kai = _catalogue(())["LXGW WenKai"][0][0]
    font = TTFont(kai)
    options = subset.Options()
    subsetter = subset.Subsetter(options)
    text = (project / "content/briefings/2018/04.md").read_text(encoding="utf-8") + "编者按：（）"
    subsetter.populate(text=text)
    subsetter.subset(font)
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = "Committee Kai"
        if record.nameID == 6:
            record.string = "CommitteeKai"
    (project / "content/fonts").mkdir()
    font.save(project / "content/fonts/committee-kai.ttf")
    site = project / "content/site.yml"
    site.write_text(site.read_text(encoding="utf-8") + "print:\n  fonts:\n    kai: Committee Kai\n", encoding="utf-8")
    out = project / "out.pdf"
    result = zhengxie(project, "pdf", "content/briefings/2018/04.md", "-o", str(out))
    assert result.code == 0, result.output
    assert any("CommitteeKai" in name for name, _ in fonts(out))


def test_licensed_fonts_named_as_word_lists_them_are_used_from_content_fonts(project):
    """docs/guide.md's lines for 方正仿宋_GBK and 方正小标宋简体: a font is found by the Chinese
    family name it carries too (Typst knows it by its English one).  Free fonts stand in,
    renamed as those fonts name themselves."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from generator.print.fonts import _catalogue

    file, index = _catalogue(())["Noto Serif CJK SC"][0]
    text = "".join(p.read_text(encoding="utf-8") for p in (project / "content").glob("**/*.*") if p.suffix in (".md", ".yml"))
    (project / "content/fonts").mkdir()
    for english, chinese, postscript, name in (
        ("FZFangSong-Z02S", "方正仿宋_GBK", "FZFSK--GBK1-0", "FZFSK.TTF"),
        ("FZXiaoBiaoSong-B05S", "方正小标宋简体", "FZXBSJW--GB1-0", "FZXBSJW.TTF"),
    ):
        font = TTFont(file, fontNumber=index)
        subsetter = subset.Subsetter(subset.Options())
        subsetter.populate(text=text + "0123456789—：，。（）")
        subsetter.subset(font)
        table = font["name"]
        table.names = [r for r in table.names if r.nameID not in (1, 3, 4, 6, 16, 17)]
        for name_id, value in ((1, english), (4, english), (6, postscript), (3, postscript)):
            table.setName(value, name_id, 3, 1, 0x409)
        table.setName(chinese, 1, 3, 1, 0x804)
        table.setName(chinese, 4, 3, 1, 0x804)
        font.save(project / "content/fonts" / name)
    site = project / "content/site.yml"
    site.write_text(
        site.read_text(encoding="utf-8") + "print:\n  fonts:\n    title: 方正小标宋简体\n    body: 方正仿宋_GBK\n", encoding="utf-8"
    )
    out = project / "out.pdf"
    result = zhengxie(project, "pdf", "content/briefings/2018/04.md", "-o", str(out))
    assert result.code == 0, result.output
    used = [name.split("+")[-1] for name, _ in fonts(out)]  # after the subset tag
    for postscript in ("FZFSK--GBK1-0", "FZXBSJW--GB1-0"):
        assert any(name.startswith(postscript) for name in used), used
    # GB/T 9704 页码: 宋体 digits (the folio font), not the 仿宋 body
    folio = [g for g in glyphs(out, 1) if g.char.isdigit() and abs(g.size - 14) < 0.01 and g.y > 262]
    assert folio and all("NotoSerifCJK" in g.font for g in folio), [(g.char, g.font) for g in folio]


def test_archival_volume(project):
    site = project / "content/site.yml"
    site.write_text(site.read_text(encoding="utf-8") + "print:\n  pdf_standard: a-2b\n", encoding="utf-8")
    out = project / "volume.pdf"
    result = zhengxie(project, "pdf", "content/wenshi/14/volume.yml", "-o", str(out))
    assert result.code == 0, result.output
    data = out.read_bytes()
    # PDF/A-2b as site.yml asks: part 2, conformance B (in the XMP, as an element or an attribute)
    assert re.search(rb'pdfaid:part(?:>|=")2\b', data) and re.search(rb'pdfaid:conformance(?:>|=")B\b', data)


def test_volume_bookmarks_every_article_at_its_first_page(built_site):
    import pypdf

    reader = pypdf.PdfReader(built_site / "pdf/wenshi/14.pdf")
    marks = {}

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                marks[item.title] = reader.get_destination_page_number(item)

    walk(reader.outline)
    content = built_site.parent / "content/wenshi/14"
    titles = [re.search(r"^title: (.+)$", p.read_text(encoding="utf-8"), re.MULTILINE)[1] for p in sorted(content.glob("[0-9][0-9]-*.md"))]
    assert titles and set(titles) <= set(marks)
    for title in titles:
        page = marks[title]
        assert title in reader.pages[page].extract_text()
        # the viewer's page label is the number printed on the page
        assert reader.page_labels[page] == page_text(built_site / "pdf/wenshi/14.pdf", page + 1).split()[-1]


def test_heavy_jobs_rendered_one_per_process_give_the_same_pdfs(project, tmp_path, monkeypatch):
    """Volumes (jobs of HEAVY_BYTES or more) are rendered each by a fresh process: same bytes."""
    from generator import project as loading
    from generator.print import build as printing
    from generator.print import fonts as print_fonts
    from generator.print import render

    corpus, _ = loading.check_project(project, keep_files=True)
    jobs, families, found = printing.prepare(project, corpus.published())
    assert jobs and not any(d.level == "error" for d in found)
    paths, files = print_fonts.font_paths(project), print_fonts.files_of(project, families)
    usual = render.render_all(jobs, tmp_path / "usual", tmp_path / "cache-usual", paths, files)
    monkeypatch.setattr(render, "HEAVY_BYTES", 1)  # every job is heavy
    heavy = render.render_all(jobs, tmp_path / "heavy", tmp_path / "cache-heavy", paths, files, workers=2)
    assert not any(r.problem for r in usual + heavy) and not any(r.cached for r in heavy)
    assert tree_digest(tmp_path / "heavy") == tree_digest(tmp_path / "usual")
    assert len(tree_digest(tmp_path / "heavy")) == len(jobs)


def test_typst_warnings_are_reported_and_kept_with_the_cached_pdf(tmp_path):
    """A warning Typst gives (here an unknown font; in a real document, say, a layout that did
    not settle) reaches the editor as a warning, on the first build and on a cache hit."""
    from generator.print.build import rendering_diagnostics
    from generator.print.documents import PrintJob
    from generator.print.render import render_all

    template = tmp_path / "warns.typ"
    template.write_text('#set text(font: "No Such Font Anywhere")\n文字\n', encoding="utf-8")
    job = PrintJob("notices/a.pdf", template, {}, ["content/notices/a.md"])
    cache = tmp_path / "cache"
    for cached in (False, True):
        out = tmp_path / f"out-{cached}"  # each build renders into a fresh staging folder
        [rendered] = render_all([job], out, cache, [], [])
        assert rendered.cached is cached and rendered.problem is None
        assert (out / "notices/a.pdf").read_bytes().startswith(b"%PDF")
        [diagnostic] = rendering_diagnostics([rendered])
        assert diagnostic.level == "warning" and diagnostic.path == "content/notices/a.md"
        assert "no such font anywhere" in diagnostic.message and "排版程序提示" in diagnostic.message
