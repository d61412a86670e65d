"""Nothing is tied to the sample committee: another committee's small tree builds, names and all."""
from __future__ import annotations

import shutil
from pathlib import Path

from conftest import REPO, zhengxie

SITE_YML = """committee: 政协示例市东城区委员会
short_name: 东城区政协
office: 政协示例市东城区委员会办公室
term: 第三届
briefing:
  title: 东城政协
  distribution:
    报: [市政协]
  copies: 80
"""

ISSUE = """---
number: 1
date: 2023-02-01
---

## 区政协召开全体会议

会议听取并审议了常委会工作报告。
"""

OLD_RULE = """---
title: 委员学习制度
adopted: 2020-01-01
status: 已修订
---

第一条 委员应当参加学习。
"""

NEW_RULE = """---
title: 委员学习制度（修订）
adopted: 2023-01-10
effective: 2023-02-01
status: 现行
supersedes: xuexi
---

## 第一章 总则

第一条　委员应当参加学习。

第二条　本制度自印发之日起施行。
"""


def write(root: Path, path: str, text: str) -> None:
    file = root / path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text, encoding="utf-8")


def make_project(root: Path) -> Path:
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    write(root, "content/site.yml", SITE_YML)
    write(root, "content/briefings/2023/01.md", ISSUE)
    write(root, "content/rules/xuexi.md", OLD_RULE)
    write(root, "content/rules/xuexi-2023.md", NEW_RULE)
    # a volume with neither 序 nor 后记, and a 栏目 without articles
    write(root, "content/wenshi/01/volume.yml", "series: 东城文史\nnumber: 1\nsections: [往事, 人物]\n")
    write(root, "content/wenshi/01/01-wangshi.md", "---\ntitle: 一条老街\nsection: 往事\n---\n\n正文。\n")
    return root


def test_another_committee_builds_with_its_own_names(tmp_path):
    root = make_project(tmp_path / "other")
    result = zhengxie(root, "build")
    assert result.code == 0, result.output
    home = (root / "site/index.html").read_text(encoding="utf-8")
    assert "<title>首页 - 东城区政协</title>" in home
    assert "政协示例市东城区委员会" in home
    assert "昆都仑" not in home
    issue = (root / "site/briefings/2023/01/index.html").read_text(encoding="utf-8")
    assert "《东城政协》2023年第1期" in issue
    assert "昆都仑" not in issue
    for empty in ("plans", "reports"):
        assert (root / "site" / empty / "index.html").is_file()
    volume = (root / "site/wenshi/01/index.html").read_text(encoding="utf-8")
    assert "《东城文史》第一辑" in volume and 'href="01-wangshi/"' in volume
    assert (root / "site/pdf/wenshi/01.pdf").is_file()


def test_rules_link_to_what_they_supersede_and_back(tmp_path):
    root = make_project(tmp_path / "other")
    assert zhengxie(root, "build").code == 0
    new = (root / "site/rules/xuexi-2023/index.html").read_text(encoding="utf-8")
    old = (root / "site/rules/xuexi/index.html").read_text(encoding="utf-8")
    assert '本制度替代<a href="../xuexi/">《委员学习制度》</a>' in new
    assert '本制度已被<a href="../xuexi-2023/">《委员学习制度（修订）》</a>替代' in old
    assert 'id="tiao-2"' in new and 'id="tiao-1"' in old  # a half-width space after 第一条 works too
    listing = (root / "site/rules/index.html").read_text(encoding="utf-8")
    assert listing.index("xuexi-2023/") < listing.index('href="xuexi/"'), "current rules are listed first"
    assert "zx-badge--revised" in listing


def test_supersedes_an_unknown_rule_is_an_error(tmp_path):
    root = make_project(tmp_path / "other")
    path = root / "content/rules/xuexi-2023.md"
    path.write_text(NEW_RULE.replace("supersedes: xuexi", "supersedes: xuexl"), encoding="utf-8")
    result = zhengxie(root, "check")
    assert result.code == 1
    assert "content/rules/xuexi-2023.md:6: 错误: supersedes 指向的制度“xuexl”不存在" in result.stderr
    assert "您是否想写“xuexi”？" in result.stderr
