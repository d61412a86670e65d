"""Cross-references, backlinks, plan tracking, 大事记, statistics and related reading."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from conftest import REPO, zhengxie
from generator.load import load_corpus
from generator.pages.common import rel
from generator.references import ReferenceIndex, find, link

CONTENT = REPO / "content"


@pytest.fixture(scope="module")
def index() -> ReferenceIndex:
    corpus, problems = load_corpus(REPO)
    return ReferenceIndex(corpus)


@pytest.mark.parametrize(
    "written,target,text",
    [
        ("[[briefing:2018-02]]", "briefings/2018/02.md", "《政协工作简报》2018年第2期"),
        ("[[简报:2018-2]]", "briefings/2018/02.md", "《政协工作简报》2018年第2期"),
        ("[[briefing:2018-02#2]]", "briefings/2018/02.md#article-2", "《政协工作简报》2018年第2期《主席会议成员督办重点提案》"),
        ("[[wenshi:14]]", "wenshi/14/index.md", "《昆都仑文史》第十四辑"),
        ("[[文史:14/03]]", "wenshi/14/03-zhengji-jingli.md", "《昆都仑文史》第十四辑《我参加文史资料征集的经过（示例）》"),
        ("[[wenshi:14/3]]", "wenshi/14/03-zhengji-jingli.md", None),
        ("[[rule:kaoping]]", "rules/kaoping.md", "《政协昆都仑区委员会委员履职考评办法（示例）》"),
        ("[[制度:kaoping#第五条]]", "rules/kaoping.md#tiao-5", "《政协昆都仑区委员会委员履职考评办法（示例）》第五条"),
        ("[[rule:kaoping#第二十一条]]", "rules/kaoping.md#tiao-21", None),
        ("[[plan:2019]]", "plans/2019.md", "《2019年工作要点》"),
        ("[[计划:2019#jiaoyu-gongping]]", "plans/2019.md#xieshang-jiaoyu-gongping", "《2019年工作要点》协商计划“促进教育公平公正”"),
        ("[[report:2018]]", "reports/2018.md", "《2018年常委会工作报告》"),
        ("[[报告:2018]]", "reports/2018.md", "《2018年常委会工作报告》"),
        ("[[rule:kaoping#第五条|考评办法第五条]]", "rules/kaoping.md#tiao-5", "考评办法第五条"),
    ],
)
def test_every_form_and_alias_resolves(index, written, target, text):
    here = "briefings/2019/01.md"
    linked = link(f"见{written}。", here, index, rel)
    match = re.fullmatch(r"见\[(.+)\]\((.+)\)。", linked)
    assert match, linked
    assert match[2] == rel(here, target)
    if text:
        assert match[1] == text


def test_references_in_code_are_left_alone(index):
    body = "代码 `[[rule:kaoping]]` 不变。\n\n```\n[[rule:kaoping]]\n```\n"
    assert link(body, "briefings/2019/01.md", index, rel) == body
    assert find(body, 1) == []


def test_a_broken_reference_names_its_line_and_the_nearest_targets(project):
    issue = project / "content/briefings/2019/01.md"
    text = issue.read_text(encoding="utf-8").rstrip("\n") + "\n\n参见[[rule:kaopin#第五条]]和[[brief:2018-02]]。\n"
    issue.write_text(text, encoding="utf-8")
    line = len(text.rstrip("\n").split("\n"))
    result = zhengxie(project, "check")
    assert result.code == 1
    assert (
        f"content/briefings/2019/01.md:{line}: 错误: 引用 [[rule:kaopin#第五条]] 找不到目标；相近的有：[[rule:kaoping#第五条]]"
        in result.stderr
    )
    assert f"content/briefings/2019/01.md:{line}: 错误: 引用 [[brief:2018-02]] 的类型不认识" in result.stderr


def test_a_plans_entry_that_is_not_in_the_plan_is_an_error(project):
    issue = project / "content/briefings/2019/02.md"
    issue.write_text(issue.read_text(encoding="utf-8").replace("plans: [yingshang-huanjing]", "plans: [yingshang-huanjng]"), encoding="utf-8")
    result = zhengxie(project, "check")
    assert result.code == 1
    assert "content/briefings/2019/02.md:6: 错误: plans 中的“yingshang-huanjng”不是2019年工作要点里的协商计划 id；相近的有：yingshang-huanjing" in result.stderr


def visible(page: str) -> str:
    body = page[page.index("<article"):page.index("</article>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def section(page: str, anchor: str) -> str:
    start = page.index(f'id="{anchor}"')
    end = page.find("<h2", start + 1)
    return page[start:end if end > 0 else None]


def test_backlinks_on_the_targets_of_the_sample(built_site):
    rule = (built_site / "rules/kaoping/index.html").read_text(encoding="utf-8")
    cited = section(rule, "beiyinyong")
    assert 'href="../../briefings/2018/02/#article-2"' in cited
    assert "第六条" in cited  # which 条 is cited
    assert "提交提案情况是委员履职考评的内容之一" in cited  # the citing sentence
    earlier = (built_site / "briefings/2018/04/index.html").read_text(encoding="utf-8")
    assert 'href="../../2019/03/#article-1"' in section(earlier, "beiyinyong")
    plan = (built_site / "plans/2019/index.html").read_text(encoding="utf-8")
    assert 'href="../../briefings/2019/02/"' in section(plan, "beiyinyong")
    # the citing page links to the target
    citing = (built_site / "briefings/2018/02/index.html").read_text(encoding="utf-8")
    assert 'href="../../../rules/kaoping/#tiao-6"' in citing


def plan_rows(page: str) -> dict[str, str]:
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", page, re.S):
        anchor = re.search(r'id="xieshang-([^"]+)"', row)
        if anchor:
            rows[anchor[1]] = re.sub(r"<[^>]+>", " ", row)
    return rows


def test_plan_status_follows_the_briefings_that_report_on_it(project):
    assert zhengxie(project, "build", "--no-pdf").code == 0
    page = (project / "site/plans/2019/index.html").read_text(encoding="utf-8")
    listed = {
        entry
        for file in (project / "content/briefings").glob("2019/*.md")
        for entry in (yaml.safe_load(file.read_text(encoding="utf-8").split("---")[1]).get("plans") or [])
    }
    rows = plan_rows(page)
    assert rows and listed
    for ident, row in rows.items():
        assert ("已报道" in row) == (ident in listed), ident
    assert f"已报道 {len(listed)} 项" in page
    assert "jiaoyu-gongping" not in listed

    (project / "content/briefings/2019/04.md").write_text(
        "---\nnumber: 4\ndate: 2019-09-20\nplans: [jiaoyu-gongping]\n---\n\n## 区政协界别协商教育公平\n\n正文。\n", encoding="utf-8"
    )
    assert zhengxie(project, "build", "--no-pdf").code == 0
    page = (project / "site/plans/2019/index.html").read_text(encoding="utf-8")
    row = plan_rows(page)["jiaoyu-gongping"]
    assert "已报道" in row and "2019年第4期" in row and "2019年9月20日" in row
    assert f"已报道 {len(listed) + 1} 项" in page


def front(file: Path) -> dict:
    return yaml.safe_load(file.read_text(encoding="utf-8").split("---")[1]) or {}


def chart(page: str, key: str) -> list[tuple[str, int]]:
    svg = section(page, key)
    return [(label, int(value)) for label, value in re.findall(r'data-label="([^"]+)" data-value="(\d+)"', svg)]


def test_chart_numbers_equal_counts_of_the_content(built_site):
    page = (built_site / "stats/index.html").read_text(encoding="utf-8")
    files = sorted(CONTENT.glob("briefings/*/*.md"))
    per_year = Counter(f.parent.name for f in files)
    assert chart(page, "briefings") == [(f"{y}年", n) for y, n in sorted(per_year.items())]
    articles = Counter()
    for f in files:
        articles[f.parent.name] += sum(1 for line in f.read_text(encoding="utf-8").split("\n") if line.startswith("## "))
    assert chart(page, "articles") == [(f"{y}年", n) for y, n in sorted(articles.items())]
    sections = Counter(front(f)["section"] for f in CONTENT.glob("wenshi/*/[0-9][0-9]-*.md"))
    assert dict(chart(page, "sections")) == dict(sections)
    tags = Counter(t for f in [*files, *CONTENT.glob("wenshi/*/[0-9][0-9]-*.md")] for t in front(f).get("tags") or [])
    expected = sorted(tags.items(), key=lambda i: (-i[1], i[0]))[:10]
    assert chart(page, "tags") == expected


def test_chronicle_lists_dated_items_in_order(built_site):
    page = (built_site / "chronicle/2019/index.html").read_text(encoding="utf-8")
    text = visible(page)
    for file in sorted(CONTENT.glob("briefings/2019/*.md")):
        for line in file.read_text(encoding="utf-8").split("\n"):
            if line.startswith("## "):
                assert line[3:] in text
    days = [(int(m), int(d)) for m, d in re.findall(r"(\d+)月(\d+)日", text)]
    assert days == sorted(days)
    assert "党派协商" in text  # a consultation item with a month (2019-06)
    rules_year = visible((built_site / "chronicle/2018/index.html").read_text(encoding="utf-8"))
    assert "通过" in rules_year and "施行" in rules_year


def test_related_reading_shares_tags(built_site):
    page = (built_site / "briefings/2018/04/index.html").read_text(encoding="utf-8")
    related = section(page, "xiangguan")
    assert 'href="../../2019/03/"' in related  # both tagged 脱贫攻坚
    assert len(re.findall(r"<li>", related)) <= 5


def test_print_shows_citations_not_syntax(built_site):
    from pdfinspect import page_count, page_text

    pdf = built_site / "pdf/briefings/2018/02.pdf"
    text = "".join(page_text(pdf, n) for n in range(1, page_count(pdf) + 1)).replace("\n", "")
    assert "《政协昆都仑区委员会委员履职考评办法（示例）》第六条" in text
    assert "[[" not in text


def test_a_reference_to_a_draft_is_plain_text_until_the_draft_is_published(project):
    target = project / "content/briefings/2018/04.md"
    target.write_text(target.read_text(encoding="utf-8").replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8")
    assert zhengxie(project, "check").code == 0  # drafts are checked and can be cited
    assert zhengxie(project, "build", "--no-pdf").code == 0
    citing = (project / "site/briefings/2019/03/index.html").read_text(encoding="utf-8")
    assert "2018年第4期" in citing and 'href="../../2018/04/' not in citing
    assert zhengxie(project, "build", "--no-pdf", "--drafts").code == 0
    citing = (project / "site/briefings/2019/03/index.html").read_text(encoding="utf-8")
    assert 'href="../../2018/04/#article-1"' in citing
