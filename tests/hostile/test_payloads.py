"""Hostile bodies, values and files: each family in several spellings, each an error at its line.

What reaches a page is decided by the sanitizer on the rendered HTML, not by how the source
is spelled, so every spelling below must come out as a `check` error at the line that
holds it, with the Chinese message for what would be removed.  The expected line is where
the payload's marked line (`MARK`) lands in the file, counted here by hand.
"""
from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from conftest import REPO, copy_project, tree_digest, zhengxie

from generator.project import check_project

ISSUE = "content/briefings/2019/02.md"
MARK = "\u2063"  # an invisible separator ending the line the error belongs to (removed before writing)

SCRIPT = "出于安全考虑，正文中不能使用 <script> 标记"
HANDLER = "这类事件属性"
SCHEME = "链接不能以 {}: 开头"
STYLE = "不能使用 style 属性"
CLASS = "样式名（class）"


def handler(name: str) -> str:
    return f"HTML 标记中不能有 {name} {HANDLER}"


BODIES = {
    # event handlers however written
    "img/src/onerror without spaces": ("<img/src/onerror=alert(1)>" + MARK, handler("onerror")),
    "svg/onload": ("<svg/onload=alert(1)>" + MARK, handler("onload")),
    "mixed case OnErRoR": ('<IMG SRC="x.png" OnErRoR="alert(1)">' + MARK, handler("onerror")),
    "tag split over lines": ('<img\nsrc="x.png"\nonerror="alert(1)">' + MARK, handler("onerror")),
    "handler on the line after the tag name": ('<a href="#"\n   onmouseover="alert(1)">' + MARK + "悬停</a>", handler("onmouseover")),
    "attr_list on a paragraph": ('一段文字\n{: onclick="alert(1)" }' + MARK, handler("onclick")),
    "attr_list on a heading": ("### 小标题 {: onmouseover=alert(1) }" + MARK, handler("onmouseover")),
    "md_in_html div": ('<div markdown="1" onclick="alert(1)">' + MARK + "\n文字\n</div>", handler("onclick")),
    "svg animate rewriting href": ('<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>' + MARK, "不能使用 <animate> 标记"),
    "details summary handler": ('<details ontoggle="alert(1)" open>' + MARK + "<summary>x</summary>y</details>", handler("ontoggle")),
    # what a page may not carry at all
    "script": ("<script>alert(1)</script>" + MARK, SCRIPT),
    "SCRIPT with src": ("<SCRIPT SRC=//evil.example/x.js></SCRIPT>" + MARK, SCRIPT),
    "script split over lines": ("<script\n>alert(1)</script>" + MARK, SCRIPT),
    "iframe": ('<iframe src="https://evil.example"></iframe>' + MARK, "不能使用 <iframe> 标记"),
    "object": ('<object data="x.swf"></object>' + MARK, "不能使用 <object> 标记"),
    "embed": ('<embed src="x.swf">' + MARK, "不能使用 <embed> 标记"),
    "form": ('<form action="https://evil.example"><button>提交</button></form>' + MARK, "不能使用 <form> 标记"),
    "base": ('<base href="https://evil.example/">' + MARK, "不能使用 <base> 标记"),
    "meta refresh": ('<meta http-equiv="refresh" content="0;url=https://evil.example">' + MARK, "不能使用 <meta> 标记"),
    "style element": ("<style>body{display:none}</style>" + MARK, "不能使用 <style> 标记"),
    # styles and classes that draw over the page
    "full-page overlay by style": ('<div style="position:fixed;inset:0;background:#fff"><a href="https://evil.example">' + MARK + "\n登录</a></div>", STYLE),
    "overlay by the theme's class": ('<span class="md-overlay">' + MARK + "x</span>", CLASS + "“md-overlay”"),
    "the search scrim's class": ('<div class="zx-search__scrim">' + MARK + "x</div>", CLASS + "“zx-search__scrim”"),
    "unknown admonition type": ("!!! 注意" + MARK + "\n    内容", "提示框类型“注意”网站不认识"),
    "theme's id": ('<p id="__config">' + MARK + "x</p>", "id“__config”以两个下划线开头"),
    # javascript: however written
    "javascript: Markdown link": ("[点我](javascript:alert(1))" + MARK, SCHEME.format("javascript")),
    "javascript: by entity": ("[点我](&#106;avascript:alert(1))" + MARK, SCHEME.format("javascript")),
    "javascript: by hex entity and &colon;": ('<a href="&#x6A;avascript&colon;alert(1)">' + MARK + "x</a>", SCHEME.format("javascript")),
    "javascript: with a tab entity": ('<a href="java&#9;script:alert(1)">' + MARK + "x</a>", SCHEME.format("javascript")),
    "javascript: with a newline entity": ('<a href="jav&NewLine;ascript:alert(1)">' + MARK + "x</a>", SCHEME.format("javascript")),
    "javascript: after spaces, mixed case": ('<a href="  JaVaScRiPt:alert(1)">' + MARK + "x</a>", SCHEME.format("javascript")),
    "javascript: in a reference definition": ("[点我][r]\n\n[r]: javascript:alert(1)" + MARK, SCHEME.format("javascript")),
    "vbscript:": ("[点我](vbscript:msgbox(1))" + MARK, SCHEME.format("vbscript")),
    "data: page": ("[点我](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)" + MARK, SCHEME.format("data")),
    "javascript: in svg a": ('<svg><a href="javascript:alert(1)"><text>x</text></a></svg>' + MARK, SCHEME.format("javascript")),
    # what a line scan takes for code but Markdown renders
    "escaped backticks": ("\\`<img src=x onerror=alert(1)>\\`" + MARK, handler("onerror")),
    "unclosed fence": ("```\n<img src=x onerror=alert(1)>" + MARK, handler("onerror")),
    "fence of three tildes never closed": ("~~~\n\n<script>alert(1)</script>" + MARK, SCRIPT),
    # places inside other Markdown
    "footnote": ("正文[^z]\n\n[^z]: <img src=x onerror=alert(1)>" + MARK, handler("onerror")),
    "table cell": ("| 列 |\n|---|\n| <img src=x onerror=alert(1)> |" + MARK, handler("onerror")),
    "admonition title": ('!!! note "<svg/onload=alert(1)>"' + MARK + "\n    内容", handler("onload")),
    "details title": ('??? tip "<img src=x onerror=alert(1)>"' + MARK + "\n    内容", handler("onerror")),
    "list item": ("- 第一项\n- <b onclick=alert(1)>粗</b>" + MARK, handler("onclick")),
    "blockquote": ("> 引文 <span onclick=alert(1)>x</span>" + MARK, handler("onclick")),
    # images that are not files beside the content
    "image from another site": ("![图](http://example.org/a.png)" + MARK, "图片“http://example.org/a.png”在别的网站上"),
    "image protocol-relative in HTML": ('<img src="//example.org/a.png">' + MARK, "图片“//example.org/a.png”在别的网站上"),
    "image by absolute path, reference style": ("![图][p]\n\n[p]: /etc/hostname" + MARK, "图片“/etc/hostname”是绝对路径"),
    "image by file: URL": ("![图](file:///etc/passwd)" + MARK, "图片“file:///etc/passwd”不是文件路径"),
    "image out of content/": ("![图](../../../../etc/passwd)" + MARK, "在 content/ 之外"),
    "image out of content/, percent-encoded": ('<img src="%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd">' + MARK, "在 content/ 之外"),
    "link to a file out of content/": ("[附件](../../../../etc/passwd)" + MARK, "链接的文件“../../../../etc/passwd”在 content/ 之外"),
    "missing image": ("![图](没有这张图.png)" + MARK, "找不到图片“没有这张图.png”"),
    "image written in HTML": ('<img src="x.png" alt="图">' + MARK, "用 HTML 写的图片（<img src=\"x.png\">）在网页上会找不到文件；请改用 Markdown 写法：![图注](x.png)"),
    "a NUL in a link target": ("[附件](a%00.pdf)" + MARK, "的文件名中有不可见的控制字符（如 %00）"),
    "a page of the theme's own": ("[附件](../../assets/javascripts/bundle.a5f9d56c.min.js)" + MARK, "不在任何栏目的文件夹中"),
    "a PDF of the site's own": ("[附件](../../pdf/briefings/2019/01.pdf)" + MARK, "不在任何栏目的文件夹中"),
    # text the HTML parser would drop although nothing is removed
    "markup inside an inline svg title": ("文字<svg><title>标题<b>粗体</b></title></svg>" + MARK, "不能使用 <title> 标记"),
    "foreignObject in an inline svg": ("<svg><foreignObject><p>外来文字</p></foreignObject></svg>" + MARK, "不能使用 <foreignobject> 标记"),
    "a title element in the body": ("<title>隐藏的文字</title>" + MARK, "不能使用 <title> 标记"),
    "a < taken for a tag": ("当 a<b 且 b>c 时成立。" + MARK, "这里的“<b”被当成了 HTML 标记的开头"),
    # bytes
    "NUL in the body": ("一段\x00文字" + MARK, "空字符（NUL）"),
    "escape character in the body": ("一段\x1b[31m文字" + MARK, "不可见的控制字符 U+001B"),
}


