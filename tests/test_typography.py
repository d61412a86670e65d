"""`zhengxie fmt` and the typography rules: what an editor's pasted text becomes."""
from __future__ import annotations

import re
import unicodedata

import pytest
from conftest import REPO, tree_digest, zhengxie

from generator.typography import fix_markdown, fix_source


def words(text: str) -> str:
    """The text with every punctuation mark and space removed (the fix's invariant)."""
    return "".join(c for c in text if not (unicodedata.category(c)[0] in "PZ" or c.isspace()))


# (pasted text, what GB/T 15834 wants); written by hand.
CASES = [
    ("会议于2018年3月召开,出席委员120人,占95%,会议议程:听取报告", "会议于2018年3月召开，出席委员120人，占95%，会议议程：听取报告"),
    ("他说:\"你好,世界!\"", "他说：“你好，世界！”"),
    ("唱响履职 \"好声音\" ,推动落实", "唱响履职“好声音”，推动落实"),
    ("“他说“好””", "“他说‘好’”"),
    ("他说:\"我们要'好好干'\"", "他说：“我们要‘好好干’”"),
    ("在2018年(第一期)中", "在2018年（第一期）中"),
    ("政协(CPPCC)", "政协(CPPCC)"),
    ("增强 \"四个意识\" 、坚定", "增强“四个意识”、坚定"),
    ("建立健全 \"提\" \"办\" 双方", "建立健全“提”“办”双方"),
    ("一、 总体要求", "一、总体要求"),
    ("办复率100%.", "办复率100%。"),
    ("共3.5万元,约1.2%。", "共3.5万元，约1.2%。"),
    ("会议 10:30开始", "会议10:30开始"),
    ("见附件1:", "见附件1："),
    ("中文...好的", "中文……好的"),
    ("全年共计 36 件 ;", "全年共计36件；"),
    ("使用 Word 编辑", "使用Word编辑"),
    ("Hello, world. This is English.", "Hello, world. This is English."),
    ("don't stop", "don't stop"),
    ("为什么?", "为什么？"),
    # Markdown and everything that must never be touched
    ("- \"列表\" 项,好", "- “列表”项，好"),
    ("1. 第一,项", "1. 第一，项"),
    ("## 标题,副题", "## 标题，副题"),
    ("> 引用,文字", "> 引用，文字"),
    ("见 `a,b:\"c\"` 一文", "见 `a,b:\"c\"` 一文"),
    ("```\n代码,中文:\"x\"\n```\n正文,好", "```\n代码,中文:\"x\"\n```\n正文，好"),
    ("[链接,文字](https://example.org/a,b?x=1)", "[链接，文字](https://example.org/a,b?x=1)"),
    ("网址 https://example.org/路径,然后", "网址 https://example.org/路径，然后"),
    ("![照片,说明](images/a,b.png)", "![照片，说明](images/a,b.png)"),
    ("见[[rule:kaoping#第五条|考评,办法]],另见", "见[[rule:kaoping#第五条|考评,办法]]，另见"),
    ("中文 <span title=\"a,b\">文,字</span>", "中文 <span title=\"a,b\">文，字</span>"),
    ("脚注[^1],正文\n\n[^1]: 说明,文字", "脚注[^1]，正文\n\n[^1]: 说明，文字"),
    ("!!! note \"提示,标题\"\n    内容,文字", "!!! note \"提示,标题\"\n    内容，文字"),
    ("甲&nbsp;乙", "甲&nbsp;乙"),
    ("图表 {: .wide }", "图表 {: .wide }"),
    ("第一行,  \n第二行", "第一行，  \n第二行"),
]


@pytest.mark.parametrize("pasted, expected", CASES)
def test_fix_markdown(pasted, expected):
    assert fix_markdown(pasted) == expected


@pytest.mark.parametrize("pasted, expected", CASES)
def test_fix_is_idempotent(pasted, expected):
    assert fix_markdown(expected) == expected


