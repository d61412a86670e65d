"""End-to-end: the sample content built by `zhengxie build`, checked page by page.

Expected pages and anchors are derived here from the content files themselves,
independently of the generator's code.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from conftest import REPO

CONTENT = REPO / "content"


def html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def ids(page: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', page))


def text_of(page: str) -> str:
    """Visible text of the article body (tags stripped, whitespace collapsed)."""
    body = page[page.index('<article'):page.index("</article>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def briefing_files():
    return sorted(CONTENT.glob("briefings/*/*.md"))


def test_every_briefing_has_a_page_with_one_anchor_per_article(built_site):
    assert briefing_files(), "the sample has briefings"
    for file in briefing_files():
        page = html(built_site, f"briefings/{file.parent.name}/{file.stem}")
        articles = [l for l in file.read_text(encoding="utf-8").split("\n") if l.startswith("## ")]
        assert articles
        for number, heading in enumerate(articles, start=1):
            assert f'id="article-{number}"' in page
            assert heading[3:].strip() in page
        assert f'id="article-{len(articles) + 1}"' not in page


def test_briefing_page_shows_title_masthead_and_neighbours(built_site):
    page = html(built_site, "briefings/2018/04")
    assert "<h1" in page and "《政协工作简报》2018年第4期" in page
    visible = text_of(page)
    assert "第4期（专刊）" in visible
    assert "总第104期" in visible
    assert "政协昆都仑区委员会办公室" in visible
    assert "2018年12月20日" in visible
    assert "编者按" in visible
    assert 'href="../03/"' in page  # previous issue
    assert 'href="../../2019/01/"' in page  # next issue, across the year
    # the article titles are listed under the title, linking to their anchors
    assert page.index('href="#article-1"') < page.index('id="article-1"')


def test_briefing_without_editor_note_has_none(built_site):
    source = (CONTENT / "briefings/2018/01.md").read_text(encoding="utf-8")
    assert "\n> " not in source
    assert "编者按" not in text_of(html(built_site, "briefings/2018/01"))


def test_briefing_indexes_list_every_issue(built_site):
    for year_dir in sorted(CONTENT.glob("briefings/*")):
        page = html(built_site, f"briefings/{year_dir.name}")
        for file in year_dir.glob("*.md"):
            assert f'href="{file.stem}/"' in page
    index = html(built_site, "briefings")
    assert 'href="2018/"' in index and 'href="2019/"' in index


def test_rule_page_anchors_every_tiao(built_site):
    source = (CONTENT / "rules/kaoping.md").read_text(encoding="utf-8")
    count = len(re.findall(r"^第[一二三四五六七八九十百]+条[ \u3000]", source, re.MULTILINE))
    assert count >= 12
    page = html(built_site, "rules/kaoping")
    anchors = ids(page)
    assert {f"tiao-{n}" for n in range(1, count + 1)} <= anchors
    assert f"tiao-{count + 1}" not in anchors
    assert re.search(r'<p class="zx-tiao" id="tiao-5"><strong>第五条</strong>', page)
    chapters = re.findall(r"^## (第.+章.*)$", source, re.MULTILINE)
    assert len(chapters) >= 3
    for chapter in chapters:
        assert chapter in page
    assert "现行" in html(built_site, "rules")


def test_wenshi_volume_and_articles(built_site):
    volume = html(built_site, "wenshi/14")
    assert "《昆都仑文史》第十四辑" in volume
    sections = re.findall(r"^  - (.+)$", (CONTENT / "wenshi/14/volume.yml").read_text(encoding="utf-8"), re.MULTILINE)
    positions = [volume.index(f">{s}<") for s in sections]
    assert positions == sorted(positions), "栏目 appear in the volume's order"
    for file in sorted(CONTENT.glob("wenshi/14/[0-9][0-9]-*.md")):
        assert f'href="{file.stem}/"' in volume
        assert (built_site / "wenshi/14" / file.stem / "index.html").is_file()
    assert 'href="preface/"' in volume and 'href="afterword/"' in volume
    oral = text_of(html(built_site, "wenshi/14/03-zhengji-jingli"))
    assert "口述" in oral and "整理" in oral


def test_article_image_is_published_with_its_caption(built_site):
    assert (built_site / "wenshi/14/02-laozhaopian-zhengli.svg").is_file()
    page = html(built_site, "wenshi/14/02-laozhaopian-zhengli")
    assert re.search(r'<figure class="zx-figure">\s*<img alt="[^"]+" src="\.\./02-laozhaopian-zhengli\.svg"', page)
    assert "<figcaption>示例图片" in page


def test_report_and_plan(built_site):
    report = html(built_site, "reports/2018")
    captions = re.findall(r"^!\[(.+)\]\(图略\)$", (CONTENT / "reports/2018.md").read_text(encoding="utf-8"), re.MULTILINE)
    assert len(captions) == 3
    for caption in captions:
        assert f'<figcaption>{caption}<span class="zx-omitted">（图略）</span></figcaption>' in report
    assert "图略" not in re.sub(r"（图略）", "", text_of(report))
    plan = html(built_site, "plans/2019")
    consultation_ids = re.findall(r"^  - id: (.+)$", (CONTENT / "plans/2019.md").read_text(encoding="utf-8"), re.MULTILINE)
    assert len(consultation_ids) >= 4
    for consultation in consultation_ids:
        assert f'id="xieshang-{consultation}"' in plan
    assert "专题协商" in plan and "<table>" in plan


def test_home_tags_and_navigation(built_site):
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="briefings/2019/03/"' in home  # the latest issue
    assert 'href="plans/2019/"' in home
    assert 'href="wenshi/14/"' in home
    assert "<!-- zhengxie:home -->" not in home
    tags = html(built_site, "tags")
    assert "脱贫攻坚" in tags
    header = home.split('class="md-content"')[0]
    tabs = re.findall(r'<a href="([^"]+)" class="md-tabs__link">\s*([^<]+?)\s*</a>', header)
    assert {("briefings/", "简报"), ("wenshi/", "文史"), ("rules/", "制度"), ("plans/", "计划"), ("reports/", "报告")} <= set(tabs)
    # the nav lists collections and years, not every issue
    nav = html(built_site, "briefings").split('class="md-content"')[0]
    assert 'href="2018/"' in nav and 'href="2019/"' in nav
    assert 'href="2018/01/"' not in nav


class _Requests(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "iframe") and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and attrs.get("href") and attrs.get("rel") in ("stylesheet", "preconnect", "preload", "icon"):
            self.urls.append(attrs["href"])


def test_no_request_to_another_host(built_site):
    pages = list(built_site.rglob("*.html"))
    assert len(pages) > 20
    for file in pages:
        parser = _Requests()
        parser.feed(file.read_text(encoding="utf-8"))
        remote = [u for u in parser.urls if re.match(r"^(https?:)?//", u)]
        assert not remote, f"{file}: {remote}"
    for css in built_site.rglob("*.css"):
        assert "fonts.googleapis" not in css.read_text(encoding="utf-8")


def test_bold_text_next_to_chinese_punctuation_is_bold(built_site):
    # **《书名》** and **“引语”** are common in Chinese documents; none may show its asterisks
    about = (built_site / "about/index.html").read_text(encoding="utf-8")
    assert "<strong>《昆都仑文史》第十四辑（示例）</strong>" in about
    for page in built_site.rglob("index.html"):
        article = page.read_text(encoding="utf-8").split("<article", 1)[-1].split("</article>", 1)[0]
        assert "**" not in re.sub(r"<(pre|code)\b.*?</\1>", "", article, flags=re.S), page


class _TagHeadings(HTMLParser):
    """Each heading of the tags index: the text of the tag it holds (a span.md-tag inside an h2)."""

    def __init__(self):
        super().__init__()
        self.heading, self.in_tag, self.tags, self.text = False, False, [], []

    def handle_starttag(self, tag, attrs):
        if tag == "h2":
            self.heading = True
        elif self.heading and tag == "span" and "md-tag" in (dict(attrs).get("class") or ""):
            self.in_tag = True
            self.tags.append("")

    def handle_endtag(self, tag):
        if tag == "span":
            self.in_tag = False
        elif tag == "h2":
            self.heading = False

    def handle_data(self, data):
        if self.in_tag:
            self.tags[-1] += data.strip()
        if self.heading:
            self.text.append(data)


def test_the_tags_index_heads_each_tag_with_the_tag_itself(built_site):
    """Every tag of the content heads its listing as a tag, not as markup shown as text."""
    parser = _TagHeadings()
    parser.feed(html(built_site, "tags"))
    used = {t for f in (REPO / "content").rglob("*.md") for t in re.findall(r"^tags: \[(.*)\]$", f.read_text(encoding="utf-8"), re.M)}
    expected = {t.strip() for line in used for t in line.split(",")}
    assert set(parser.tags) == expected
    assert not any("<" in text for text in parser.text)
