"""`zhengxie import`: Word documents, as the office writes them, become draft content files."""
from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile
from pathlib import Path

import pytest
from conftest import tree_digest, zhengxie
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from PIL import Image

from generator.markdown import render

# --- building .docx files the way Word stores them ----------------------------------------


def _png() -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (60, 30), (180, 30, 30)).save(data, "PNG")
    data.seek(0)
    return data


class Word:
    """A python-docx document plus what python-docx cannot write itself: footnotes, hyperlinks."""

    def __init__(self):
        self.doc = Document()
        self.notes: list[str] = []
        self.notes_part = None

    def __getattr__(self, name):
        return getattr(self.doc, name)

    def footnote(self, paragraph, text: str) -> None:
        if self.notes_part is None:
            self.notes_part = Part(
                PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                b"",
                self.doc.part.package,
            )
            self.doc.part.relate_to(self.notes_part, RT.FOOTNOTES)
        self.notes.append(text)
        number = len(self.notes)
        notes = "".join(
            f'<w:footnote w:id="{n}"><w:p><w:r><w:t xml:space="preserve">{t}</w:t></w:r></w:p></w:footnote>'
            for n, t in enumerate(self.notes, start=1)
        )
        self.notes_part._blob = f'<w:footnotes {nsdecls("w")}>{notes}</w:footnotes>'.encode()
        paragraph._p.append(
            parse_xml(
                f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                f'<w:footnoteReference w:id="{number}"/></w:r>'
            )
        )

    def link(self, paragraph, text: str, url: str) -> None:
        rid = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
        paragraph._p.append(
            parse_xml(f'<w:hyperlink {nsdecls("w", "r")} r:id="{rid}"><w:r><w:t>{text}</w:t></w:r></w:hyperlink>')
        )

    def table(self, rows: list[tuple[str, ...]]) -> None:
        table = self.doc.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value

    def save(self, path: Path) -> Path:
        self.doc.save(path)
        return path


def briefing_docx(path: Path) -> Path:
    """A briefing as typed in Word: masthead, two articles, every construct the importer handles."""
    w = Word()
    w.add_paragraph("政协工作简报", style="Title")
    w.add_paragraph("政协昆都仑区委员会办公室　　2019年3月15日")
    w.add_heading("区政协召开常委会议", level=1)
    p = w.add_paragraph("会议强调,要")
    p.add_run("加强学习").bold = True
    p.add_run(",提高")
    p.add_run("履职能力").italic = True
    p.add_run("。")
    w.footnote(p, "见区政协2019年工作要点。")
    w.add_heading("一、主要内容", level=2)
    w.add_paragraph("听取专题报告", style="List Number")
    w.add_paragraph("审议有关事项", style="List Number")
    w.add_paragraph("委员代表发言", style="List Bullet")
    w.add_paragraph("常委会审议", style="List Bullet")
    w.table([("单位", "人数"), ("常委", "35"), ("列席人员", "12")])
    p = w.add_paragraph("会议材料见")
    w.link(p, "区政协网站", "https://example.org/huiyi")
    w.add_picture(_png())
    w.add_paragraph("常委会议现场", style="Caption")
    w.add_heading("区政协视察老旧小区", level=1)
    w.add_paragraph("视察中,委员们围绕物业服务提出了意见建议。")
    return w.save(path)


def wenshi_docx(path: Path) -> Path:
    w = Word()
    w.add_paragraph("老街的变迁", style="Title")
    w.add_paragraph("口述：张三　整理：李四")
    w.add_paragraph("我家在老街住了三代人,见证了它的变化。")
    w.add_heading("一、街巷", level=1)
    w.add_paragraph("街巷里有不少老字号。")
    w.add_picture(_png())
    w.add_paragraph("老街旧影", style="Caption")
    w.add_heading("二、变迁", level=1)
    w.add_paragraph("如今变化很大。")
    return w.save(path)


def split(path: Path) -> tuple[str, str]:
    """(front matter, body) of a content file."""
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return front, body


def field(front: str, name: str) -> str | None:
    match = re.search(rf"^{name}: (.*?)(?:  #.*)?$", front, re.MULTILINE)
    return match[1] if match else None


# --- briefings ----------------------------------------------------------------------------