def _write_body(root: Path, text: str) -> int:
    """Append `text` to the issue's last article; the file line of its MARK."""
    file = root / ISSUE
    before = file.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    head, _, _ = text.partition(MARK)
    line = before.count("\n") + head.count("\n") + 1
    file.write_text(before + text.replace(MARK, "") + "\n", encoding="utf-8")
    return line


def _errors(root: Path) -> list[str]:
    _, found = check_project(root)
    return [d.format() for d in found if d.level == "error"]


@pytest.mark.parametrize("case", list(BODIES))
def test_hostile_body_is_an_error_at_its_line(tmp_path, case):
    root = copy_project(tmp_path / "project")
    text, message = BODIES[case]
    line = _write_body(root, text)
    errors = _errors(root)
    assert any(e.startswith(f"{ISSUE}:{line}: 错误: ") and message in e for e in errors), (
        f"expected {ISSUE}:{line}: 错误: …{message}… in\n" + "\n".join(errors)
    )


def test_the_sample_has_no_finding(tmp_path):
    assert _errors(copy_project(tmp_path / "project")) == []


SAFE_BODIES = {
    "code span": "脚本写作 `<script>alert(1)</script>`，图片写作 `<img src=\"photo.png\">`。",
    "fenced code": "```html\n<img src=x onerror=alert(1)>\n<script>alert(1)</script>\n```",
    "indented code": "    <script>alert(1)</script>",
    "escaped text": "小于号 &lt;script&gt; 和 \\<b\\> 都是文字；A & B；1 < 2 > 0。",
    "link title with quotes": '[链接](https://www.cppcc.gov.cn/ "标题\\" onclick=\\"alert(1)")',
    "admonition of a known type": '!!! warning "注意"\n    内容',
    "a tag in an image's alt text": "![<img src=x onerror=alert(1)>](图略)",
}


