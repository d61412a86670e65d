"""A content type defined only in the test suite (tests/notice/) goes everywhere a built-in one does.

It is registered in this process and the CLI is run here too (`cli.main`), so nothing of
the generator knows it: check, pages, nav, search with its own filter, references and
backlinks, its PDF, `zhengxie new`, drafts and the public edition, incremental builds.
"""
from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from browser import CHROMIUM, CHROMIUM_ARGS, SiteServer
from conftest import copy_project

from generator import cli, types
from generator.load import load_corpus

sys.path.insert(0, str(Path(__file__).parent))
from notice.notice_type import TYPE as NOTICE  # noqa: E402

NOTICE_TEXT = """---
title: 关于召开区政协常委会会议的通知
date: 2019-03-05
---

各位常委：定于三月十二日召开常委会会议，审议[[rule:kaoping|履职考评办法]]的修订稿。会议地点：区政协会议室。
"""
DRAFT_TEXT = "---\ntitle: 草稿中的通知\ndate: 2019-04-01\ndraft: true\n---\n\n尚未定稿的安排。\n"
INTERNAL_TEXT = "---\ntitle: 内部通知\ndate: 2019-05-01\ninternal: true\n---\n\n只发委员的安排。\n"


@pytest.fixture(scope="module")
def registered():
    types.register(NOTICE)
    yield NOTICE
    types.unregister(NOTICE)


def run(root: Path, capfd, *args: str) -> tuple[int, str]:
    code = cli.main([*args, "--root", str(root)])
    out = capfd.readouterr()
    return code, out.out + out.err


def notice_project(root: Path) -> Path:
    copy_project(root)
    folder = root / "content" / "notices"
    folder.mkdir()
    (folder / "changwei.md").write_text(NOTICE_TEXT, encoding="utf-8")
    (folder / "caogao.md").write_text(DRAFT_TEXT, encoding="utf-8")
    (folder / "neibu.md").write_text(INTERNAL_TEXT, encoding="utf-8")
    briefing = root / "content" / "briefings" / "2018" / "04.md"
    text = briefing.read_text(encoding="utf-8")
    # a citation of the notice, under its key and under its Chinese alias
    briefing.write_text(text.rstrip("\n") + "\n\n会前印发了[[notice:changwei]]，另见[[通知:neibu]]。\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(registered, tmp_path_factory):
    root = notice_project(tmp_path_factory.mktemp("notice") / "project")
    code = cli.main(["build", "--root", str(root)])
    assert code == 0
    return root


class Page(HTMLParser):
    """A built page read back: its links (href, text) and the text of each element with a class."""

    def __init__(self, html: str):
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.classes: dict[str, str] = {}
        self.open: list[tuple[str, list[str], list[str]]] = []  # (tag, classes, text pieces)
        self.feed(html)
        self.text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[html.index("<article"):html.index("</article>")]))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("br", "img", "input", "meta", "link", "hr"):
            return
        self.open.append((tag, (attrs.get("class") or "").split(), [], attrs.get("href")))

    def handle_endtag(self, tag):
        while self.open:
            name, classes, pieces, href = self.open.pop()
            text = "".join(pieces)
            if self.open:
                self.open[-1][2].append(text)
            for cls in classes:
                self.classes[cls] = self.classes.get(cls, "") + text
            if name == "a" and href is not None:
                self.links.append((href, text.strip()))
            if name == tag:
                break

    def handle_data(self, data):
        if self.open:
            self.open[-1][2].append(data)


def page(site: Path, path: str) -> Page:
    return Page((site / path).read_text(encoding="utf-8"))


def test_its_check_errors(registered, tmp_path, capfd):
    root = notice_project(tmp_path / "project")
    (root / "content/notices/changwei.md").write_text("---\ntitle: 没有日期的通知\n---\n\n见[[notice:nothing]]。\n", encoding="utf-8")
    code, output = run(root, capfd, "check")
    assert code == 1
    assert "content/notices/changwei.md:2: 错误: 缺少必填字段“date”" in output
    assert "content/notices/changwei.md:5: 错误: 引用 [[notice:nothing]] 找不到目标" in output
    assert "Traceback" not in output


def test_its_pages_and_the_nav(built):
    site = built / "site"
    notice = page(site, "notices/changwei/index.html")
    assert "关于召开区政协常委会会议的通知" in notice.classes["md-content"]
    assert "2019年3月5日" in notice.text
    assert ("../../rules/kaoping/", "履职考评办法") in notice.links  # its own reference, resolved
    assert ("changwei/", "关于召开区政协常委会会议的通知") in page(site, "notices/index.html").links
    home = page(site, "index.html")
    assert ("notices/", "通知") in home.links  # in the nav
    assert "通知" in home.classes["zx-home"]  # the home page's quick links
    assert ("notices/", "通知") in [(h, t) for h, t in home.links if "通知" == t]
    chronicle = page(site, "chronicle/2019/index.html")
    assert ("../../notices/changwei/", "关于召开区政协常委会会议的通知") in chronicle.links