def test_briefing_from_word_is_the_next_issue_and_passes_check(project):
    source = briefing_docx(project / "简报.docx")
    result = zhengxie(project, "import", "简报.docx", "briefing")
    assert result.code == 0, result.output
    assert "已新建 content/briefings/2019/04.md" in result.stdout
    assert "已新建 content/briefings/2019/04/04-1.png" in result.stdout
    assert "请核对" in result.stdout and "标签" in result.stdout and "draft: true" in result.stdout
    assert "2019年3月15日" in result.stdout  # says where the date came from

    created = project / "content/briefings/2019/04.md"
    front, body = split(created)
    assert field(front, "number") == "4"
    assert field(front, "date") == "2019-03-15"
    previous = field(split(project / "content/briefings/2019/03.md")[0], "total")
    assert field(front, "total") == str(int(previous) + 1)
    assert field(front, "draft") == "true"
    assert "# 由 Word 文档“简报.docx”导入" in front  # the commented template, as `new` writes it

    # the masthead is not text of any article
    assert "政协工作简报" not in body and "2019年3月15日" not in body
    assert re.search(r"^## 区政协召开常委会议$", body, re.MULTILINE)
    assert re.search(r"^## 区政协视察老旧小区$", body, re.MULTILINE)
    assert re.search(r"^### 一、主要内容$", body, re.MULTILINE)
    assert "**加强学习**" in body and "*履职能力*" in body
    assert re.search(r"^1\. 听取专题报告\n2\. 审议有关事项$", body, re.MULTILINE)
    assert re.search(r"^- 委员代表发言\n- 常委会审议$", body, re.MULTILINE)
    assert "| 单位 | 人数 |\n|---|---|\n| 常委 | 35 |\n| 列席人员 | 12 |" in body
    assert "[区政协网站](https://example.org/huiyi)" in body
    assert re.search(r"履职能力\*。\[\^1\]", body)
    assert re.search(r"^\[\^1\]: 见区政协2019年工作要点。$", body, re.MULTILINE)
    assert "![常委会议现场](04/04-1.png)" in body  # Word's caption is the figure's caption
    image = project / "content/briefings/2019/04/04-1.png"
    with Image.open(image) as picture:
        assert picture.size == (60, 30)

    # half-width commas typed in Word come out full-width (generator.typography.fix_markdown)
    assert "视察中，委员们" in body and "会议强调，要" in body and "," not in body

    # what a reader sees: two separate lists, a table, a footnote, a figure
    html = render(body)
    assert re.search(r"<ol>.*</ol>\s*(<!-- -->\s*)?<ul>", html, re.DOTALL)
    assert "<table>" in html and '<sup id="fnref:1">' in html and '<figure class="zx-figure">' in html

    checked = zhengxie(project, "check")
    assert checked.code == 0, checked.output

    again = zhengxie(project, "import", str(source), "briefing")
    assert again.code == 0, again.output
    assert "已新建 content/briefings/2019/05.md" in again.stdout
    assert (project / "content/briefings/2019/05/05-1.png").is_file()
    assert field(split(project / "content/briefings/2019/05.md")[0], "total") == str(int(previous) + 2)
    assert zhengxie(project, "check").code == 0


def test_briefing_date_from_option_or_today(project):
    w = Word()
    w.add_heading("区政协召开主席会议", level=1)
    w.add_paragraph("会议研究了近期工作。")
    w.save(project / "无日期.docx")

    dated = zhengxie(project, "import", "无日期.docx", "briefing", "--date", "2020-01-15")
    assert dated.code == 0, dated.output
    assert "已新建 content/briefings/2020/01.md" in dated.stdout
    assert field(split(project / "content/briefings/2020/01.md")[0], "date") == "2020-01-15"

    today = dt.date.today()
    undated = zhengxie(project, "import", "无日期.docx", "briefing")
    assert undated.code == 0, undated.output
    assert "文档中没有找到日期" in undated.stdout
    created = re.search(r"已新建 (content/briefings/\d{4}/\d+\.md)", undated.stdout)[1]
    assert field(split(project / created)[0], "date") == today.isoformat()
    assert zhengxie(project, "check").code == 0


def test_briefing_without_headings_gets_a_title_to_fill_in(project):
    w = Word()
    w.add_paragraph("编者按：本期刊发常委会议情况。")
    w.add_paragraph("区政协召开常委会议,听取工作报告。")
    w.save(project / "无标题.docx")
    result = zhengxie(project, "import", "无标题.docx", "briefing", "--date", "2019-09-10")
    assert result.code == 0, result.output
    _, body = split(project / "content/briefings/2019/04.md")
    assert body.lstrip().startswith("> 本期刊发常委会议情况。")  # the 编者按, without its label
    assert "## 请填写文章标题" in body and "请填写文章标题" in result.stdout
    assert zhengxie(project, "check").code == 0


