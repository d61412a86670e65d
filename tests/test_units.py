"""Small pieces with exact answers: numerals, YAML lines, the figure extension, links."""
from __future__ import annotations

import pytest

from generator.bodyscan import chinese_to_int, int_to_chinese
from generator.frontmatter import parse_yaml
from generator.markdown import render
from generator.pages.common import rel


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
