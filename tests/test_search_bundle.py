"""The search bundle of a site indexed in several Pagefind runs equals the one-run bundle.

Read as the browser reads it: each word's pages (as URLs, with their places and weights),
each filter value's pages, each result's fragment and word count.
"""
from __future__ import annotations

import gzip
import json
import re
from collections import defaultdict
from pathlib import Path

import cbor2
import pytest
from conftest import copy_project, zhengxie

from generator import incremental
from generator.search import documents as search
from generator.search import indexing as search_index

HAN = re.compile("[\u3400-\u9fff]")


def _read(file: Path):
    data = gzip.decompress(file.read_bytes())
    assert data.startswith(b"pagefind_dcd")
    return data[12:]


def decoded(site: Path) -> dict:
    bundle = site / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    ((language, about),) = entry["languages"].items()
    meta = cbor2.loads(_read(bundle / f"pagefind.{about['hash']}.pf_meta"))
    assert about["page_count"] == len(meta[1])
    urls, fragments = [], {}
    for name, count in meta[1]:
        fragment = json.loads(_read(bundle / "fragment" / f"{name}.pf_fragment"))
        assert fragment["word_count"] == count  # the fragment's count (ours) is Pagefind's
        urls.append(fragment["url"])
        fragments[fragment["url"]] = (count, fragment)
    words, chunk_of = {}, {}
    for first, last, file in meta[2]:
        for word, pages, variants in cbor2.loads(_read(bundle / "index" / f"{file}.pf_index"))[0]:
            assert not variants
            number, listed = 0, []
            for delta, places, _ in pages:  # page numbers are stored as differences
                number += delta
                listed.append((urls[number], tuple(places)))
            words[word] = sorted(listed)
            chunk_of[word] = file
    filters = {}
    for name, file in meta[3]:
        filter_name, values = cbor2.loads(_read(bundle / "filter" / f"{file}.pf_filter"))
        filters[filter_name] = {value: sorted(urls[n] for n in numbers) for value, numbers in values}
    return {"words": words, "filters": filters, "fragments": fragments, "chunks": meta[2], "chunk_of": chunk_of}


@pytest.fixture(scope="module")
def one_run(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("bundle") / "project")
    result = zhengxie(root, "build", "--no-pdf")
    assert result.code == 0, result.output
    return root


def test_runs_are_whole_search_groups(one_run, monkeypatch):
    documents = incremental.load_state(one_run, one_run / "site").search_docs
    store = one_run / search.STORE
    assert len(search_index._runs(store, documents)) == 1  # a small site: one Pagefind run
    monkeypatch.setattr(search_index, "RUN_BYTES", 30_000)
    runs = search_index._runs(store, documents)
    assert len(runs) > 3
    assert sorted(o for run in runs for o in run) == sorted(documents)
    groups = [{search.group_of(o) for o in run} for run in runs]
    assert all(a.isdisjoint(b) for i, a in enumerate(groups) for b in groups[i + 1 :])


def test_several_runs_merged_give_the_one_run_index(one_run, monkeypatch, tmp_path):
    one = decoded(one_run / "site")
    assert "page" not in one["filters"] and {"collection", "year"} <= set(one["filters"])
    monkeypatch.setattr(search_index, "RUN_BYTES", 30_000)
    documents = incremental.load_state(one_run, one_run / "site").search_docs
    stats, problem = search_index.index_documents(one_run, documents, tmp_path)
    assert problem is None and stats.pages == len(documents)
    many = decoded(tmp_path)
    assert many["words"] == one["words"]
    assert many["filters"] == one["filters"]
    assert many["fragments"] == one["fragments"]
    assert not list(tmp_path.glob(".search-*"))  # the runs' files are gone
    # chunks in order, without overlap, and a Han token's group variants in one chunk
    bounds = [(first, last) for first, last, _ in many["chunks"]]
    assert all(first <= last < following for (first, last), (following, _) in zip(bounds, bounds[1:]))
    chunks_of = defaultdict(set)
    for word, file in many["chunk_of"].items():
        chunks_of[word[:-1]].add(file)
    assert all(len(files) == 1 for token, files in chunks_of.items() if HAN.match(token))
    assert len(many["chunks"]) > 1