# --- 文史 -----------------------------------------------------------------------------------


def test_wenshi_article_from_word(project):
    wenshi_docx(project / "老街.docx")
    result = zhengxie(project, "import", "老街.docx", "wenshi-article", "14", "--slug", "laojie")
    assert result.code == 0, result.output
    assert "已新建 content/wenshi/14/06-laojie.md" in result.stdout
    assert "已新建 content/wenshi/14/06-laojie-1.png" in result.stdout

    front, body = split(project / "content/wenshi/14/06-laojie.md")
    assert field(front, "title") == "老街的变迁"
    assert field(front, "section") == "城区变迁"  # the volume's first section, to be checked
    assert field(front, "oral") == "张三" and field(front, "compiled_by") == "李四"
    assert field(front, "draft") == "true"
    assert "老街的变迁" not in body and "口述" not in body  # in the front matter, not repeated
    assert re.search(r"^## 一、街巷$", body, re.MULTILINE) and re.search(r"^## 二、变迁$", body, re.MULTILINE)
    assert "![老街旧影](06-laojie-1.png)" in body
    assert (project / "content/wenshi/14/06-laojie-1.png").is_file()
    assert "见证了它的变化" in body and "住了三代人，见证" in body
    assert "栏目" in result.stdout

    checked = zhengxie(project, "check")
    assert checked.code == 0, checked.output

    again = zhengxie(project, "import", "老街.docx", "wenshi-article", "14")
    assert again.code == 0, again.output
    assert "已新建 content/wenshi/14/07-wenzhang.md" in again.stdout
    assert "--slug" in again.stdout  # tells how to choose the file name
    assert zhengxie(project, "check").code == 0


# --- bad input ------------------------------------------------------------------------------


def _not_a_zip(project: Path) -> str:
    (project / "坏文件.docx").write_text("这不是 Word 文档", encoding="utf-8")
    return "坏文件.docx"


def _zip_without_document(project: Path) -> str:
    with zipfile.ZipFile(project / "空壳.docx", "w") as archive:
        archive.writestr("readme.txt", "not a document")
    return "空壳.docx"


