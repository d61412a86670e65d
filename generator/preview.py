"""What a running `zhengxie serve` keeps between rebuilds, so that a saved page shows quickly.

Pages whose Markdown did not change are not rendered again (`incremental.PageReuse`,
with the previous build's record kept in memory), theme templates are compiled once,
and Pagefind runs in the background at low priority, so the page shows before the
search index is ready.
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path

import jinja2
import jinja2.bccache

from generator.search.indexing import SEARCH_DIR, Indexing
from generator.output import describe_os_error, internal_error
from generator.incremental import PageReuse
from generator.page_policy import INLINE_DIR

log = logging.getLogger("mkdocs.plugins.zhengxie")
_MADE_APART = (f"{SEARCH_DIR}/", ".search-", f"{INLINE_DIR}/")


class Preview:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.previous = None  # the last rebuild's BuildState
        self.reuse: PageReuse | None = None
        self.indexer = _BackgroundIndexer()
        self.templates = _CompiledTemplates()

    def pages_for(self, site_dir: Path) -> PageReuse:
        """A fresh decision for this rebuild, against the last one."""
        self.reuse = PageReuse(self.root, self.previous, site_dir, shares_old_files=False)
        return self.reuse

    def built(self, site_dir: Path) -> None:
        self.previous = self.reuse.state
        self.indexer.request(self.root, dict(self.previous.search_docs), site_dir)

    def prune(self, site_dir: Path, outputs: set[str]) -> None:
        """Remove files of earlier rebuilds that this one did not make (the search index and
        the theme's moved scripts aside: they are made apart)."""
        for file in sorted(site_dir.rglob("*")):
            relative = file.relative_to(site_dir).as_posix()
            if not file.is_file() or relative.startswith(_MADE_APART) or relative.removesuffix(".gz") in outputs:
                continue
            file.unlink(missing_ok=True)

    def close(self) -> None:
        """Stop indexing under way (the preview is ending)."""
        self.indexer.close()


class _CompiledTemplates(jinja2.BytecodeCache):
    """Theme templates compiled once per preview, not once per rebuild (keyed by their source)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


class _BackgroundIndexer:
    """Runs Pagefind after a rebuild without holding it up; requests made meanwhile coalesce."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pending: tuple | None = None  # the arguments of search.indexing.Indexing.start
        self.running = False
        self.current: Indexing | None = None
        self.closed = False

    def request(self, root: Path, documents: dict[str, str], site_dir: Path) -> None:
        with self.lock:
            self.pending = (root, documents, site_dir)
            if self.running or self.closed:
                return
            self.running = True
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while True:
            with self.lock:
                pending, self.pending = self.pending, None
                if pending is None or self.closed:
                    self.running = False
                    return
                indexing = self.current = Indexing()
                indexing.start(*pending, low_priority=True)
            try:
                _, problem = indexing.result()
            except OSError as exc:
                problem = describe_os_error(exc, pending[0])
            except Exception as exc:  # noqa: BLE001 - the preview goes on; the bug is reported in one line
                problem = internal_error(pending[0], exc)
            if problem and not self.closed:
                log.warning(f"搜索索引生成失败：{problem}")

    def close(self) -> None:
        with self.lock:
            self.closed = True
            current = self.current
        if current is not None:
            current.cancel()
