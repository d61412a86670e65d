"""The built site in a real browser (Debian's Chromium through Playwright)."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import playwright.sync_api as playwright_api  # a test requirement (pyproject's `test` extra): missing fails, never skips
import pytest
import yaml

from browser import CHROMIUM, CHROMIUM_ARGS, SiteServer
from conftest import ARTIFACTS, REPO

QUERIES = yaml.safe_load((Path(__file__).parent / "search_queries.yml").read_text(encoding="utf-8"))
SCREENSHOTS = REPO / ".cache" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def server(built_site):
    with SiteServer(built_site) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def watched(browser, server):
    """A fresh page that records console errors and every host it contacts."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.errors, page.hosts = [], set()
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("request", lambda r: page.hosts.add(urlsplit(r.url).hostname))
    yield page
    assert page.hosts <= {"127.0.0.1"}, f"requests left the site: {page.hosts}"
    context.close()


def search(page, query: str) -> list[str]:
    """Type a query into the header's search and return the result paths, in order."""
    if page.locator(".zx-search").count() == 0 or page.locator(".zx-search").is_hidden():
        page.keyboard.press("/")
    box = page.locator(".zx-search__input")
    box.fill(query)
    return top_ten(page, query)


def shown(page, query: str, collection: str = "", year: str = "") -> list[str]:
    """The result paths once the list shows this query with these filters."""
    page.wait_for_function(
        "want => document.querySelector('.zx-search__results').dataset.query === want",
        arg=f"{query}|{collection}|{year}",
    )
    return [urlsplit(h).path.lstrip("/") for h in page.eval_on_selector_all(".zx-result", "links => links.map(a => a.href)")]


def top_ten(page, query: str, collection: str = "", year: str = "") -> list[str]:
    """The first ten results: the list shows five, the button under it the next five."""
    results = shown(page, query, collection, year)
    more = page.locator(".zx-search__more")
    if len(results) == 5 and more.is_visible():
        more.click()
        page.wait_for_function("() => document.querySelectorAll('.zx-result').length > 5")
        results = shown(page, query, collection, year)
    return results[:10]


def test_home_renders_without_console_errors(watched, server):
    response = watched.goto(server.url)
    assert response.status == 200
    assert watched.locator("h1").first.inner_text().rstrip("¶") == "政协昆都仑区委员会"
    assert watched.locator(".zx-search-button").is_visible()
    watched.wait_for_load_state("networkidle")
    assert watched.errors == []


def test_every_nav_section_opens(watched, server):
    watched.goto(server.url)
    tabs = watched.eval_on_selector_all(".md-tabs__link", "links => links.map(a => [a.textContent.trim(), a.href])")
    assert {name for name, _ in tabs} >= {"简报", "文史", "制度", "计划", "报告"}
    for name, href in tabs:
        response = watched.goto(href)
        assert response.status == 200, name
        assert watched.locator("article h1").count() >= 1 or name == "首页", name
    assert watched.errors == []


def test_search_recall_over_the_query_set(watched, server):
    watched.goto(server.url)
    assert len(QUERIES) >= 25
    expected = found = 0
    misses = []
    for query, pages in QUERIES.items():
        results = search(watched, query)[:10]
        for wanted in pages:
            expected += 1
            if wanted in results:
                found += 1
            else:
                misses.append((query, wanted, results))
    recall = found / expected
    print(f"search recall@10 over {len(QUERIES)} queries: {found}/{expected} = {recall:.3f}")
    assert recall >= 0.95, misses


def test_results_show_title_collection_and_highlighted_excerpt(watched, server):
    watched.goto(server.url)
    watched.keyboard.press("/")
    watched.locator(".zx-search__input").fill("送医送药")
    shown(watched, "送医送药")
    first = watched.locator(".zx-result").first
    titles = watched.locator(".zx-result__title").all_inner_texts()
    assert titles and all(t and "¶" not in t for t in titles)
    assert first.locator(".zx-result__collection").inner_text() in {"简报", "文史", "制度", "计划", "报告"}
    marks = first.locator(".zx-result__excerpt mark").all_inner_texts()
    assert "送医送药" in "".join(marks)
    assert len(titles) == 5  # a first batch; the rest come with the button under the list
    assert watched.locator(".zx-search__more").is_visible()


def test_a_query_with_a_word_found_nowhere_finds_nothing(watched, server):
    """Pagefind on its own leaves out a query word no page has; every word must be found."""
    watched.goto(server.url)
    assert search(watched, "提案")
    assert search(watched, "提案鑫鑫") == []
    assert watched.locator(".zx-search__status").inner_text() == "没有找到相关内容"


def test_filters_narrow_by_collection_and_year(watched, server):
    watched.goto(server.url)
    everything = search(watched, "提案")
    assert any(p.startswith("briefings/") for p in everything) and any(p.startswith("reports/") for p in everything)
    watched.locator('.zx-chip[data-collection="简报"]').click()
    only = top_ten(watched, "提案", "简报")
    assert only and all(p.startswith("briefings/") for p in only)
    watched.locator(".zx-search__year").focus()  # the year list is filled from the index when opened
    watched.wait_for_selector('.zx-search__year option[value="2019"]', state="attached")
    watched.locator(".zx-search__year").select_option("2019")
    year = top_ten(watched, "提案", "简报", "2019")
    assert year and all(p.startswith("briefings/2019") for p in year)