def test_references_and_backlinks(built):
    site = built / "site"
    briefing = page(site, "briefings/2018/04/index.html")
    assert ("../../../notices/changwei/", "《关于召开区政协常委会会议的通知》") in briefing.links
    text = page(site, "notices/changwei/index.html").text
    assert "被引用" in text and "2018年第4期" in text.split("被引用", 1)[1]


def test_drafts_are_left_out_and_internal_ones_in_the_public_edition(built, registered, tmp_path, capfd):
    site = built / "site"
    assert not (site / "notices/caogao").exists()
    assert (site / "notices/neibu/index.html").is_file()
    public = tmp_path / "public"
    code, output = run(built, capfd, "build", "--public", "--no-pdf", "--site-dir", str(public))
    assert code == 0, output
    assert not (public / "notices/neibu").exists()
    assert (public / "notices/changwei/index.html").is_file()
    assert "内部资料" in page(public, "briefings/2018/04/index.html").text


def test_its_pdf(built):
    pdf = built / "site" / "pdf" / "notices" / "changwei.pdf"
    text = "".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
    assert "关于召开区政协常委会会议的通知" in text
    assert "《政协昆都仑区委员会委员履职考评办法（示例）》" not in text  # cited with the text given
    assert "履职考评办法" in text


def test_zhengxie_new_and_pdf(built, capfd, tmp_path):
    made = built / "content" / "notices" / "huiyi.md"
    try:
        code, output = run(built, capfd, "new", "notice", "huiyi")
        assert code == 0, output
        assert made.is_file() and output.strip() == "content/notices/huiyi.md"
        code, output = run(built, capfd, "new", "notice", "huiyi")
        assert code == 1 and "文件已存在" in output
    finally:
        made.unlink(missing_ok=True)  # the project stays as the other tests built it
    code, output = run(built, capfd, "new", "notice")
    assert code == 2 and "zhengxie new notice 后面要写英文短名" in output
    source = built / "content/notices/changwei.md"
    code, output = run(built, capfd, "pdf", str(source), "-o", str(tmp_path / "one.pdf"))
    assert code == 0, output
    assert (tmp_path / "one.pdf").read_bytes() == (built / "site/pdf/notices/changwei.pdf").read_bytes()


def test_incremental_build_renders_only_what_changed(built, capfd):
    unchanged = built / "site/rules/kaoping/index.html"
    before = unchanged.stat().st_ino
    source = built / "content/notices/changwei.md"
    source.write_text(NOTICE_TEXT.replace("区政协会议室", "区政协二楼会议室"), encoding="utf-8")
    code, output = run(built, capfd, "build")
    assert code == 0, output
    # the notice's page, and the tags index (always rendered): two pages rendered again
    assert "（新生成 2 页）" in output, output
    assert unchanged.stat().st_ino == before  # kept from the last build, not written again
    assert "二楼会议室" in (built / "site/notices/changwei/index.html").read_text(encoding="utf-8")


def test_search_has_its_own_filter(built):
    playwright_api = pytest.importorskip("playwright.sync_api")
    with SiteServer(built / "site") as server, playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tab = browser.new_page()
        tab.goto(server.url)
        tab.keyboard.press("/")
        chips = tab.locator(".zx-chip")
        chips.first.wait_for()
        assert "通知" in chips.all_inner_texts()
        tab.locator(".zx-search__input").fill("会议室")
        tab.wait_for_function("() => document.querySelector('.zx-search__results').dataset.query === '会议室||'")
        everything = [urlsplit(h).path for h in tab.eval_on_selector_all(".zx-result", "a => a.map(x => x.href)")]
        assert "/notices/changwei/" in everything
        tab.locator(".zx-chip", has_text="通知").click()
        tab.wait_for_function("() => document.querySelector('.zx-search__results').dataset.query === '会议室|通知|'")
        filtered = [urlsplit(h).path for h in tab.eval_on_selector_all(".zx-result", "a => a.map(x => x.href)")]
        assert filtered and all(p.startswith("/notices/") for p in filtered), filtered
        browser.close()


def test_every_declared_field_reaches_the_record(built):
    """record_from keeps only the record's attributes: a field declared but missing from the
    record would be read, checked and then silently dropped."""
    corpus, _ = load_corpus(built)
    for kind in types.registry():
        records = corpus.of(kind)
        assert records, f"no {kind.key} in the test project"
        attributes = {f.name for f in dataclasses.fields(type(records[0]))}
        assert {f.name for f in kind.fields} <= attributes, kind.key
