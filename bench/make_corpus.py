"""A deterministic synthetic content tree of about N pages, valid under `zhengxie check`.

    python bench/make_corpus.py N [TARGET]      (TARGET defaults to bench/corpus-N)

Briefings across many years (numbered 01.. within each year, totals running on),
文史 volumes of long articles (3,000-10,000 characters), rules, plans and reports,
written in the sample content's vocabulary.  The same N always gives the same files.
"""
from __future__ import annotations

import random
import re
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

def _vocabulary() -> list[str]:
    """Every phrase of the sample content's Markdown bodies (between punctuation marks), sorted."""
    phrases = set()
    for file in sorted((REPO / "content").rglob("*.md")):
        body = file.read_text(encoding="utf-8").split("---\n", 2)[-1]
        for part in re.split(r"[，。、；：！？,.;:!?\s“”\"‘’（）()《》#>*\[\]|\-—…]+", body):
            if 2 <= len(part) <= 24 and re.fullmatch(r"[\u4e00-\u9fff0-9]+", part):
                phrases.add(part)
    return sorted(phrases)


PHRASES = _vocabulary()
SECTIONS = ["城区变迁", "口述历史", "征集札记", "人物春秋"]
TAGS = ["脱贫攻坚", "提案", "委员培训", "民主监督", "协商议政", "健康扶贫", "营商环境", "文史资料"]
FORMS = ["综合协商", "专题协商", "对口协商", "界别协商", "党派协商", "提案办理协商"]

ISSUES_PER_YEAR = 50
FIRST_YEAR = 1950


def paragraphs(draw: random.Random, characters: int) -> list[str]:
    """Paragraphs of phrases in a seeded order: no two paragraphs repeat."""
    out, length = [], 0
    while length < characters:
        sentences = [
            "，".join(draw.choice(PHRASES) for _ in range(draw.randint(2, 4))) + "。" for _ in range(draw.randint(3, 7))
        ]
        out.append("".join(sentences))
        length += len(out[-1])
    return out


def article_text(seed: int, characters: int) -> str:
    return "\n\n".join(paragraphs(random.Random(seed), characters))


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def make(target: Path, pages: int) -> dict[str, int]:
    draw = random.Random(pages)
    content = target / "content"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(REPO / "docs", target / "docs")
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    content.mkdir(parents=True)
    shutil.copy(REPO / "content/site.yml", content / "site.yml")

    n_briefings = int(pages * 0.6)
    n_articles = int(pages * 0.35)
    n_rules = max(1, pages // 200)
    counts = {"briefings": n_briefings, "articles": 0, "volumes": 0, "rules": n_rules, "plans": 0, "reports": 0}

    total = 0
    for index in range(n_briefings):
        year, number = FIRST_YEAR + index // ISSUES_PER_YEAR, index % ISSUES_PER_YEAR + 1
        total += 1
        month, day = 1 + (number - 1) * 12 // ISSUES_PER_YEAR, 1 + (number * 7) % 28
        body = []
        for article in range(draw.randint(1, 3)):
            title = draw.choice(PHRASES) + draw.choice(["活动", "工作", "座谈会", "调研", "视察"])
            body.append(f"## {title}\n\n" + "\n\n".join(paragraphs(draw, draw.randint(200, 600))))
        tags = ", ".join(draw.sample(TAGS, 2))
        write(
            content / f"briefings/{year}/{number:02d}.md",
            f"---\nnumber: {number}\ndate: {year}-{month:02d}-{day:02d}\ntotal: {total}\ntags: [{tags}]\n---\n\n"
            + "\n\n".join(body) + "\n",
        )
    years = sorted({FIRST_YEAR + i // ISSUES_PER_YEAR for i in range(n_briefings)}) or [FIRST_YEAR]
    for year in years:
        items = "".join(
            f"  - id: item-{k}\n    topic: {draw.choice(PHRASES)}\n    form: {draw.choice(FORMS)}\n    when: {year}-{k * 2 + 1:02d}\n"
            for k in range(1, 5)
        )
        write(content / f"plans/{year}.md", f"---\nyear: {year}\ntitle: {year}年工作要点\nconsultations:\n{items}---\n\n"
              + "\n\n".join(paragraphs(draw, 1500)) + "\n")
        write(content / f"reports/{year}.md", f"---\nyear: {year}\ntitle: {year}年常委会工作报告\n---\n\n"
              + "\n\n".join(paragraphs(draw, 3000)) + "\n")
        counts["plans"] += 1
        counts["reports"] += 1

    per_volume = 60
    volume = 0
    for index in range(n_articles):
        if index % per_volume == 0:
            volume += 1
            sections = "".join(f"  - {s}\n" for s in SECTIONS)
            write(content / f"wenshi/{volume:02d}/volume.yml",
                  f"series: 昆都仑文史\nnumber: {volume}\ntitle: 合成测试第{volume}辑\npublished: {2000 + volume % 25}-12\n"
                  f"editors:\n  主编: 编辑部\nsections:\n{sections}"
                  f"printer: 合成测试印刷厂\nprint_run: 500\npermit: 合成测试准印证第{volume:03d}号\n")
            counts["volumes"] += 1
        order = index % per_volume + 1
        write(
            content / f"wenshi/{volume:02d}/{order:02d}-article-{order}.md",
            f"---\ntitle: {draw.choice(PHRASES)}的回忆（第{order}篇）\nsection: {SECTIONS[order % len(SECTIONS)]}\n"
            f"author: 编辑部\ntags: [{draw.choice(TAGS)}]\n---\n\n" + article_text(index, draw.randint(3000, 10000)) + "\n",
        )
        counts["articles"] += 1

    for index in range(n_rules):
        chapters, tiao = [], 0
        for chapter in range(1, 4):
            lines = [f"## 第{'一二三'[chapter - 1]}章 {draw.choice(PHRASES)}"]
            for _ in range(4):
                tiao += 1
                lines.append(f"第{_cn(tiao)}条　" + "".join(paragraphs(draw, 80)[:1]))
            chapters.append("\n\n".join(lines))
        write(content / f"rules/rule-{index + 1}.md",
              f"---\ntitle: 测试制度第{index + 1}号\nadopted: 2018-04-20\neffective: 2018-05-01\nstatus: 现行\n---\n\n"
              + "\n\n".join(chapters) + "\n")
    return counts


def _cn(number: int) -> str:
    sys.path.insert(0, str(REPO))
    from generator.bodyscan import int_to_chinese

    return int_to_chinese(number)


def main() -> None:
    if len(sys.argv) < 2 or not sys.argv[1].isdigit():
        print("用法：python bench/make_corpus.py 页数 [目标目录]", file=sys.stderr)
        raise SystemExit(2)
    pages = int(sys.argv[1])
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else REPO / "bench" / f"corpus-{pages}"
    counts = make(target, pages)
    print(f"{target}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