def test_a_result_click_lands_on_the_highlighted_hit(watched, server):
    watched.goto(server.url)
    results = search(watched, "办复率")
    assert "reports/2018/" in results
    watched.locator(".zx-result", has=watched.locator('xpath=self::*[contains(@href, "reports/2018/")]')).first.click()
    watched.wait_for_load_state("load")
    assert "/reports/2018/" in watched.url
    hit = watched.locator("mark.zx-hit").first
    assert hit.inner_text() == "办复率"
    assert hit.is_visible()
    box = hit.bounding_box()
    assert 0 <= box["y"] <= DESKTOP["height"], "scrolled to the hit"
    assert watched.evaluate("window.scrollY") > 0


def test_keyboard_opens_and_closes_search(watched, server):
    watched.goto(server.url + "rules/kaoping/")
    watched.keyboard.press("/")
    assert watched.evaluate("document.activeElement.classList.contains('zx-search__input')")
    watched.keyboard.press("Escape")
    assert watched.locator(".zx-search").is_hidden()


def test_every_pdf_link_answers_with_a_pdf(watched, server, built_site):
    links = set()
    for html in built_site.rglob("*.html"):
        for href in re.findall(r'class="zx-pdf" href="([^"]+)"', html.read_text(encoding="utf-8")):
            page_url = server.url + html.parent.relative_to(built_site).as_posix() + "/"
            links.add(urlsplit(watched.evaluate("([h, b]) => new URL(h, b).href", [href, page_url])).path)
    assert len(links) >= 5
    for path in sorted(links):
        response = watched.request.get(server.url.rstrip("/") + path)
        assert response.status == 200, path
        assert response.headers["content-type"] == "application/pdf", path


@pytest.mark.parametrize(
    "url", ["", "briefings/2018/04/", "rules/kaoping/", "wenshi/14/02-laozhaopian-zhengli/"]
)
def test_phone_viewport_has_no_horizontal_overflow(browser, server, url):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(server.url + url)
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    context.close()
    assert width[0] <= width[1], f"{url}: content {width[0]} px wide in a {width[1]} px viewport"


def test_search_follows_the_dark_palette(browser, server):
    context = browser.new_context(viewport=DESKTOP, color_scheme="dark")
    page = context.new_page()
    page.goto(server.url)
    page.keyboard.press("/")
    colour = page.evaluate("getComputedStyle(document.querySelector('.zx-search__panel')).backgroundColor")
    context.close()
    channels = [int(c) for c in re.findall(r"\d+", colour)[:3]]
    assert sum(channels) / 3 < 80, colour


def test_screenshots_for_a_person_to_look_at(browser, server):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):  # an earlier run's files must not count as this run's
        old.unlink()
    for name, viewport, mobile in (("desktop", DESKTOP, False), ("phone", PHONE, True)):
        context = browser.new_context(viewport=viewport, is_mobile=mobile, has_touch=mobile, device_scale_factor=2 if mobile else 1)
        page = context.new_page()
        page.goto(server.url)
        page.screenshot(path=SCREENSHOTS / f"home-{name}.png", full_page=True)
        search(page, "脱贫攻坚")
        page.screenshot(path=SCREENSHOTS / f"search-{name}.png")
        context.close()
    assert {p.name for p in SCREENSHOTS.glob("*.png")} == {
        f"{kind}-{name}.png" for kind in ("home", "search") for name in ("desktop", "phone")
    }
    ARTIFACTS.append(SCREENSHOTS)


def test_search_works_when_the_site_is_served_under_a_sub_path(browser, built_site, tmp_path):
    import shutil

    shutil.copytree(built_site, tmp_path / "zhengxie")
    with SiteServer(tmp_path) as server:
        page = browser.new_page()
        page.goto(server.url + "zhengxie/rules/kaoping/")
        results = search(page, "办复率")
        assert "zhengxie/reports/2018/" in results
        page.goto(server.url + "zhengxie/reports/2018/?q=办复率")
        assert page.locator("mark.zx-hit").first.inner_text() == "办复率"
        page.close()


COLLECTIONS_META = re.compile(r'<meta name="zhengxie:collections" content="([^"]*)">')


def test_every_page_lists_the_collections_in_its_head(built_site):
    import html
    import json

    pages = list(built_site.rglob("*.html"))
    assert built_site / "404.html" in pages  # the theme's own templates carry it too
    for file in pages:
        text = file.read_text(encoding="utf-8")
        found = COLLECTIONS_META.findall(text)
        assert len(found) == 1 and text.index(found[0]) < text.index("</head>"), file
        assert json.loads(html.unescape(found[0])) == ["简报", "文史", "制度", "计划", "报告"], file


def test_the_search_box_takes_its_chips_from_the_page(browser, built_site, tmp_path):
    """Other labels in the <meta> give other chips and placeholder; no <meta>, only 全部."""
    import shutil

    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    listed = site / "rules" / "kaoping" / "index.html"
    text = listed.read_text(encoding="utf-8")
    listed.write_text(COLLECTIONS_META.sub('<meta name="zhengxie:collections" content="[&quot;甲类&quot;,&quot;乙&lt;类&gt;&quot;]">', text), encoding="utf-8")
    bare = site / "reports" / "2018" / "index.html"
    bare.write_text(COLLECTIONS_META.sub("", bare.read_text(encoding="utf-8")), encoding="utf-8")
    with SiteServer(site) as server:
        page = browser.new_page()
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        for path, chips, placeholder in [
            ("rules/kaoping/", ["全部", "甲类", "乙<类>"], "搜索甲类、乙<类>"),
            ("reports/2018/", ["全部"], "搜索"),
        ]:
            page.goto(server.url + path)
            page.keyboard.press("/")
            assert page.locator(".zx-chip").all_inner_texts() == chips
            assert page.locator(".zx-search__input").get_attribute("placeholder") == placeholder
            assert search(page, "办复率")  # the box still works (and the index is loaded before leaving)
        page.close()
    assert not errors, errors
