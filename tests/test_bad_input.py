"""Each kind of bad input: a Chinese message naming path:line, exit 1, nothing written."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import tree_digest, zhengxie

B1 = "content/briefings/2018/01.md"  # lines 2-5: number, date, total, tags
RULE = "content/rules/kaoping.md"
ART = "content/wenshi/14/01-jiexiang-bianqian.md"


def replace_in(root: Path, path: str, old: str, new: str) -> None:
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(root: Path, path: str, needle: str) -> int:
    lines = (root / path).read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def malformed_yaml(root):
    replace_in(root, B1, "total: 101\n", "total: 101: 102\n")
    return B1, 4, "YAML 格式错误"


def missing_field(root):
    replace_in(root, B1, "date: 2018-03-28\n", "")
    return B1, 2, "缺少必填字段“date”"


def number_in_words(root):
    replace_in(root, B1, "number: 1\n", "number: 十二\n")
    return B1, 2, "字段“number”应为阿拉伯数字写的整数（如 12），而不是“十二”"


def impossible_date(root):
    replace_in(root, B1, "date: 2018-03-28", "date: 2018-13-45")
    return B1, 3, "日期 2018-13-45 不存在"


def date_not_iso(root):
    replace_in(root, B1, "date: 2018-03-28", "date: 2018年3月28日")
    return B1, 3, "日期应写成 YYYY-MM-DD"


B2 = "content/briefings/2018/02.md"


def duplicate_number(root):
    replace_in(root, B2, "number: 2\n", "number: 1\n")
    return B2, 1, f"2018年第1期重复：{B1} 也是第1期"


def file_name_not_padded(root):
    (root / B1).rename(root / "content/briefings/2018/1.md")
    return "content/briefings/2018/1.md", None, "简报文件应以编号命名，不足两位时前面补 0（如 01），而不是“1”"


def bad_optional_values(root):
    replace_in(root, B1, "total: 101\n", "total: 一百零一\nkind: 特刊\n")
    return B1, 4, "字段“total”应为阿拉伯数字写的整数"


def article_name_not_padded(root):
    (root / ART).rename(root / "content/wenshi/14/001-jiexiang-bianqian.md")
    return "content/wenshi/14/001-jiexiang-bianqian.md", None, "文章文件名应为“两位序号-英文短名.md”"


def date_outside_year(root):
    replace_in(root, B1, "date: 2018-03-28", "date: 2019-03-28")
    return B1, 3, "日期 2019-03-28 不在所在目录的年份 2018 年内"


def unknown_key(root):
    replace_in(root, B1, "tags:", "tag:")
    return B1, 5, "未知字段“tag”，您是否想写“tags”？"


def tiao_gap(root):
    line = line_of(root, RULE, "第五条　")
    replace_in(root, RULE, "第五条　", "第六条　")
    return RULE, line, "条号不连续：此处应为第五条，而不是第六条"


def tiao_repeat(root):
    line = line_of(root, RULE, "第六条　")
    replace_in(root, RULE, "第六条　", "第五条　")
    return RULE, line, "第五条重复"


def section_not_in_volume(root):
    replace_in(root, ART, "section: 城区变迁", "section: 城区变化")
    return ART, 3, "栏目“城区变化”不在第14辑的栏目中（城区变迁、口述历史、征集札记），您是否想写“城区变迁”？"


def missing_image(root):
    (root / "content/wenshi/14/02-laozhaopian-zhengli.svg").unlink()
    path = "content/wenshi/14/02-laozhaopian-zhengli.md"
    return path, line_of(root, path, "![示例图片"), "找不到图片“02-laozhaopian-zhengli.svg”"


def not_utf8(root):
    path = "content/briefings/2019/01.md"
    text = (root / path).read_text(encoding="utf-8")
    lines = text.split("\n")
    lines[9] = "这一行用 GBK 保存"
    (root / path).write_bytes("\n".join(lines).encode("gbk"))
    first_bad = next(i for i, line in enumerate(lines, start=1) if not line.isascii())
    return path, first_bad, "文件不是 UTF-8 编码"


def empty_file(root):
    path = "content/briefings/2019/03.md"
    (root / path).write_text("", encoding="utf-8")
    return path, 1, "文件为空"


def name_disagrees_with_number(root):
    replace_in(root, B1, "number: 1\n", "number: 5\n")
    return B1, 2, "文件名 01.md 与“number: 5”不一致（应为 1）"


def briefing_without_article(root):
    path = "content/briefings/2018/02.md"
    text = (root / path).read_text(encoding="utf-8")
    (root / path).write_text(text.replace("\n## ", "\n### "), encoding="utf-8")
    return path, None, "本期没有文章"


def bad_consultation_form(root):
    path = "content/plans/2019.md"
    line = line_of(root, path, "form: 界别协商")
    replace_in(root, path, "form: 界别协商", "form: 界别座谈")
    return path, line, "字段“form”应为 综合协商 | 专题协商 | 对口协商 | 界别协商 | 党派协商 | 提案办理协商 | 其他 之一"


def malformed_volume_yaml(root):
    path = "content/wenshi/14/volume.yml"
    replace_in(root, path, "  - 口述历史\n", "  - 口述历史\n   bad: [\n")
    return path, None, "YAML 格式错误"


def site_yml_missing_field(root):
    replace_in(root, "content/site.yml", "office: ", "offfice: ")
    return "content/site.yml", 4, "未知字段“offfice”，您是否想写“office”？"


def pdf_x_is_not_supported(root):
    site = root / "content/site.yml"
    site.write_text(site.read_text(encoding="utf-8") + "print:\n  pdf_standard: x-4\n", encoding="utf-8")
    line = len(site.read_text(encoding="utf-8").rstrip("\n").split("\n"))
    return "content/site.yml", line, "Typst 不能生成 PDF/X"


CASES = [
    malformed_yaml,
    missing_field,
    number_in_words,
    impossible_date,
    date_not_iso,
    duplicate_number,
    file_name_not_padded,
    bad_optional_values,
    article_name_not_padded,
    date_outside_year,
    unknown_key,
    tiao_gap,
    tiao_repeat,
    section_not_in_volume,
    missing_image,
    not_utf8,
    empty_file,
    name_disagrees_with_number,
    briefing_without_article,
    bad_consultation_form,
    malformed_volume_yaml,
    site_yml_missing_field,
    pdf_x_is_not_supported,
]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_bad_input_is_reported_and_nothing_is_written(project, case):
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("the published site", encoding="utf-8")
    path, line, message = case(project)
    content_before = tree_digest(project / "content")

    checked = zhengxie(project, "check")
    assert checked.code == 1, checked.output
    assert "Traceback" not in checked.output
    prefix = f"{path}:{line}: 错误: " if line else f"{path}:"
    matching = [l for l in checked.stderr.splitlines() if l.startswith(prefix) and message in l]
    assert matching, f"expected {prefix}…{message}… in:\n{checked.stderr}"

    built = zhengxie(project, "build")
    assert built.code == 1, built.output
    assert "Traceback" not in built.output
    assert matching[0] in built.stderr
    assert "未生成网站" in built.stderr

    assert tree_digest(project / "content") == content_before
    assert tree_digest(site) == {"index.html": tree_digest(site)["index.html"]}
    assert (site / "index.html").read_text(encoding="utf-8") == "the published site"


def test_duplicate_number_names_both_files(project):
    duplicate_number(project)
    result = zhengxie(project, "check")
    assert f"{B2}:1: 错误: 2018年第1期重复：{B1} 也是第1期" in result.stderr
    assert f"{B1}:1: 错误: 2018年第1期重复：{B2} 也是第1期" in result.stderr
    assert f"{B2}:2: 错误: 文件名 02.md 与“number: 1”不一致（应为 2）" in result.stderr


def test_bad_optional_values_are_each_reported(project):
    bad_optional_values(project)
    result = zhengxie(project, "check")
    assert f"{B1}:4: 错误: 字段“total”应为阿拉伯数字写的整数（如 12），而不是“一百零一”" in result.stderr
    assert f"{B1}:5: 错误: 字段“kind”应为 正刊 | 增刊 | 专刊 之一，而不是“特刊”" in result.stderr
    assert "Traceback" not in result.output


def test_number_gap_is_a_warning_only(project):
    (project / "content/briefings/2018/02.md").unlink()
    result = zhengxie(project, "check")
    assert result.code == 0, result.output
    assert "content/briefings/2018/03.md:1: 警告: 2018年的期号不连续，缺少第2期" in result.stderr


def test_every_problem_is_listed_in_one_run_sorted(project):
    impossible_date(project)
    tiao_gap(project)
    section_not_in_volume(project)
    result = zhengxie(project, "check")
    assert result.code == 1
    lines = [l for l in result.stderr.splitlines() if ": 错误: " in l]
    assert len(lines) == 3, result.stderr
    assert lines == sorted(lines, key=lambda l: (l.split(":")[0], int(l.split(":")[1])))
    assert "检查未通过：3 个错误" in result.stderr