def test_spacing_policy_add_and_keep():
    assert fix_markdown("使用Word编辑,共36件", spacing="add") == "使用 Word 编辑，共 36 件"
    assert fix_markdown("使用 Word编辑,共36 件", spacing="keep") == "使用 Word编辑，共36 件"


def test_front_matter_values_are_fixed_and_keys_and_paths_are_not():
    source = (
        "---\n"
        "title: 关于\"好声音\",活动\n"
        "tags: [提案, 脱贫]\n"
        "note: '单引号,文字'\n"
        "image: 图片/会议,现场.png\n"
        "summary: |\n  第一行,好\n  第二行\n"
        "---\n\n正文,好\n"
    )
    fixed = fix_source(source, ".md")
    assert fixed == (
        "---\n"
        "title: 关于“好声音”，活动\n"
        "tags: [提案, 脱贫]\n"
        "note: '单引号，文字'\n"
        "image: 图片/会议，现场.png\n"
        "summary: |\n  第一行，好\n  第二行\n"
        "---\n\n正文，好\n"
    )


def _sample_files():
    return sorted(p for p in (REPO / "content").rglob("*") if p.suffix in (".md", ".yml")) + sorted(
        (REPO / "docs").glob("*.md")
    ) + [REPO / "tests/fixtures/seed-annual-document.txt"]