def _old_word(project: Path) -> str:
    (project / "旧格式.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    return "旧格式.doc"


@pytest.mark.parametrize(
    "make,args,message",
    [
        (lambda p: "不存在.docx", ["briefing"], "找不到文件"),
        (_old_word, ["briefing"], "只能导入 Word 的 .docx 文件"),
        (_not_a_zip, ["briefing"], "不是有效的 .docx 文件"),
        (_zip_without_document, ["briefing"], "无法读取"),
        (lambda p: str(wenshi_docx(p / "老街.docx")), ["wenshi-article", "99"], "没有第99辑"),
    ],
)
def test_bad_input_says_why_and_writes_nothing(project, make, args, message):
    name = make(project)
    before = tree_digest(project / "content")
    result = zhengxie(project, "import", name, *args)
    assert result.code == 1, result.output
    assert result.stderr.startswith("zhengxie: ") and message in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert tree_digest(project / "content") == before


def test_import_never_overwrites_and_leaves_nothing_half_written(project):
    briefing_docx(project / "简报.docx")
    taken = project / "content/briefings/2019/04/04-1.png"
    taken.parent.mkdir(parents=True)
    taken.write_bytes(b"an editor's photo")
    before = tree_digest(project / "content")
    result = zhengxie(project, "import", "简报.docx", "briefing")
    assert result.code == 1
    assert "文件已存在，未覆盖：content/briefings/2019/04/04-1.png" in result.stderr
    assert "Traceback" not in result.output
    assert tree_digest(project / "content") == before


# --- hostile documents ----------------------------------------------------------------------


def _zip_bomb(project: Path) -> str:
    """A real document plus a member that unpacks a thousand times larger than it is stored."""
    path = briefing_docx(project / "炸弹.docx")
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/padding.xml", b" " * (8 * 1024 * 1024))
    return "炸弹.docx"


def _many_entries(project: Path) -> str:
    path = briefing_docx(project / "碎片.docx")
    with zipfile.ZipFile(path, "a") as archive:
        for number in range(10_001):
            archive.writestr(f"padding/part{number}.xml", b"")
    return "碎片.docx"


@pytest.mark.parametrize(
    "make,message",
    [(_zip_bomb, "压缩比异常（可能是“压缩炸弹”），未导入"), (_many_entries, "压缩包里有 10")],
)
def test_an_archive_that_unpacks_into_far_more_is_refused(project, make, message):
    name = make(project)
    before = tree_digest(project / "content")
    result = zhengxie(project, "import", name, "briefing")
    assert result.code == 1 and message in result.stderr and "Traceback" not in result.output, result.output
    assert tree_digest(project / "content") == before


def _rewrite(path: Path, change) -> None:
    """Rewrite the members of a .docx: `change(name, data)` returns (name, data) or None to drop one."""
    with zipfile.ZipFile(path) as archive:
        members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            changed = change(name, data)
            if changed is not None:
                archive.writestr(*changed)


def test_linked_and_scripted_pictures_are_left_out_and_named(project):
    """A picture only linked to a file elsewhere is never read; an SVG picture with a script is not written."""
    w = Word()
    w.add_heading("区政协召开常委会议", level=1)
    w.add_paragraph("第一张图：")
    w.add_picture(_png())
    w.add_paragraph("第二张图：")
    w.add_picture(_png())
    rid = w.doc.part.relate_to("file:///etc/hostname", RT.IMAGE, is_external=True)
    blips = w.doc.element.body.xpath(".//a:blip")
    embed = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
    blips[1].attrib.pop(embed)
    blips[1].set("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}link", rid)
    path = w.save(project / "图片.docx")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><script>alert(1)</script></svg>'

    def to_svg(name: str, data: bytes):
        if name == "word/media/image1.png":
            return "word/media/image1.svg", svg
        if name == "word/_rels/document.xml.rels":
            return name, data.replace(b"media/image1.png", b"media/image1.svg")
        if name == "[Content_Types].xml":
            return name, data.replace(b"<Default ", b'<Default Extension="svg" ContentType="image/svg+xml"/><Default ', 1)
        return name, data

    _rewrite(path, to_svg)
    result = zhengxie(project, "import", "图片.docx", "briefing", "--date", "2019-09-10")
    assert result.code == 0, result.output
    assert "第1张图片未导入，已写成“图略”：SVG 中有脚本 <script>，出于安全考虑不能使用" in result.stdout
    assert "第2张图片没有嵌入文档，只是链接到“file:///etc/hostname”，未导入，已写成“图略”" in result.stdout
    created = project / "content/briefings/2019/04.md"
    assert created.read_text(encoding="utf-8").count("](图略)") == 2
    assert not list((project / "content/briefings/2019").glob("04/*"))
    assert zhengxie(project, "check").code == 0


def test_word_text_stays_text_and_a_file_name_stays_a_comment(project):
    """A reference in a table cell keeps its |; a paragraph starting ": " or "~~~" is text;
    a file name with a line separator in it cannot add a field."""
    w = Word()
    w.add_heading("区政协召开常委会议", level=1)
    w.add_paragraph(": 这不是定义列表")
    w.add_paragraph("~~~")
    w.add_paragraph("每组5~10人")
    w.table([("依据", "说明"), ("[[rule:kaoping#第五条|考评办法第五条]]", "见附件")])
    name = "通知\u2028plans: [yingshang-huanjing]\u2028#.docx"
    w.save(project / name)
    result = zhengxie(project, "import", name, "briefing", "--date", "2019-09-10")
    assert result.code == 0, result.output
    created = project / "content/briefings/2019/04.md"
    text = created.read_text(encoding="utf-8")
    assert "[[rule:kaoping#第五条|考评办法第五条]]" in text
    assert zhengxie(project, "check").code == 0
    from generator.frontmatter import read_markdown

    source, _ = read_markdown(created, "content/briefings/2019/04.md")
    assert "plans" not in source.meta
    created.write_text(re.sub(r"^draft: true.*\n", "", text, flags=re.M), encoding="utf-8")
    assert zhengxie(project, "build", "--no-pdf").code == 0
    page = html.unescape((project / "site/briefings/2019/04/index.html").read_text(encoding="utf-8"))
    assert ": 这不是定义列表" in page and "<dl>" not in page and "~~~" in page and "5~10人" in page
    assert re.search(r'<td><a href="[^"]*rules/kaoping/#tiao-5">考评办法第五条</a></td>', page)