@pytest.mark.parametrize("case", list(SAFE_BODIES))
def test_text_that_only_looks_hostile_passes(tmp_path, case):
    root = copy_project(tmp_path / "project")
    _write_body(root, SAFE_BODIES[case])
    assert _errors(root) == []


# -- front matter and YAML files ----------------------------------------------
VALUES = {
    "title by \\x3c escape": ("content/rules/kaoping.md", "title", '"考评办法\\x3cimg src=x onerror=alert(1)\\x3e"', "HTML 标记“<img src=x onerror=alert(1)>”"),
    "title by \\u003c escape": ("content/rules/kaoping.md", "title", '"\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"', "HTML 标记“<script>”"),
    "tag by escape": (ISSUE, "tags", '["\\x3csvg onload=alert(1)\\x3e"]', "HTML 标记“<svg onload=alert(1)>”"),
    "site.yml office": ("content/site.yml", "office", '"\\x3cimg src=x onerror=alert(1)\\x3e办公室"', "HTML 标记"),
    "site.yml short_name": ("content/site.yml", "short_name", "<b>区政协</b>", "HTML 标记“<b>”"),
    "volume.yml series": ("content/wenshi/14/volume.yml", "series", '"\\x3cscript\\x3e"', "HTML 标记“<script>”"),
    "NUL by escape in a title": ("content/rules/kaoping.md", "title", '"考评\\x00办法"', "不可见的控制字符（U+0000）"),
}


def _set_value(root: Path, relative: str, key: str, value: str) -> int:
    """Replace the top-level `key:` line of a YAML file or front matter; its line number."""
    file = root / relative
    lines = file.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
    lines[number] = f"{key}: {value}"
    file.write_text("\n".join(lines), encoding="utf-8")
    return number + 1


@pytest.mark.parametrize("case", list(VALUES))
def test_hostile_value_is_an_error_at_its_key(tmp_path, case):
    root = copy_project(tmp_path / "project")
    relative, key, value, message = VALUES[case]
    line = _set_value(root, relative, key, value)
    errors = _errors(root)
    assert any(e.startswith(f"{relative}:{line}: 错误: ") and message in e for e in errors), "\n".join(errors)


def _insert_line(root: Path, relative: str, after: int, text: str) -> None:
    file = root / relative
    lines = file.read_text(encoding="utf-8").split("\n")
    file.write_text("\n".join(lines[:after] + [text] + lines[after:]), encoding="utf-8")


@pytest.mark.parametrize(
    "relative, after, text, line, message",
    [
        (ISSUE, 1, "tags: [重复的键]", 6, "键“tags”重复（第 2 行已有）"),  # the issue's own tags: moves to line 6
        ("content/site.yml", 15, "office: 第二个办公室", 16, "键“office”重复（第 4 行已有）"),
        ("content/wenshi/14/volume.yml", 1, "number: 15", 3, "键“number”重复（第 2 行已有）"),
    ],
)
def test_a_duplicate_key_names_both_lines(tmp_path, relative, after, text, line, message):
    root = copy_project(tmp_path / "project")
    _insert_line(root, relative, after, text)
    errors = _errors(root)
    assert any(e.startswith(f"{relative}:{line}: 错误: ") and message in e for e in errors), "\n".join(errors)


@pytest.mark.parametrize("fence", ["———", "- - -", "－－－", "----"])
def test_a_fence_typed_wrong_is_named_as_a_fence(tmp_path, fence):
    root = copy_project(tmp_path / "project")
    file = root / ISSUE
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("---\n", f"{fence}\n", 1), encoding="utf-8")
    errors = _errors(root)
    assert any(e.startswith(f"{ISSUE}:1: 错误: front matter 的开始行应写成三个半角减号 ---") and fence in e for e in errors), errors
    file.write_text(text.replace("\n---\n", f"\n{fence}\n", 1), encoding="utf-8")
    closing = text.split("\n").index("---", 1) + 1
    errors = _errors(root)
    assert any(e.startswith(f"{ISSUE}:{closing}: 错误: front matter 的结束行应写成三个半角减号 ---") for e in errors), errors


def test_nul_in_front_matter_is_reported_at_its_line(tmp_path):
    root = copy_project(tmp_path / "project")
    file = root / ISSUE
    file.write_text(file.read_text(encoding="utf-8").replace("total: 106", "total: 1\x0006"), encoding="utf-8")
    line = next(n for n, l in enumerate(file.read_text(encoding="utf-8").split("\n"), 1) if "\x00" in l)
    assert any(e.startswith(f"{ISSUE}:{line}: 错误: 这一行有空字符（NUL）") for e in _errors(root))


def test_sections_as_one_string_is_an_error(tmp_path):
    root = copy_project(tmp_path / "project")
    file = root / "content/wenshi/14/volume.yml"
    text = file.read_text(encoding="utf-8")
    start = text.index("sections:")
    file.write_text(text[:start] + "sections: 城区变迁、口述历史、征集札记\n", encoding="utf-8")
    line = text[:start].count("\n") + 1
    errors = _errors(root)
    assert any(e.startswith(f"content/wenshi/14/volume.yml:{line}: 错误: 字段“sections”应为列表") and "[城区变迁, 口述历史, 征集札记]" in e for e in errors), errors