@pytest.mark.parametrize("file", _sample_files(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_fix_changes_only_punctuation_and_spacing(file):
    text = file.read_text(encoding="utf-8")
    fixed = fix_source(text, file.suffix)
    assert words(fixed) == words(text)
    assert fixed.count("\n") == text.count("\n")


def test_the_seed_text_needs_and_gets_fixing():
    seed = (REPO / "tests/fixtures/seed-annual-document.txt").read_text(encoding="utf-8")
    fixed = fix_source(seed, ".md")
    assert seed.count(",") > 100 and fixed.count(",") == 0
    assert '"' not in fixed and "唱响履职“好声音”，推动" in fixed


# ---- the command, as an editor runs it ----

def _write(project, relative, text, newline="\n"):
    path = project / relative
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return path


BRIEFING = "---\nnumber: 4\ndate: 2019-06-01\ntags: [提案]\n---\n\n## 标题\n\n今年,区政协 \"好声音\" 活动(第二期)开展.\n"


def test_fmt_check_lists_each_problem_and_changes_nothing(project):
    _write(project, "content/briefings/2019/04.md", BRIEFING)
    before = tree_digest(project / "content")
    result = zhengxie(project, "fmt", "--check")
    assert result.code == 1
    assert tree_digest(project / "content") == before
    lines = [line for line in result.stdout.splitlines() if line.startswith("content/briefings/2019/04.md")]
    assert lines[0].startswith("content/briefings/2019/04.md:9:3: 排版: 中文中的半角标点“,”应为全角：")
    assert "「今年,区政协" in lines[0] and "-> 「今年，区政协" in lines[0]
    assert any(":9:7: 排版: 直引号应为弯引号" in line for line in lines)
    assert any("括号应为全角" in line for line in lines)
    assert len(lines) == 6  # , "…" (twice: open and close) ( ) .
    assert "共 6 处排版问题，涉及 1 个文件" in result.stderr
    assert "Traceback" not in result.output


def test_fmt_fix_rewrites_only_the_files_that_need_it(project):
    path = _write(project, "content/briefings/2019/04.md", BRIEFING)
    others = {k: v for k, v in tree_digest(project / "content").items() if k != "briefings/2019/04.md"}
    result = zhengxie(project, "fmt", "--fix")
    assert result.code == 0, result.output
    assert "已修正 content/briefings/2019/04.md：6 处" in result.stdout
    assert path.read_text(encoding="utf-8").endswith("今年，区政协“好声音”活动（第二期）开展。\n")
    assert {k: v for k, v in tree_digest(project / "content").items() if k != "briefings/2019/04.md"} == others
    again = zhengxie(project, "fmt", "--check")
    assert again.code == 0 and "排版都合规范" in again.stdout
    assert zhengxie(project, "check").code == 0


def test_fmt_keeps_crlf_line_endings_and_byte_order_mark(project):
    path = project / "content/briefings/2019/04.md"
    path.write_bytes(b"\xef\xbb\xbf" + BRIEFING.replace("\n", "\r\n").encode("utf-8"))
    assert zhengxie(project, "fmt", "--fix", "content/briefings/2019/04.md").code == 0
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == BRIEFING.count("\n")
    assert "今年，区政协“好声音”".encode("utf-8") in data


def test_fmt_on_named_paths_only(project):
    _write(project, "content/briefings/2019/04.md", BRIEFING)
    result = zhengxie(project, "fmt", "--check", "content/rules")
    assert result.code == 0, result.output
    missing = zhengxie(project, "fmt", "--check", "content/nowhere.md")
    assert missing.code == 1 and "找不到" in missing.stderr


def test_fmt_reports_a_file_that_is_not_utf8(project):
    (project / "content/briefings/2019/04.md").write_bytes(BRIEFING.encode("gb18030"))
    result = zhengxie(project, "fmt", "--fix")
    assert result.code == 1
    assert "content/briefings/2019/04.md:4: 错误: 文件不是 UTF-8 编码" in result.stderr
    assert "Traceback" not in result.output


def test_spacing_policy_comes_from_site_yml(project):
    site = project / "content/site.yml"
    site.write_text(site.read_text(encoding="utf-8").replace("spacing: remove", "spacing: add"), encoding="utf-8")
    _write(project, "content/briefings/2019/04.md", BRIEFING.replace("今年,", "2019年,使用Word"))
    assert zhengxie(project, "fmt", "--fix").code == 0
    text = (project / "content/briefings/2019/04.md").read_text(encoding="utf-8")
    assert "2019 年，使用 Word" in text
    site.write_text(site.read_text(encoding="utf-8").replace("spacing: add", "spacing: wide"), encoding="utf-8")
    bad = zhengxie(project, "fmt", "--check")
    assert bad.code == 1 and re.search(r"content/site.yml:\d+: 错误: .*remove \| add \| keep", bad.stderr)


def test_check_warns_about_typography_without_failing(project):
    _write(project, "content/briefings/2019/04.md", BRIEFING)
    result = zhengxie(project, "check")
    assert result.code == 0, result.output
    assert re.search(r"content/briefings/2019/04.md:9: 警告: 排版：6 处标点或空格不合规范.*zhengxie fmt --fix", result.stderr)
    assert "1 个警告" in result.stdout


def test_sample_content_is_clean():
    result = zhengxie(REPO, "fmt", "--check")
    assert result.code == 0, result.output


def test_fmt_fix_writes_only_regular_files_inside_content(project, tmp_path):
    """A symlink leading out of content/ is neither read nor replaced; a path outside content/ is refused."""
    outside = tmp_path / "outside.md"
    outside.write_text(BRIEFING, encoding="utf-8")
    link = project / "content/briefings/2019/04.md"
    link.symlink_to(outside)
    result = zhengxie(project, "fmt", "--fix")
    assert "Traceback" not in result.output
    assert link.is_symlink() and outside.read_text(encoding="utf-8") == BRIEFING
    named = zhengxie(project, "fmt", "--fix", "content/briefings/2019/04.md")
    assert named.code == 1 and "是符号链接：zhengxie fmt 不处理符号链接" in named.stderr
    elsewhere = zhengxie(project, "fmt", "--fix", str(outside))
    assert elsewhere.code == 1 and "不在 content/ 中：zhengxie fmt 只处理 content/ 中的文件" in elsewhere.stderr
    assert outside.read_text(encoding="utf-8") == BRIEFING and link.is_symlink()
