"""Small pieces with exact answers: numerals, YAML lines, the figure extension, links."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from conftest import REPO

from generator.bodyscan import chinese_to_int, int_to_chinese
from generator.frontmatter import parse_yaml
from generator.markdown import render
from generator.pages.common import rel
from generator.search import documents as search
from generator.search.documents import document, tokens


@pytest.mark.parametrize(
    "text,number",
    [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十一", 21), ("一百", 100), ("一百零一", 101), ("一百一十", 110), ("九百九十九", 999)],
)
def test_chinese_numerals_both_ways(text, number):
    assert chinese_to_int(text) == number
    assert int_to_chinese(number) == text


def test_malformed_numerals_are_rejected():
    assert chinese_to_int("五五") is None
    assert chinese_to_int("零") is None


def test_yaml_keeps_lines_of_nested_items():
    data, problems = parse_yaml("year: 2019\nconsultations:\n  - id: a\n    form: 专题协商\n  - id: b\n", "x", line_offset=1)
    assert not problems
    assert data.line_of("consultations") == 3
    items = data["consultations"]
    assert items.line_of(1) == 6
    assert items[0].line_of("form") == 5


def test_yaml_dates_stay_strings():
    data, _ = parse_yaml("date: 2018-13-45\n", "x")
    assert data["date"] == "2018-13-45"


def test_image_paragraph_becomes_a_figure_and_omitted_photo_a_caption():
    html = render("![会场照片](photo.jpg)\n\n![区政协召开座谈会](图略)\n\n文字中的 ![小图](a.png) 不变。")
    assert '<figure class="zx-figure"><img alt="会场照片" src="photo.jpg" /><figcaption>会场照片</figcaption>\n</figure>' in html
    assert '<figure class="zx-figure zx-figure--omitted">\n<figcaption>区政协召开座谈会<span class="zx-omitted">（图略）</span></figcaption>\n</figure>' in html
    assert "<p>文字中的 <img" in html


def test_relative_links_between_pages():
    assert rel("briefings/2018/04.md", "briefings/2019/01.md") == "../2019/01.md"
    assert rel("index.md", "briefings/2018/01.md#article-2") == "briefings/2018/01.md#article-2"


def test_search_tokens_are_han_pairs_run_ends_and_other_words():
    assert tokens("送医送药下乡") == ["送医", "医送", "送药", "药下", "下乡", "乡"]
    # a one-character run stands alone; digits and Latin words are words, lowercased
    assert tokens("第4期，GB/T 9704 规定") == ["第", "4", "期", "gb", "t", "9704", "规定", "定"]
    assert tokens("——、…") == []


def test_search_document_weights_tokens_by_use_and_keeps_the_text_apart():
    body = (
        '<h2 id="a">办复率<a class="headerlink" href="#a">&para;</a></h2>'
        "<p>办复率达到100%。办复率提高，办复率</p><p>提案和意见</p>"
        '<p><a class="zx-pdf" href="x.pdf" download>下载打印版</a></p>'
    )
    doc, fragment = document("briefings/2019/03/index.html", body, "提案办理", {"collection": "简报", "year": 2019})
    assert fragment == {
        "url": "/briefings/2019/03/",
        "content": "办复率 办复率达到100%。办复率提高，办复率 提案和意见",  # no ¶, no download link
        "word_count": fragment["word_count"],
        "filters": {"collection": ["简报"], "year": ["2019"]},
        "meta": {"title": "提案办理", "collection": "简报"},
        "anchors": [],
    }
    group = search.group_of("briefings/2019/03/index.html")
    assert group in search.GROUPS
    weights = {w: words.split() for w, words in re.findall(r'<p data-pagefind-weight="(\d+)">([^<]*)</p>', doc)}
    tagged = lambda *tokens: [t + group for t in tokens]  # noqa: E731
    assert weights["7"] == tagged("提案", "案办", "办理", "理")  # the title's tokens, at an <h1>'s weight
    assert tagged("办复")[0] in weights["3"]  # used four times: 4-7 uses weigh 3
    assert tagged("和意")[0] in weights["1"]  # used once
    every = [t for words in weights.values() for t in words]
    assert len(every) == len(set(every)) and tagged("提案")[0] not in weights["1"]  # each token once: in the title
    assert fragment["word_count"] == len(every)
    assert '<span data-pagefind-filter="year:2019"></span>' in doc
    assert '<span data-pagefind-filter="page:briefings/2019/03/index.html"></span>' in doc
    assert "data-pagefind-meta" not in doc  # title and collection are the fragment's, not words
    assert "下载" not in doc and "100%" not in doc  # tokens only: 100 is a word, % is not


def _groups_in_a_process(seed: str, outputs: list[str]) -> list[str]:
    """`search.group_of` of each output, computed in a fresh process with PYTHONHASHSEED=`seed`."""
    done = subprocess.run(
        [sys.executable, "-c", "import sys\nfrom generator.search import documents as search\n"
         "print(' '.join(search.group_of(o) for o in sys.argv[1:]))", *outputs],
        capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": seed}, cwd=REPO,
    )
    return done.stdout.split()


def test_search_groups_do_not_move_when_a_page_changes():
    # A group is stored with the search index and compared by later builds, in other processes:
    # it must not depend on the process (str's hash() is salted per process by PYTHONHASHSEED).
    outputs = ["briefings/2018/12/index.html", *(f"briefings/{n}/index.html" for n in range(40))]
    here = [search.group_of(o) for o in outputs]
    assert _groups_in_a_process("1", outputs) == here
    assert _groups_in_a_process("2", outputs) == here
    groups = {search.group_of(f"briefings/{n}/index.html") for n in range(200)}
    assert groups == set(search.GROUPS)  # the hash spreads pages over every group


@pytest.mark.parametrize("when, printed", [
    ("2019-06", "2019年6月"), ("2019-6", "2019年6月"), ("2019/6", "2019年6月"), ("2019.06", "2019年6月"),
    ("2019-06-15", "2019年6月15日"), ("2019/6/5", "2019年6月5日"), (" 2019-06 ", "2019年6月"),
    ("二季度", "二季度"), ("2019-02-30", "2019-02-30"), ("2019-6/5", "2019-6/5"), (None, ""),
])
def test_a_consultation_time_is_printed_one_way(when, printed):
    """The plan's 附件 writes dates as 2019年6月 however the editor typed them; words and
    dates that do not exist are printed as written (check does not judge `when`)."""
    from generator.types.plan import printed_when

    assert printed_when(when) == printed


@pytest.mark.parametrize("written, shown", [
    ("#1 号议题*说明*", "#1 号议题说明"), ("1. 概况*强调*", "1. 概况强调"), ("2) 情况`代码`", "2) 情况代码"),
    ("- 事项**粗**", "- 事项粗"), ("> 引言*强调*", "> 引言强调"), ("*强调*开头", "强调开头"),
])
def test_an_article_title_keeps_what_looks_like_a_block_start(written, shown):
    """A title is rendered alone to read its inline Markdown: "#…" or "1. …" at its start must
    not turn it into a heading (losing the # and gaining the permalink's ¶) or a list item."""
    from generator.published import heading_text

    assert heading_text(written) == shown
