"""A second build redoes only what changed, and gives what a full build gives."""
from __future__ import annotations

import json
import os
import re
import shutil

from conftest import tree_digest, zhengxie


def _always_rendered(project) -> int:
    """Pages that list every page's tags are rendered on every build."""
    return sum("<!-- material/tags" in p.read_text(encoding="utf-8") for p in (project / "docs").rglob("*.md"))


def _stats(project, tmp_path, *args) -> dict:
    stats = tmp_path / "stats.json"
    result = zhengxie(project, "build", "--stats-json", str(stats), *args)
    assert result.code == 0, result.output
    return json.loads(stats.read_text(encoding="utf-8"))


def _html(site) -> dict[str, str]:
    return {k: v for k, v in tree_digest(site).items() if not k.startswith("pagefind/")}


def test_a_build_with_no_change_renders_no_page_and_no_pdf_again(project, tmp_path):
    first = _stats(project, tmp_path)
    before = tree_digest(project / "site")
    second = _stats(project, tmp_path)
    assert first["pages_rendered"] == first["pages"] > 20
    assert second["pages_rendered"] == _always_rendered(project)
    assert second["pdf_rendered"] == 0 and second["pdf_reused"] == first["pdf_rendered"] > 0
    assert tree_digest(project / "site") == before  # search index and sitemap included


def test_one_edited_briefing_renders_that_issue_and_its_pdf_only(project, tmp_path):
    _stats(project, tmp_path)
    site = project / "site"
    before = tree_digest(site)
    kept = tmp_path / "kept.html"  # a second name for the old page: the build must not write into it
    os.link(site / "briefings/2019/02/index.html", kept)
    old_text = kept.read_text(encoding="utf-8")
    issue = project / "content/briefings/2019/02.md"
    issue.write_text(issue.read_text(encoding="utf-8") + "\n本段为增量生成测试所加。\n", encoding="utf-8")
    figures = _stats(project, tmp_path)
    assert figures["pages_rendered"] == 1 + _always_rendered(project)
    assert figures["pdf_rendered"] == 1
    after = tree_digest(site)
    changed = {k for k in after if before.get(k) != after[k] and not k.startswith("pagefind/")}
    assert changed == {"briefings/2019/02/index.html", "pdf/briefings/2019/02.pdf"}
    assert "本段为增量生成测试所加" in (site / "briefings/2019/02/index.html").read_text(encoding="utf-8")
    assert kept.read_text(encoding="utf-8") == old_text, "the old site was written in place"


def test_an_incremental_build_gives_what_a_full_build_gives(project, tmp_path):
    _stats(project, tmp_path)
    issue = project / "content/briefings/2019/02.md"
    text = issue.read_text(encoding="utf-8")
    text = re.sub(r"^## ", "## 改过的标题：", text, count=1, flags=re.MULTILINE)
    text = re.sub(r"^tags: \[", "tags: [增量测试标签, ", text, count=1, flags=re.MULTILINE)
    issue.write_text(text, encoding="utf-8")
    added = (project / "content/briefings/2019/03.md").read_text(encoding="utf-8")
    added = re.sub(r"^total: .*\n", "", added.replace("number: 3", "number: 4"), flags=re.MULTILINE)
    (project / "content/briefings/2019/04.md").write_text(added, encoding="utf-8")
    figures = _stats(project, tmp_path)
    assert figures["pages_rendered"] == figures["pages"]  # a new page, title and tag: every page
    incremental = _html(project / "site")
    assert zhengxie(project, "build", "--site-dir", str(tmp_path / "full")).code == 0
    assert incremental == _html(tmp_path / "full")
    assert "增量测试标签" in (project / "site/tags/index.html").read_text(encoding="utf-8")
    # and a body edit after that, done incrementally, again as a full build
    issue.write_text(text + "\n再加一段。\n", encoding="utf-8")
    assert _stats(project, tmp_path)["pages_rendered"] == 1 + _always_rendered(project)
    assert zhengxie(project, "build", "--site-dir", str(tmp_path / "full")).code == 0
    assert _html(project / "site") == _html(tmp_path / "full")