# -- files -----------------------------------------------------------------------------
def _png(width: int, height: int, pixels: bytes | None = None) -> bytes:
    """A PNG of that size (a small grey one when `pixels` is None and the size is small)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    raw = pixels if pixels is not None else b"".join(b"\0" + b"\x80" * width for _ in range(height))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


SVG_HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">'
SVGS = {
    "script": SVG_HEAD + "<script>alert(1)</script></svg>",
    "foreignObject with a frame": SVG_HEAD + '<foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="https://evil.example"/></foreignObject></svg>',
    "foreignObject with a remote image": SVG_HEAD + '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml"><img src="https://evil.example/t.png"/></div></foreignObject></svg>',
    "xml-stylesheet in UTF-16": None,
    "xslt": SVG_HEAD.replace("<svg ", '<svg xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xsl:version="1.0" ') + "<xsl:element name=\"a\">x</xsl:element></svg>",
    "onload": SVG_HEAD.replace("<svg ", '<svg onload="alert(1)" ') + "</svg>",
    "external image": SVG_HEAD + '<image href="https://evil.example/x.png" width="10" height="10"/></svg>',
    "xlink to another file": SVG_HEAD + '<use xlink:href="other.svg#a"/></svg>',
    "javascript link": SVG_HEAD + '<a href="javascript:alert(1)"><rect width="5" height="5"/></a></svg>',
    "animate href": SVG_HEAD + '<a href="#"><set attributeName="href" to="javascript:alert(1)"/><rect width="5" height="5"/></a></svg>',
    "entity declaration": '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;">]>' + SVG_HEAD + "<text>&b;</text></svg>",
    "xml-stylesheet": '<?xml-stylesheet href="https://evil.example/x.css"?>' + SVG_HEAD + "</svg>",
    "css url": SVG_HEAD + "<style>rect{fill:url(https://evil.example/x)}</style></svg>",
    "xhtml script": SVG_HEAD + '<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script></svg>',
}
IMAGES = {
    **{f"svg: {name}": ("x.svg", text.encode("utf-8"), "x.svg") for name, text in SVGS.items() if text},
    "svg: xml-stylesheet in UTF-16": ("x.svg", ('<?xml version="1.0" encoding="UTF-16"?><?xml-stylesheet type="text/xsl" href="x.svg"?>' + SVG_HEAD + "</svg>").encode("utf-16"), "处理指令"),
    "png of 20000 x 20000 pixels": ("big.png", _png(20000, 20000, pixels=b""), "百万像素"),
    "text named .png": ("text.png", "这不是图片".encode("utf-8"), "不是能读取的 PNG 图片"),
    "jpeg named .png": ("photo.png", None, "内容却是 JPEG 图片"),
    "truncated png": ("cut.png", _png(40, 40)[:60], "不是能读取的 PNG 图片"),
    "tiff": ("scan.tif", b"II*\x00", "请另存为 JPG 或 PNG"),
    "svg: css escape spelling url(": ("x.svg", (SVG_HEAD + "<style>rect{fill:u\\72l(http://evil.example/x.svg#a)}</style></svg>").encode(), "反斜杠转义"),
    "svg: css escape spelling @import": ("x.svg", (SVG_HEAD + '<style>@\\69mport "http://evil.example/x.css";</style></svg>').encode(), "反斜杠转义"),
    "svg: presentation attribute url(": ("x.svg", (SVG_HEAD + '<rect width="5" height="5" filter="url(http://evil.example/f.svg#f)"/></svg>').encode(), "引用了别的文件或网址"),
}


def _jpeg() -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (8, 8), "grey").save(out, "JPEG")
    return out.getvalue()


@pytest.mark.parametrize("case", list(IMAGES))
def test_an_image_that_is_not_what_it_says_is_an_error_at_the_line_that_uses_it(tmp_path, case):
    root = copy_project(tmp_path / "project")
    name, data, message = IMAGES[case]
    (root / "content/briefings/2019" / name).write_bytes(_jpeg() if data is None else data)
    line = _write_body(root, f"![图]({name})" + MARK)
    errors = _errors(root)
    assert any(e.startswith(f"{ISSUE}:{line}: 错误: ") and message in e for e in errors), "\n".join(errors)


def test_a_normal_svg_and_photo_pass(tmp_path):
    root = copy_project(tmp_path / "project")
    folder = root / "content/briefings/2019"
    inkscape = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
        'xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="200" height="100" viewBox="0 0 200 100"><sodipodi:namedview id="v" inkscape:zoom="1"/>'
        '<defs><linearGradient id="g"><stop offset="0" style="stop-color:#c00000"/></linearGradient></defs>'
        '<style>.a{fill:url(#g)}</style><rect class="a" width="200" height="100" style="fill:url(#g)"/>'
        '<use xlink:href="#g"/><text x="10" y="50">示例 &amp; 图</text></svg>'
    )
    drawio = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" width="121px" '
        'height="61px" viewBox="-0.5 -0.5 121 61"><defs/><g><rect x="0" y="0" width="120" height="60" fill="#ffffff" stroke="#000000"/>'
        '<g transform="translate(-0.5 -0.5)"><switch><foreignObject pointer-events="none" width="100%" height="100%" '
        'requiredFeatures="http://www.w3.org/TR/SVG11/feature#Extensibility" style="overflow: visible; text-align: left;">'
        '<div xmlns="http://www.w3.org/1999/xhtml" style="display: flex; align-items: unsafe center; width: 118px;">'
        '<div style="box-sizing: border-box; font-size: 0px; text-align: center;"><div style="display: inline-block; font-size: 12px;">'
        '提案征集</div></div></div></foreignObject><text x="60" y="34" font-size="12px" text-anchor="middle">提案征集</text>'
        '</switch></g></g><switch><g requiredFeatures="http://www.w3.org/TR/SVG11/feature#Extensibility"/>'
        '<a transform="translate(0,-5)" xlink:href="https://www.drawio.com/doc/faq/svg-export-text-problems" target="_blank">'
        '<text text-anchor="middle" font-size="10px" x="50%" y="100%">Text is not SVG - cannot display</text></a></switch></svg>'
    )
    (folder / "tu.svg").write_text(inkscape, encoding="utf-8")
    (folder / "liucheng.svg").write_text(drawio, encoding="utf-8")
    (folder / "photo.jpg").write_bytes(_jpeg())
    _write_body(root, "![矢量图](tu.svg)\n\n![流程图](liucheng.svg)\n\n![照片](photo.jpg)")
    assert _errors(root) == []


def test_links_and_special_files_out_of_content_are_errors(tmp_path):
    root = copy_project(tmp_path / "project")
    folder = root / "content/briefings/2019"
    outside = tmp_path / "outside.png"
    outside.write_bytes(_png(4, 4))
    (folder / "link.png").symlink_to(outside)
    (folder / "zero.png").symlink_to("/dev/zero")
    os.mkfifo(folder / "pipe.png")
    (folder / "folder.png").mkdir()
    (folder / "shicha.jpg").write_bytes(_jpeg())
    first = _write_body(root, "![甲](link.png)" + MARK + "\n\n![乙](zero.png)\n\n![丙](pipe.png)\n\n![丁](folder.png)\n\n![戊](Shicha.JPG)")
    errors = _errors(root)  # finishes: a pipe is never read
    expected = {
        first: "指向 content/ 之外（符号链接）",
        first + 2: "指向 content/ 之外（符号链接）",
        first + 4: "不是普通文件",
        first + 6: "是文件夹",
        first + 8: "您是否想写“shicha.jpg”",
    }
    for line, message in expected.items():
        assert any(e.startswith(f"{ISSUE}:{line}: 错误: ") and message in e for e in errors), (line, errors)


@pytest.mark.parametrize("name", ["附件.html", "page.xhtml", "feed.xml", "x.js", "style.css", "noext"])
def test_a_linked_file_a_browser_would_run_is_not_an_attachment(tmp_path, name):
    root = copy_project(tmp_path / "project")
    (root / "content/briefings/2019" / name).write_text("<script>alert(document.domain)</script>", encoding="utf-8")
    line = _write_body(root, f"[附件]({name})" + MARK)
    errors = _errors(root)
    assert any(e.startswith(f"{ISSUE}:{line}: 错误: 链接的文件“{name}”") and ("不能作为附件发布" in e or "不是可以发布的附件类型" in e) for e in errors), errors


def test_a_pipe_named_like_a_source_is_an_error_not_a_hang(tmp_path):
    root = copy_project(tmp_path / "project")
    os.mkfifo(root / "content/briefings/2019/05.md")
    os.mkfifo(root / "content/x.yml")
    result = subprocess.run([sys.executable, "-m", "generator", "check", "--root", str(root)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "content/briefings/2019/05.md: 错误: 这不是普通文件（是管道、设备或套接字）" in result.stderr


def test_an_issue_number_far_too_large_is_one_short_error(tmp_path):
    root = copy_project(tmp_path / "project")
    line = _set_value(root, ISSUE, "number", "20181220")
    errors = _errors(root)
    assert any(e.startswith(f"{ISSUE}:{line}: 错误: 字段“number”应为不大于 999 的整数") for e in errors), errors
    assert max(map(len, errors)) < 300


def test_values_are_shown_exactly_as_written_on_every_page(tmp_path):
    """Text fields with Markdown's and HTML's characters show them, neither run nor with backslashes."""
    root = copy_project(tmp_path / "project")
    value = "A_B*C [D] & E|F 1 < 2 {x} `c`"
    _set_value(root, "content/site.yml", "office", f'"{value}"')
    _set_value(root, "content/wenshi/14/volume.yml", "title", f'"{value}"')
    _set_value(root, "content/rules/kaoping.md", "adopted_by", f'"{value}"')
    _set_value(root, "content/wenshi/14/01-jiexiang-bianqian.md", "author", f'"{value}"')
    site = root / "content/site.yml"
    site.write_text(site.read_text(encoding="utf-8").replace("  title: 政协工作简报", f'  title: "简报{value}"'), encoding="utf-8")
    result = zhengxie(root, "build", "--no-pdf")
    assert result.code == 0, result.output
    shown = value.replace("&", "&amp;").replace("<", "&lt;")
    pages = {p: p.read_text(encoding="utf-8") for p in (root / "site").rglob("*.html")}
    for page in ("briefings/index.html", "briefings/2018/index.html", "briefings/2018/04/index.html",
                 "wenshi/14/index.html", "rules/kaoping/index.html", "wenshi/14/01-jiexiang-bianqian/index.html"):
        assert shown in pages[root / "site" / page], page
    for path, text in pages.items():
        assert "A\\_B" not in text and "A<em>B" not in text and "\\[D\\]" not in text, path


def test_a_photo_with_large_metadata_passes(tmp_path):
    """Photoshop writes XMP metadata of over 1 MB into a PNG's text chunk."""
    from io import BytesIO

    from PIL import Image, PngImagePlugin

    root = copy_project(tmp_path / "project")
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>" + "x" * 2_000_000 + "</x:xmpmeta>")
    out = BytesIO()
    Image.new("RGB", (40, 30), "grey").save(out, "PNG", pnginfo=info)
    (root / "content/briefings/2019/photo.png").write_bytes(out.getvalue())
    _write_body(root, "![照片](photo.png)")
    assert _errors(root) == []


