"""Doing again only what changed: which pages to render, and what a build leaves for the next.

MkDocs' dirty mode skips every page whose `File.is_modified()` is false; `PageReuse`
decides that flag.  A page is modified when its Markdown differs from the previous
build's (for a hand-written page: the file, plus the generated lists the home page
shows), or its output is missing.  When the layout changes (navigation, any title or
tag, the set of pages, the site name, the configuration, the generator or theme),
every page is.

`zhengxie build` starts from a copy of the previous `site/` made of hard links (cheap,
and the old site is never written: every output about to be written is unlinked first,
so it gets a new file), and records `BuildState` in `.cache/` after the swap.  A preview
keeps the same record in memory.  This module does not import MkDocs: it is handed
MkDocs' `File` objects by the adapter.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

from generator.search.documents import has_document
from generator.output import link_file, write_file
from generator.pages import HOME_MARKER, SiteContent

STATE_DIR = ".cache/build"  # one record per site directory built
_VERSIONED = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "nh3", "pagefind", "typst")


def digest(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def environment(root: Path) -> str:
    """What decides every page besides its own Markdown: configuration, generator, theme."""
    config = (root / "mkdocs.yml").read_bytes() if (root / "mkdocs.yml").is_file() else b""
    return digest(config + b"\0" + _installed().encode())


@lru_cache(maxsize=1)
def _installed() -> str:
    """The generator's own files and the versions of the packages that shape its output.

    Fixed for the life of a process, so a build or a preview rebuild hashes them once.
    """
    parts = []
    for name in _VERSIONED:
        try:
            parts.append(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            parts.append(name.encode())
    package = Path(str(resources.files("generator")))
    for file in sorted(package.rglob("*")):
        if file.is_file() and file.suffix in (".py", ".j2", ".css", ".js", ".typ", ".html"):
            parts.append(file.relative_to(package).as_posix().encode() + b"\0" + file.read_bytes())
    return digest(b"\0".join(parts))


def layout_of(content: SiteContent, environment_digest: str) -> str:
    """What every page shows: the nav (titles), the site name, the tags index, the set of files."""
    pages = [(p.src_uri, p.title, p.meta.get("tags")) for p in content.pages]
    return digest(repr((environment_digest, content.nav, content.site_name, pages, sorted(content.assets))))


@dataclass
class BuildState:
    """What the last complete build of a site directory was made from."""

    site_dir: str
    layout: str
    pages: dict[str, str] = field(default_factory=dict)  # page source path -> digest of its Markdown
    search_docs: dict[str, str] = field(default_factory=dict)  # page output path -> search document key
    assets: dict[str, str] = field(default_factory=dict)  # published file -> digest of its kept bytes

    def search_key(self) -> str:
        return digest(repr((self.layout, sorted(self.search_docs.items()))))


def load_state(root: Path, site_dir: Path) -> BuildState | None:
    """The previous build of `site_dir`, if its record and its output are both there."""
    file = _state_file(root, site_dir)
    if not (site_dir / "index.html").is_file() or not file.is_file():
        return None
    try:
        state = BuildState(**json.loads(file.read_text(encoding="utf-8")))
    except (ValueError, TypeError):
        return None
    return state if state.site_dir == str(site_dir.resolve()) else None


def save_state(root: Path, state: BuildState) -> None:
    write_file(_state_file(root, Path(state.site_dir)), json.dumps(asdict(state), ensure_ascii=False).encode("utf-8"))


def _state_file(root: Path, site_dir: Path) -> Path:
    return root / STATE_DIR / f"{digest(str(site_dir.resolve()))}.json"


def link_tree(source: Path, target: Path, skip: tuple[str, ...]) -> None:
    """Fill `target` with hard links to every file of `source` (top-level names in `skip` left out)."""
    for folder, directories, files in os.walk(source):
        relative = Path(folder).relative_to(source)
        if relative == Path("."):
            directories[:] = [d for d in directories if d not in skip]
            files = [f for f in files if f not in skip]
        (target / relative).mkdir(parents=True, exist_ok=True)
        for name in files:
            link_file(Path(folder) / name, target / relative / name)


class PageReuse:
    """Sets `is_modified` on MkDocs' files so a dirty build renders only what changed."""

    def __init__(self, root: Path, previous: BuildState | None, site_dir: Path, shares_old_files: bool) -> None:
        self.root = root
        self.environment = environment(root)
        self.previous = previous
        self.site_dir = site_dir
        self.shares_old_files = shares_old_files  # outputs are hard links into the old site
        self.state: BuildState | None = None
        self.rendered: list[str] = []

    def same_layout(self, content: SiteContent) -> bool:
        return self.previous is not None and self.previous.layout == layout_of(content, self.environment)

    def mark(self, content: SiteContent, files, theme_outputs: list[Path], *, listings: str | None) -> None:
        """Flag each page; where outputs are shared with the old site, unlink what will be written.

        `listings` is the tags plugin's listing directive (None: no tags plugin): a page
        with a listing shows every page's tags, so it is always rendered.
        """
        listing = _listing_pattern(listings)
        layout = layout_of(content, self.environment)
        everything = self.previous is None or self.previous.layout != layout
        before = {} if everything else self.previous.pages
        documents = {} if everything else self.previous.search_docs
        digests: dict[str, str] = {}
        kept: dict[str, str] = {}
        self.rendered = []
        for file in files.documentation_pages():
            text = file.content_string
            if HOME_MARKER in text:
                text += content.home
            digests[file.src_uri] = digest(text)
            changed = (
                before.get(file.src_uri) != digests[file.src_uri]
                or not os.path.exists(file.abs_dest_path)
                or (listing is not None and listing.search(text) is not None)
                or not has_document(self.root, documents.get(file.dest_uri))
            )
            file.is_modified = (lambda changed=changed: changed)  # read by MkDocs' dirty build
            if changed:
                self.rendered.append(file.src_uri)
            else:
                kept[file.dest_uri] = documents[file.dest_uri]
        # Files bodies use: copied again when their bytes differ from the last build's (not
        # by modification time: the kept copy of bytes seen before can be older than the site).
        assets: dict[str, str] = {}
        before_assets = {} if everything else self.previous.assets
        for file in files:
            if file.src_uri in content.assets:
                assets[file.src_uri] = Path(content.assets[file.src_uri]).stem
                changed = before_assets.get(file.src_uri) != assets[file.src_uri] or not os.path.exists(file.abs_dest_path)
                file.is_modified = (lambda changed=changed: changed)
        if self.shares_old_files:
            for file in files:
                if file.is_modified():
                    _unlink(Path(file.abs_dest_path))
            for output in theme_outputs:  # 404 page and sitemap, written in place by MkDocs
                _unlink(output)
        self.state = BuildState(str(self.site_dir.resolve()), layout, digests, kept, assets)

    def add_search_document(self, output: str, key: str) -> None:
        """A rendered page's search document (its key in `search.documents.DocumentWriter`'s store)."""
        self.state.search_docs[output] = key


def _listing_pattern(directive: str | None) -> re.Pattern | None:
    # As Material's tags plugin finds a listing (ListingManager.add): the directive is a pattern there too.
    if directive is None:
        return None
    return re.compile(r"(<!--\s*?{directive}(.*?)\s*-->)".format(directive=directive), re.I | re.M | re.S)


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
