"""The sample content: the committee's own document reproduced, the demonstration parts marked."""
from __future__ import annotations

import re
import unicodedata

from conftest import REPO

# The committee's annual document (2018 review, 2019 tasks) as it was received.
SEED = REPO / "tests" / "fixtures" / "seed-annual-document.txt"
CONTENT = REPO / "content"


def plain(markdown: str) -> list[str]:
    """Markdown structure removed: front matter, heading marks, photo-caption syntax."""
    body = markdown.split("---\n", 2)[2] if markdown.startswith("---\n") else markdown
    lines = []
    for line in body.split("\n"):
        line = re.sub(r"^#+ ", "", line)
        line = re.sub(r"^!\[(.*)\]\(图略\)$", r"\1", line)
        if line.strip():
            lines.append(line)
    return lines


def _words(line: str) -> str:
    return "".join(c for c in line if not (unicodedata.category(c)[0] in "PZ" or c.isspace()))


def test_report_and_plan_reproduce_the_seed_text_with_only_punctuation_corrected():
    seed = [l.removeprefix("◎") for l in SEED.read_text(encoding="utf-8").split("\n") if l.strip()]
    ours = plain((CONTENT / "reports/2018.md").read_text(encoding="utf-8")) + plain(
        (CONTENT / "plans/2019.md").read_text(encoding="utf-8")
    )
    assert [_words(line) for line in ours] == [_words(line) for line in seed]
    assert any("," in line for line in seed) and any('"' in line for line in seed)
    text = "\n".join(ours)
    assert not re.search(r"[\u4e00-\u9fff][ ]*[,;:!?]", text), "half-width punctuation after Chinese"
    assert '"' not in text and "“好声音”" in text and "办复率为100%，" in text


def test_demonstration_content_is_marked_as_such():
    for file in [CONTENT / "rules/kaoping.md", *sorted(CONTENT.glob("wenshi/*/*.md"))]:
        assert "示例" in file.read_text(encoding="utf-8"), file


def test_sample_size():
    briefings = sorted(CONTENT.glob("briefings/*/*.md"))
    assert len(briefings) >= 6
    assert {p.parent.name for p in briefings} >= {"2018", "2019"}
    several = [p for p in briefings if p.read_text(encoding="utf-8").count("\n## ") >= 2]
    assert len(several) >= 2
    articles = sorted(CONTENT.glob("wenshi/*/[0-9][0-9]-*.md"))
    assert len(articles) >= 4
    sections = {re.search(r"^section: (.+)$", p.read_text(encoding="utf-8"), re.MULTILINE)[1] for p in articles}
    assert len(sections) >= 2