def test_only_files_that_records_use_are_published(project):
    folder = project / "content/briefings/2019"
    (folder / "内部意见.txt").write_text("不公开的意见", encoding="utf-8")
    (folder / "02.md.bak").write_text("旧稿", encoding="utf-8")
    (folder / "原稿.docx").write_bytes(b"PK\x03\x04")
    (folder / "~$原稿.docx").write_bytes(b"lock")  # Word's lock file: ignored without a word
    (folder / "photo.jpg").write_bytes(_jpeg())
    (folder / "附件.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    _write_body(project, "![照片](photo.jpg)\n\n[附件](附件.pdf)")
    result = zhengxie(project, "build")
    assert result.code == 0, result.output
    for name in ("内部意见.txt", "02.md.bak", "原稿.docx"):
        assert f"content/briefings/2019/{name}: 警告: 没有任何内容引用这个文件，它不会发布到网站上" in result.stderr
    assert "~$原稿.docx" not in result.stderr
    published = {p.relative_to(project / "site").as_posix() for p in (project / "site").rglob("*") if p.is_file()}
    assert {"briefings/2019/photo.jpg", "briefings/2019/附件.pdf"} <= published
    assert not any(name.endswith(("内部意见.txt", "02.md.bak", "原稿.docx")) for name in published)


def test_a_file_swapped_for_a_symlink_after_the_check_changes_nothing(project, tmp_path, monkeypatch):
    """The bytes the check read are what the site and the PDF get, whatever happens to the file later."""
    from generator import project as loading
    from generator.commands import build

    folder = project / "content/wenshi/14"
    original = (folder / "02-laozhaopian-zhengli.svg").read_bytes()
    secret = tmp_path / "secret.svg"
    secret.write_text(SVG_HEAD + "<text>绝密</text></svg>", encoding="utf-8")
    real_check = loading.check_project

    def check_then_swap(*args, **kwargs):
        result = real_check(*args, **kwargs)
        target = folder / "02-laozhaopian-zhengli.svg"
        target.unlink()
        target.symlink_to(secret)
        return result

    monkeypatch.setattr(build, "check_project", check_then_swap)
    assert build.build(project, project / "site") == 0
    assert (project / "site/wenshi/14/02-laozhaopian-zhengli.svg").read_bytes() == original
    text = shutil.which("pdftotext") and os.popen(f"pdftotext '{project / 'site/pdf/wenshi/14.pdf'}' -").read()
    assert "绝密" not in text


def test_a_hostile_build_changes_nothing(project):
    """The whole command, as an editor runs it: exit 1, content/ and site/ as they were."""
    first = zhengxie(project, "build")
    assert first.code == 0, first.output
    site, content = tree_digest(project / "site"), None
    assert "index.html" in site  # a published site to keep: a missing one would compare equal to itself
    _write_body(project, "<img/src/onerror=alert(1)>\n\n[r]: javascript:alert(1)")
    content = tree_digest(project / "content")
    result = zhengxie(project, "build")
    assert result.code == 1 and "Traceback" not in result.output
    assert "错误: 出于安全考虑，HTML 标记中不能有 onerror" in result.stderr
    assert tree_digest(project / "site") == site and tree_digest(project / "content") == content


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "project")