def test_drafts_left_out_after_a_build_with_drafts(project, tmp_path):
    issue = project / "content/briefings/2019/03.md"
    issue.write_text(issue.read_text(encoding="utf-8").replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8")
    _stats(project, tmp_path, "--drafts")
    assert (project / "site/briefings/2019/03/index.html").is_file()
    _stats(project, tmp_path)
    assert not (project / "site/briefings/2019/03").exists()
    assert not (project / "site/pdf/briefings/2019/03.pdf").exists()


def test_a_deleted_site_or_cache_means_a_full_build(project, tmp_path):
    _stats(project, tmp_path)
    shutil.rmtree(project / "site")
    assert _stats(project, tmp_path)["pages_rendered"] > 20
    shutil.rmtree(project / ".cache")
    figures = _stats(project, tmp_path)
    assert figures["pages_rendered"] == figures["pages"] and figures["pdf_reused"] == 0


def test_an_image_edited_and_put_back_is_published_as_it_is_now(project, tmp_path):
    """Images are copied by what their bytes are, not by dates, and never written into the old site."""
    image = project / "content/wenshi/14/02-laozhaopian-zhengli.svg"
    original = image.read_bytes()
    _stats(project, tmp_path)
    published = project / "site/wenshi/14/02-laozhaopian-zhengli.svg"
    kept = tmp_path / "kept.svg"
    os.link(published, kept)
    image.write_bytes(original.replace(b"#f4efe3", b"#ffffff"))
    _stats(project, tmp_path)
    assert published.read_bytes() != original and kept.read_bytes() == original, "the old site was written in place"
    image.write_bytes(original)
    _stats(project, tmp_path)
    assert published.read_bytes() == original


# A local MkDocs plugin (mkdocs.yml `hooks:`): which page events each page went through, in order.
_RECORDER = '''\
from pathlib import Path


def _record(config, event, page):
    with open(Path(config.config_file_path).parent / "events.log", "a", encoding="utf-8") as log:
        log.write(f"{page.file.src_uri} {event}\\n")


def on_pre_page(page, config, files):
    _record(config, "pre_page", page)
    return page


def on_page_markdown(markdown, page, config, files):
    _record(config, "page_markdown", page)
    return markdown
'''


def _events(log) -> dict[str, list[str]]:
    events: dict[str, list[str]] = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        page, event = line.rsplit(" ", 1)
        events.setdefault(page, []).append(event)
    log.unlink()
    return events


def test_a_page_not_rendered_again_still_goes_through_every_event_before_rendering(project, tmp_path):
    """Other plugins see every page in a build that renders only some, as in a full build."""
    (project / "recorder.py").write_text(_RECORDER, encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "hooks:\n  - recorder.py\n", encoding="utf-8")
    first = _stats(project, tmp_path)
    full = _events(project / "events.log")
    assert len(full) == first["pages"] and all(e == ["pre_page", "page_markdown"] for e in full.values())
    second = _stats(project, tmp_path)
    assert second["pages_rendered"] == _always_rendered(project) < second["pages"]
    assert _events(project / "events.log") == full


def test_a_tags_index_under_another_directive_shows_a_hand_written_page_s_new_tag(project, tmp_path):
    """The listing directive is the tags plugin's setting, not a fixed marker."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("export: false", "export: false\n      listings_directive: zhengxie/tags")
    config.write_text(text, encoding="utf-8")
    index = project / "docs/tags.md"
    index.write_text(index.read_text(encoding="utf-8").replace("<!-- material/tags -->", "<!-- zhengxie/tags -->"), encoding="utf-8")
    _stats(project, tmp_path)
    assert "zhengxie/tags" not in (project / "site/tags/index.html").read_text(encoding="utf-8")
    about = project / "docs/about.md"
    about.write_text("---\ntags: [手写页面的标签]\n---\n" + about.read_text(encoding="utf-8"), encoding="utf-8")
    figures = _stats(project, tmp_path)
    assert figures["pages_rendered"] == 2  # the page and the tags index
    assert "手写页面的标签" in (project / "site/tags/index.html").read_text(encoding="utf-8")
