"""The contract between search/bundle.py and the installed Pagefind.

bundle.py reads Pagefind's private file format: each word's page list is scanned with a
regular expression (`_PAGES`) instead of being decoded.  These tests index a corpus made
for it with the installed Pagefind (Chinese pairs, Latin words, words with diacritics,
page lists hundreds of entries long) and compare the scan with
cbor2's full decode, entry by entry; and they check that another Pagefind release is
refused with one line.
"""
from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

import cbor2
import pytest
from conftest import copy_project, zhengxie

from generator.search import bundle, documents, indexing

HAN_WORDS = ["提案办理", "政协委员", "协商议政", "文史资料", "民主监督", "调查研究", "社区治理", "老旧小区", "送医送药"]
LATIN_WORDS = ["report", "committee", "café", "cafe", "naïve", "résumé", "zürich", "über", "uber", "2018", "x1"]
PAGES = 700


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(HAN_WORDS) + rng.choice(["，", "。", ""]) if rng.random() < 0.6 else rng.choice(LATIN_WORDS)
                    for _ in range(words))


@pytest.fixture(scope="module")
def pagefind_run(tmp_path_factory) -> Path:
    """A Pagefind run over search documents (group letters, as a build makes them) and over
    plain pages (no group letter: every page in each word's list, many places each)."""
    folder = tmp_path_factory.mktemp("pagefind")
    tree = folder / "documents"
    for number in range(PAGES):
        rng = random.Random(number)
        output = f"p/{number}/index.html"
        if number % 2:
            body = f"<h1>第{number}号 {rng.choice(HAN_WORDS)}</h1><p>{_text(rng, rng.randint(20, 400))}</p>"
            page, _ = documents.document(output, body, "", {"collection": rng.choice(["简报", "文史"]), "year": 2018 + number % 5})
        else:
            words = rng.randint(50, 3000)
            page = (f'<!doctype html><html lang="und"><body><div data-pagefind-body>'
                    f'<span data-pagefind-filter="page:{output}"></span><p>{_text(rng, words)}</p></div></body></html>')
        (tree / output).parent.mkdir(parents=True, exist_ok=True)
        (tree / output).write_text(page, encoding="utf-8")
    run = folder / "bundle"
    assert indexing.run_pagefind(tree, run) is None
    return run


def _chunks(run: Path):
    meta = bundle.Run(run).meta
    assert len(meta[2]) > 3  # several chunks
    for _, _, file in meta[2]:
        yield bundle.read(run / "index" / f"{file}.pf_index")


def test_the_fast_scan_gives_what_a_full_decode_gives(pagefind_run):
    longest, variants, plain_entries = 0, 0, 0
    for data in _chunks(pagefind_run):
        decoded = cbor2.loads(data)[0]
        scanned = list(bundle._words(data))
        assert [word for word, *_ in scanned] == [entry[0] for entry in decoded]
        for (word, entry, pages_at, plain), expected in zip(scanned, decoded):
            assert cbor2.loads(entry) == expected, word
            assert plain == (not expected[2]), word  # an entry without variants takes the fast path
            pages = cbor2.loads(entry[pages_at:])  # the page list starts where the scan said
            assert pages == expected[1], word
            moved = cbor2.loads(cbor2.dumps(expected))  # each list's first page number moved, no other
            for listed in [moved[1]] + [forms for _, forms in moved[2]]:
                if listed:
                    listed[0][0] += 1000
            assert cbor2.loads(bundle._shifted(entry, pages_at, plain, 1000)) == moved, word
            longest = max(longest, len(expected[1]))
            variants += not plain
            plain_entries += plain
    assert longest >= PAGES // 2  # a word on every plain page
    assert variants and plain_entries > 100  # both kinds were seen (café is a variant of cafe)


def test_integers_of_every_kind_were_scanned(pagefind_run):
    """Places are differences too, weights are negative numbers: one- and two-byte, both signs."""
    numbers = [
        number
        for data in _chunks(pagefind_run)
        for _, pages, _ in cbor2.loads(data)[0]
        for delta, places, meta_places in pages
        for number in (delta, *places, *meta_places)
    ]
    assert min(numbers) < -24 and max(numbers) > 255


def test_a_broken_scan_stops_indexing_instead_of_decoding_slowly(pagefind_run, monkeypatch):
    data = next(_chunks(pagefind_run))
    monkeypatch.setattr(bundle, "_PAGES", re.compile(rb"(?:\x83" + bundle._INT + bundle._ARRAY + rb")*+"))  # misses places
    with pytest.raises(bundle.FormatProblem):
        list(bundle._words(data))


def test_another_pagefind_release_is_refused(tmp_path):
    (tmp_path / "pagefind-entry.json").write_text(json.dumps({"version": "9.9.9", "languages": {}}), encoding="utf-8")
    with pytest.raises(bundle.FormatProblem) as refused:
        bundle.check_version(tmp_path)
    message = str(refused.value)
    assert "9.9.9" in message and "1.5.2" in message and "make build" in message


def test_a_build_with_another_pagefind_release_stops_in_one_line(tmp_path, monkeypatch):
    """The installed Pagefind, its entry file saying 9.9.9: the build stops, site/ untouched."""
    from pagefind_bin_extended import get_executable

    fake = tmp_path / "fake"
    (fake / "pagefind_bin_extended").mkdir(parents=True)
    wrapper = fake / "pagefind"
    wrapper.write_text(
        f"#!{sys.executable}\n"
        "import json, subprocess, sys\n"
        f"done = subprocess.run([{str(get_executable())!r}, *sys.argv[1:]])\n"
        "entry = sys.argv[sys.argv.index('--output-path') + 1] + '/pagefind-entry.json'\n"
        "data = json.load(open(entry)); data['version'] = '9.9.9'; json.dump(data, open(entry, 'w'))\n"
        "sys.exit(done.returncode)\n",
        encoding="utf-8",
    )
    wrapper.chmod(0o755)
    (fake / "pagefind_bin_extended" / "__init__.py").write_text(
        f"from pathlib import Path\n\ndef get_executable():\n    return Path({str(wrapper)!r})\n", encoding="utf-8"
    )
    root = copy_project(tmp_path / "project")
    monkeypatch.setenv("PYTHONPATH", f"{fake}:{__import__('os').environ.get('PYTHONPATH', '')}")
    result = zhengxie(root, "build", "--no-pdf")
    assert result.code == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "生成搜索索引失败" in line]
    assert len(lines) == 1, result.stderr
    assert "9.9.9" in lines[0] and "1.5.2" in lines[0] and lines[0].endswith("site/ 保持不变。")
    assert not (root / "site").exists()