def test_a_citing_sentence_is_shown_as_text_on_the_cited_page(project):
    """The 被引用 section quotes the citing sentence as a reader saw it, escaped, however long."""
    long = "委员们认为" + "，要深入调研" * 30
    _write_body(
        project,
        "写作 &lt;img src=x onerror=alert(1)&gt; 和 `<b onclick=alert(1)>` 的文字见[[rule:kaoping#第五条]]。\n\n"
        f"{long}，代码 `<script>alert(2)</script>` 在句中，参见[[rule:kaoping#第六条]]。",
    )
    result = zhengxie(project, "build", "--no-pdf")
    assert result.code == 0, result.output
    page = (project / "site/rules/kaoping/index.html").read_text(encoding="utf-8")
    section = page[page.index('id="beiyinyong"'):]
    assert "<img" not in section and "onclick" not in section.replace("&lt;b onclick", "") and "<script>alert" not in section
    assert "写作 &lt;img src=x onerror=alert(1)&gt; 和 &lt;b onclick=alert(1)&gt; 的文字见" in section
    assert "委员们认为，要深入调研" in section and "…" in section


def test_bodies_the_inspection_skips_have_nothing_to_report():
    """The shortcut for prose (no <, ](, ]:, { or admonition marker) loses nothing: rendered in
    full, every such body of the sample, the seed document and the payloads has no finding."""
    from generator import published

    texts = [p.read_text(encoding="utf-8") for p in (REPO / "content").rglob("*.md")]
    texts += [REPO.joinpath("tests/fixtures/seed-annual-document.txt").read_text(encoding="utf-8")]
    texts += [text for text, _ in BODIES.values()] + list(SAFE_BODIES.values())
    texts += ["普通的一段。\n\n- 列表 *强调* **加粗** ~~删除~~\n\n| 表 | 格 |\n|---|---|\n| 1 | 2 |\n\n> 引文\n\n1. 一\n2. 二\n\n---\n\n# 标题\n\n`代码` 和 &amp; 实体 &#60;"]
    skipped = 0
    for text in texts:
        for paragraph_group in text.split("\n\n\n"):
            if published._MARKUP.search(paragraph_group):
                continue
            skipped += 1
            full = published._inspect("content/x.md", paragraph_group, 1)
            assert full == published.Inspection(), paragraph_group[:200]
    assert skipped > 5


