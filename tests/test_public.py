"""The public edition leaves internal items out entirely; the default build keeps them."""
from __future__ import annotations

import gzip
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import copy_project, zhengxie

INTERNAL = ["content/briefings/2018/04.md", "content/rules/kaoping.md", "content/wenshi/14/02-laozhaopian-zhengli.md"]


def _prose_pages(root: Path) -> set[str]:
    """Hand-written pages (docs/about.md, the editors' guide): published as the editors wrote them."""
    return {p.stem for p in (root / "docs").glob("*.md")} - {"index", "tags"}


def _all_text(site: Path, skip: set[str]) -> str:
    """Everything a reader or a crawler can get: pages, data files, search fragments, PDF text."""
    parts = []
    for file in sorted(site.rglob("*")):
        if not file.is_file() or file.relative_to(site).parts[0] in skip:
            continue
        if file.suffix in (".html", ".xml", ".json", ".js", ".txt", ".svg"):
            parts.append(file.read_text(encoding="utf-8", errors="replace"))
        elif file.suffix == ".pf_fragment":
            fragment = gzip.decompress(file.read_bytes()).decode("utf-8", errors="replace")
            if not any(f'"url":"/{page}/' in fragment for page in skip):
                parts.append(fragment)
        elif file.suffix == ".pdf":
            parts.append(subprocess.run(["pdftotext", str(file), "-"], capture_output=True, text=True).stdout)
    return re.sub(r"\s+", "", "\n".join(parts))


def _distinctive(root: Path, relative: str) -> list[str]:
    """An internal item's title or first heading and the first long sentence of its body."""
    text = (root / relative).read_text(encoding="utf-8")
    front, body = text.split("---\n", 2)[1:]
    meta = yaml.safe_load(front)
    found = [meta["title"].removesuffix("（示例）")] if meta.get("title") else re.findall(r"^## (.+)$", body, re.MULTILINE)[:1]
    sentences = [s for s in re.split(r"[。！？\n]", body) if len(s) >= 20 and not s.startswith(("#", ">", "!", "["))]
    return found + [re.sub(r"\s+", "", sentences[0][:30])]


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("editions") / "project")
    for relative in INTERNAL:
        file = root / relative
        file.write_text(file.read_text(encoding="utf-8").replace("---\n", "---\ninternal: true\n", 1), encoding="utf-8")
    intranet = zhengxie(root, "build", "--site-dir", str(root / "intranet"))
    assert intranet.code == 0, intranet.output
    public = zhengxie(root, "build", "--public", "--site-dir", str(root / "public"))
    assert public.code == 0, public.output
    skip = _prose_pages(root)
    return root, _all_text(root / "intranet", skip), _all_text(root / "public", skip)


@pytest.mark.parametrize("relative", INTERNAL)
def test_internal_text_is_in_the_intranet_edition_only(editions, relative):
    root, intranet, public = editions
    for text in _distinctive(root, relative):
        assert text in intranet, f"{text} should be in the intranet edition"
        assert text not in public, f"{text} leaked into the public edition"


def test_no_page_pdf_or_image_of_an_internal_item(editions):
    root, _, _ = editions
    for edition, present in (("intranet", True), ("public", False)):
        site = root / edition
        assert (site / "briefings/2018/04/index.html").exists() is present
        assert (site / "pdf/briefings/2018/04.pdf").exists() is present
        assert (site / "rules/kaoping/index.html").exists() is present
        assert (site / "wenshi/14/02-laozhaopian-zhengli.svg").exists() is present
    assert (root / "public/briefings/2018/03/index.html").exists()


def test_references_to_internal_items_do_not_name_them(editions):
    root, _, _ = editions
    page = (root / "public/briefings/2018/02/index.html").read_text(encoding="utf-8")
    assert "内部资料" in page and "kaoping" not in page
    assert "内部资料" in (root / "public/briefings/2019/03/index.html").read_text(encoding="utf-8")


def test_tags_and_statistics_do_not_count_internal_items(editions):
    root, _, _ = editions
    only_internal = {"健康扶贫"}  # the tag only briefing 2018/04 carries in the sample
    others = [f for f in (root / "content").rglob("*.md") if f.relative_to(root).as_posix() not in INTERNAL]
    assert not any(re.search(r"^tags:.*健康扶贫", f.read_text(encoding="utf-8"), re.MULTILINE) for f in others)
    for tag in only_internal:
        assert tag in (root / "intranet/tags/index.html").read_text(encoding="utf-8")
        assert tag not in (root / "public/tags/index.html").read_text(encoding="utf-8")

    def counts(edition):
        page = (root / edition / "stats/index.html").read_text(encoding="utf-8")
        return [int(v) for v in re.findall(r'data-label="2018年" data-value="(\d+)"', page)]

    intranet, public = counts("intranet"), counts("public")
    assert intranet and len(intranet) == len(public)
    assert all(p <= i for p, i in zip(public, intranet)) and sum(public) < sum(intranet)
