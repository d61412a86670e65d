"""The zhengxie command as an editor uses it: exit codes, drafts, atomic site, `new`."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import processes_in, tree_digest, zhengxie


def test_check_passes_on_the_sample(project):
    result = zhengxie(project, "check")
    assert result.code == 0, result.output
    assert "检查通过" in result.stdout


def test_console_script_is_installed():
    script = Path(sys.executable).parent / "zhengxie"
    done = subprocess.run([str(script), "--help"], capture_output=True, text=True)
    assert done.returncode == 0
    assert "check" in done.stdout and "build" in done.stdout and "serve" in done.stdout


def test_usage_errors_exit_2(project):
    unknown = zhengxie(project, "publish")
    assert unknown.code == 2
    assert "用法错误" in unknown.stderr
    bad_date = zhengxie(project, "new", "briefing", "--date", "2019-13-01")
    assert bad_date.code == 2
    assert "日期应写成 YYYY-MM-DD" in bad_date.stderr
    assert zhengxie(project).code == 2  # no command at all


def test_not_a_project_directory(tmp_path):
    result = zhengxie(tmp_path, "check")
    assert result.code == 2
    assert "不是项目目录" in result.stderr
    assert "Traceback" not in result.output


def test_build_never_writes_under_content_and_replaces_the_old_site(project):
    before = tree_digest(project / "content")
    stale = project / "site" / "stale.html"
    stale.parent.mkdir()
    stale.write_text("old", encoding="utf-8")
    result = zhengxie(project, "build")
    assert result.code == 0, result.output
    assert re.search(r"各阶段用时：检查 [\d.]+ 秒，网页 [\d.]+ 秒，搜索索引 [\d.]+ 秒，PDF [\d.]+ 秒", result.stdout)
    assert tree_digest(project / "content") == before
    assert not stale.exists()
    assert (project / "site/index.html").is_file()
    assert not list(project.glob(".site*")), "no staging directory is left behind"
    assert not (project / "docs/briefings").exists(), "generated pages are never written into docs/"


def test_failed_mkdocs_build_leaves_the_site_untouched(project):
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("published", encoding="utf-8")
    about = project / "docs/about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[坏链接](missing.md)\n", encoding="utf-8")
    result = zhengxie(project, "build")
    assert result.code == 1
    assert "missing.md" in result.stderr  # MkDocs' own message, strict mode
    assert "生成网站失败" in result.stderr
    assert not processes_in(project), "search indexing, started before MkDocs failed, is stopped"
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == "published"
    assert sorted(p.name for p in project.iterdir() if p.name != ".cache") == ["content", "docs", "mkdocs.yml", "site"]


def test_drafts_are_checked_and_only_built_on_request(project):
    issue = project / "content/briefings/2019/03.md"
    issue.write_text(issue.read_text(encoding="utf-8").replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8")
    assert zhengxie(project, "build").code == 0
    assert not (project / "site/briefings/2019/03").exists()
    assert 'href="03/"' not in (project / "site/briefings/2019/index.html").read_text(encoding="utf-8")
    assert zhengxie(project, "build", "--drafts").code == 0
    assert (project / "site/briefings/2019/03/index.html").is_file()

    issue.write_text(issue.read_text(encoding="utf-8").replace("number: 3", "number: 三"), encoding="utf-8")
    checked = zhengxie(project, "check")
    assert checked.code == 1
    assert "content/briefings/2019/03.md:3: 错误: 字段“number”" in checked.stderr


def test_new_briefing_takes_the_next_number_and_total(project):
    result = zhengxie(project, "new", "briefing", "--date", "2019-09-10")
    assert result.code == 0, result.output
    assert result.stdout.strip() == "content/briefings/2019/04.md"
    text = (project / "content/briefings/2019/04.md").read_text(encoding="utf-8")
    assert re.search(r"^number: 4$", text, re.MULTILINE)
    assert re.search(r"^date: 2019-09-10$", text, re.MULTILINE)
    previous_total = int(re.search(r"^total: (\d+)", (project / "content/briefings/2019/03.md").read_text(encoding="utf-8"), re.MULTILINE)[1])
    assert re.search(rf"^total: {previous_total + 1}\b", text, re.MULTILINE)
    assert "市政协办公室" in text  # site.yml's distribution, shown for editing
    assert zhengxie(project, "check").code == 0  # valid as created

    # a new year starts at 第1期, and the total goes on across years
    result = zhengxie(project, "new", "briefing", "--date", "2020-01-15")
    assert result.stdout.strip() == "content/briefings/2020/01.md"
    text = (project / "content/briefings/2020/01.md").read_text(encoding="utf-8")
    assert re.search(r"^number: 1$", text, re.MULTILINE)
    assert re.search(rf"^total: {previous_total + 2}\b", text, re.MULTILINE)
    assert zhengxie(project, "check").code == 0


def test_new_briefing_never_overwrites(project):
    from generator.output import write_new_file

    target = project / "content/briefings/2019/01.md"
    before = target.read_bytes()
    try:
        write_new_file(target, "replacement")
    except FileExistsError:
        pass
    else:
        raise AssertionError("an existing file was accepted")
    assert target.read_bytes() == before
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")]


def test_new_briefing_in_a_past_year_leaves_a_taken_total_to_the_editor(project):
    result = zhengxie(project, "new", "briefing", "--date", "2018-12-28")
    assert result.stdout.strip() == "content/briefings/2018/05.md"
    text = (project / "content/briefings/2018/05.md").read_text(encoding="utf-8")
    assert not re.search(r"^total:", text, re.MULTILINE)
    assert zhengxie(project, "check").code == 0


def test_serve_on_a_busy_port_says_so(project):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = zhengxie(project, "serve", "--address", f"127.0.0.1:{port}")
    assert result.code == 1
    assert f"无法在 127.0.0.1:{port} 启动预览" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "args,path",
    [
        (["wenshi-volume"], "content/wenshi/15/volume.yml"),
        (["wenshi-article", "14"], "content/wenshi/14/06-wenzhang.md"),
        (["wenshi-article", "14", "--slug", "lao-jie"], "content/wenshi/14/06-lao-jie.md"),
        (["rule", "xuexi"], "content/rules/xuexi.md"),
        (["plan", "2020"], "content/plans/2020.md"),
        (["report", "2019"], "content/reports/2019.md"),
    ],
)
def test_new_for_every_type_is_valid_as_created_and_never_overwrites(project, args, path):
    result = zhengxie(project, "new", *args)
    assert result.code == 0, result.output
    assert result.stdout.strip() == path
    created = (project / path).read_bytes()
    assert zhengxie(project, "check").code == 0
    again = zhengxie(project, "new", *args)
    if args[0] in ("rule", "plan", "report"):  # fixed names: the second run must refuse
        assert again.code == 1 and f"文件已存在，未覆盖：{path}" in again.stderr
    assert (project / path).read_bytes() == created


def test_new_explains_what_is_missing_or_wrong(project):
    assert zhengxie(project, "new", "rule").code == 2
    for args, message in (
        (["rule", "Xue Xi"], "英文短名应只含小写字母"),
        (["plan", "20x"], "年份应为四位数字"),
        (["wenshi-article", "99"], "没有第99辑"),
    ):
        result = zhengxie(project, "new", *args)
        assert result.code == 1 and message in result.stderr, result.output


def test_check_as_json_for_tooling(project):
    import json

    issue = project / "content/briefings/2018/01.md"
    issue.write_text(issue.read_text(encoding="utf-8").replace("date: 2018-03-28", "date: 2018-13-45"), encoding="utf-8")
    result = zhengxie(project, "check", "--format", "json")
    assert result.code == 1
    rows = json.loads(result.stdout)
    assert {"path": "content/briefings/2018/01.md", "line": 3, "level": "error"}.items() <= rows[0].items()
    assert "2018-13-45" in rows[0]["message"]


def test_stats_gives_the_corpus_at_a_glance(project):
    result = zhengxie(project, "stats")
    assert result.code == 0, result.output
    per_year = {}
    for file in (project / "content/briefings").glob("*/*.md"):
        per_year[file.parent.name] = per_year.get(file.parent.name, 0) + 1
    for year, count in per_year.items():
        assert re.search(rf"{year}年\s+{count} 期", result.stdout), result.stdout
    assert "第14辑" in result.stdout and "现行 1 项" in result.stdout
    import yaml

    plan = yaml.safe_load((project / "content/plans/2019.md").read_text(encoding="utf-8").split("---")[1])
    listed = {
        entry
        for file in (project / "content/briefings/2019").glob("*.md")
        for entry in yaml.safe_load(file.read_text(encoding="utf-8").split("---")[1]).get("plans") or []
    }
    assert re.search(rf"2019年\s+{len(listed)} / {len(plan['consultations'])}", result.stdout)