def test_a_hand_written_page_is_checked_like_content(tmp_path):
    root = copy_project(tmp_path / "project")
    about = root / "docs/about.md"
    text = about.read_text(encoding="utf-8").rstrip("\n")
    about.write_text(text + "\n\n<img src=x onerror=alert(1)>\n", encoding="utf-8")
    line = text.count("\n") + 3
    errors = _errors(root)
    assert any(e.startswith(f"docs/about.md:{line}: 错误: ") and handler("onerror") in e for e in errors), errors


# -- found by the second review ----------------------------------------------------------
UNICODE_DIGITS = {
    "a reference with a superscript two": (ISSUE, "见[[briefing:2018-03#²]]。" + MARK, "引用 [[briefing:2018-03#²]] 找不到目标"),
    "a volume reference with a superscript two": (ISSUE, "见[[wenshi:²]]。" + MARK, "引用 [[wenshi:²]] 找不到目标"),
}


@pytest.mark.parametrize("case", list(UNICODE_DIGITS))
def test_digits_other_than_ascii_are_not_numbers(tmp_path, case):
    root = copy_project(tmp_path / "project")
    _, text, message = UNICODE_DIGITS[case]
    line = _write_body(root, text)
    result = zhengxie(root, "check")
    assert result.code == 1 and "内部错误" not in result.output and "Traceback" not in result.output
    assert f"{ISSUE}:{line}: 错误: {message}" in result.stderr


def test_odd_digits_in_names_and_plans_are_errors_not_crashes(tmp_path):
    root = copy_project(tmp_path / "project")
    (root / "content/briefings/2018/².md").write_text("---\nnumber: 2\ndate: 2018-01-01\n---\n\n## 标题\n\n正文。\n", encoding="utf-8")
    (root / "content/briefings/２０１８").mkdir()
    plan = root / "content/plans/2019.md"
    plan.write_text(plan.read_text(encoding="utf-8").replace("when: ", "when: 2019-⁰⁶ #", 1), encoding="utf-8")
    _set_value(root, ISSUE, "plans", '["²#foo"]')
    for command in (["check"], ["new", "briefing", "--date", "2018-12-30"], ["stats"]):
        result = zhengxie(root, *command)
        assert "内部错误" not in result.output and "Traceback" not in result.output, (command, result.output)
    errors = "\n".join(_errors(root))
    assert "content/briefings/2018/².md: 错误: 简报文件应以编号命名" in errors
    assert "content/briefings/２０１８: 错误: 简报目录应以四位年份命名" in errors


def test_lists_nested_too_deep_are_an_error_not_a_crash(tmp_path):
    root = copy_project(tmp_path / "project")
    line = _write_body(root, "- 项" + MARK + "\n" + "\n".join("    " * i + "- 项" for i in range(1, 250)))
    result = zhengxie(root, "check")
    assert result.code == 1 and "内部错误" not in result.output and "Traceback" not in result.output
    assert f"{ISSUE}:{line + 10}: 错误: 列表或引用一层套一层超过 10 层" in result.stderr


def test_a_range_with_tildes_keeps_its_tildes(project):
    _write_body(project, "每组5~10人，年龄20~30岁。")
    assert zhengxie(project, "build", "--no-pdf").code == 0
    page = (project / "site/briefings/2019/02/index.html").read_text(encoding="utf-8")
    assert "每组5~10人，年龄20~30岁。" in page and "<sub>" not in page


def test_an_svg_animating_its_xlink_href_is_refused(tmp_path):
    root = copy_project(tmp_path / "project")
    svg = SVG_HEAD + '<a id="l" xlink:href="#x"><set attributeName="xlink:href" to="https://evil.example/" begin="0s"/><rect width="5" height="5"/></a></svg>'
    (root / "content/briefings/2019/anim.svg").write_text(svg, encoding="utf-8")
    line = _write_body(root, "[附件图](anim.svg)" + MARK)
    assert any(e.startswith(f"{ISSUE}:{line}: 错误: ") and "会改写链接" in e for e in _errors(root))


def test_a_stray_closing_tag_in_an_editor_note_is_an_error(tmp_path):
    root = copy_project(tmp_path / "project")
    file = root / ISSUE
    text = file.read_text(encoding="utf-8")
    note = next(n for n, l in enumerate(text.split("\n"), 1) if l.startswith("> "))
    file.write_text(text.replace("\n> ", "\n> </div>\n> ", 1), encoding="utf-8")
    assert any(e.startswith(f"{ISSUE}:{note}: 错误: 多余的结束标记 </div>") for e in _errors(root)), _errors(root)


def test_reference_text_stays_text_wherever_it_lands(project):
    """A cited draft's text at a line's start is not a heading; "![[…]]" is not an image."""
    draft = project / "content/briefings/2019/04.md"
    draft.write_text("---\nnumber: 4\ndate: 2019-07-01\ndraft: true\n---\n\n## 草稿\n\n正文。\n", encoding="utf-8")
    _write_body(project, "[[briefing:2019-04|# 假的一级标题]]\n\n[[briefing:2019-04|1. 假列表]]\n\n重要![[rule:kaoping#第五条|看这里]]")
    assert zhengxie(project, "build", "--no-pdf").code == 0
    page = (project / "site/briefings/2019/02/index.html").read_text(encoding="utf-8")
    assert page.count("<h1") == 1 and "# 假的一级标题" in page and "1. 假列表" in page
    assert "重要!<a " in page and '<img alt="看这里"' not in page


def test_more_tags_than_related_reading_can_compare_are_an_error(tmp_path):
    root = copy_project(tmp_path / "project")
    line = _set_value(root, ISSUE, "tags", "[" + ", ".join(f"标签{n}" for n in range(24)) + "]")
    assert any(e.startswith(f"{ISSUE}:{line}: 错误: 字段“tags”最多 12 个标签，这里有 24 个") for e in _errors(root))


# -- found by the third review: ordinary content that must pass, and docs/ -----------------
def test_html_that_word_and_older_pages_write_passes(tmp_path):
    root = copy_project(tmp_path / "project")
    _write_body(root, "\n\n".join([
        '<p align="center">（2019年1月10日）</p>',
        '<div align="right">区政协办公室<br>2019年9月20日</div>',
        '<table border="1" cellspacing="0" cellpadding="0" width="568"><tr><th scope="col" width="80">项目</th>'
        '<td width="80" valign="top"><p align="center">内容</p></td></tr></table>',
        "<center>居中的一行</center>",
        '<font color="#c00000">红色的字</font>',
        "<ruby>昆<rp>(</rp><rt>kūn</rt><rp>)</rp></ruby>都仑",
        '<a name="fujian1"></a>附件一：[材料](https://www.cppcc.gov.cn/ "材料"){: target=_blank rel=noopener }',
        '<ul type="disc"><li>一项</li></ul>',
        "咨询电话：[0472-2123456](tel:04722123456)",
        "当 x<y 时，1<2；PM2.5<35。",
    ]))
    assert _errors(root) == []


@pytest.mark.parametrize("name", ["扫描件.tif", "现场.heic", "录像.mov", "录音.amr", "资料.tar.gz", "论文.caj"])
def test_attachments_of_every_kind_the_guide_names_pass(tmp_path, name):
    root = copy_project(tmp_path / "project")
    (root / "content/briefings/2019" / name).write_bytes(b"\x00\x01binary")
    _write_body(root, f"[附件]({name})")
    assert _errors(root) == []


def test_an_element_left_open_is_reported_once_where_it_is_written(tmp_path):
    root = copy_project(tmp_path / "project")
    line = _write_body(root, "当 a<b 且 b>c 时。" + MARK + "\n\n其他段落。\n\n## 关于\n\n正文。")
    errors = [e for e in _errors(root) if "被当成了 HTML 标记的开头" in e]
    assert errors and all(e.startswith(f"{ISSUE}:{line}: ") for e in errors) and len(errors) == 1


def test_every_line_with_a_control_character_is_reported_at_once(tmp_path):
    root = copy_project(tmp_path / "project")
    first = _write_body(root, "第一处\x0b软换行" + MARK + "\n\n第二处\x0c换页")
    errors = [e for e in _errors(root) if "不可见的控制字符" in e]
    assert [e.split(": ")[0] for e in errors] == [f"{ISSUE}:{first}", f"{ISSUE}:{first + 2}"]


def test_a_reference_written_with_an_escaped_bar_in_a_table_resolves(project):
    _write_body(project, "| 依据 | 说明 |\n|---|---|\n| 考评 | [[制度:kaoping#第五条\\|考评办法第五条]] |")
    result = zhengxie(project, "build", "--no-pdf")
    assert result.code == 0, result.output
    page = (project / "site/briefings/2019/02/index.html").read_text(encoding="utf-8")
    assert re.search(r'<td><a href="[^"]*rules/kaoping/#tiao-5">考评办法第五条</a></td>', page)


def test_an_article_title_with_markup_reads_the_same_everywhere(project):
    file = project / ISSUE
    file.write_text(file.read_text(encoding="utf-8").replace("## 区政协围绕", "## 区政协**重点**围绕", 1), encoding="utf-8")
    assert zhengxie(project, "build", "--no-pdf").code == 0
    for page in ("briefings/2019/02/index.html", "briefings/2019/index.html", "chronicle/2019/index.html"):
        text = (project / "site" / page).read_text(encoding="utf-8")
        assert "区政协重点围绕" in text and "**重点**" not in text and "\\*\\*" not in text, page


def test_docs_publishes_only_pages_documents_and_checked_images(tmp_path):
    root = copy_project(tmp_path / "project")
    docs = root / "docs"
    (docs / "evil.html").write_text('<script src="evil.js"></script>', encoding="utf-8")
    (docs / "evil.js").write_text("document.title = 'x'", encoding="utf-8")
    (docs / "host.txt").symlink_to(tmp_path / "outside.txt")
    (tmp_path / "outside.txt").write_text("secret", encoding="utf-8")
    (docs / "bad.svg").write_text(SVG_HEAD + "<script>alert(1)</script></svg>", encoding="utf-8")
    (docs / "章程.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    errors = _errors(root)
    for name, message in (("evil.html", "不发布网页、脚本一类的文件"), ("evil.js", "不发布网页、脚本一类的文件"),
                          ("host.txt", "指向 docs/ 之外"), ("bad.svg", "SVG 中有脚本")):
        assert any(e.startswith(f"docs/{name}: 错误: 这个文件不能发布") and message in e for e in errors), (name, errors)
    assert not any(e.startswith("docs/章程.pdf") for e in errors)
