"""What every page module shares: the Page record, links, the Jinja2 environment."""
from __future__ import annotations

import html
import json
import posixpath
from dataclasses import dataclass, field

import jinja2

from generator.bodyscan import int_to_chinese
from generator.markdown import escape
from generator.names import PDF_DIR
from generator.presentation import cn_date


@dataclass(frozen=True)
class Page:
    src_uri: str  # e.g. briefings/2018/12.md
    title: str
    markdown: str  # body, without front matter
    meta: dict = field(default_factory=dict)

    def text(self) -> str:
        """The page as MkDocs reads it: YAML front matter, then the body."""
        # JSON is YAML, and much faster to write than yaml.safe_dump.
        front = json.dumps({"title": self.title, **self.meta}, ensure_ascii=False, sort_keys=True, default=str)
        return f"---\n{front}\n---\n\n{self.markdown}"


def rel(from_src: str, to_src: str) -> str:
    """A link from one page's source path to another's, as MkDocs resolves them."""
    target, _, anchor = to_src.partition("#")
    here = from_src.split("/")[:-1]
    there = target.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    link = "/".join([".."] * (len(here) - common) + there[common:])
    return f"{link}#{anchor}" if anchor else link


def page_dir(src_uri: str) -> str:
    """The folder a page is served from: briefings/2018/04.md -> briefings/2018/04."""
    stem = src_uri.removesuffix(".md")
    return posixpath.dirname(stem) if posixpath.basename(stem) == "index" else stem


def pdf_link(src_uri: str, pdf: str | None) -> str:
    """The 下载打印版 link, or nothing when PDFs are not built.

    Raw HTML on purpose: the PDFs are made after MkDocs has checked the links.
    """
    if pdf is None:
        return ""
    href = posixpath.relpath(f"{PDF_DIR}/{pdf}", page_dir(src_uri))
    return f'<a class="zx-pdf" href="{href}" download>下载打印版</a>'


def page_meta(collection: str, year: int | None = None, tags: tuple[str, ...] = ()) -> dict:
    """Front matter every generated page carries (tags for Material; collection and year for search)."""
    meta: dict = {"zhengxie": {"collection": collection}}
    if year is not None:
        meta["zhengxie"]["year"] = year
    if tags:
        meta["tags"] = list(tags)
    return meta


_env = jinja2.Environment(
    # the pages' own templates, then the content types' (a type's module renders its own)
    loader=jinja2.ChoiceLoader(
        [jinja2.PackageLoader("generator", "pages/templates"), jinja2.PackageLoader("generator", "types/templates")]
    ),
    autoescape=False,  # templates produce Markdown; text is escaped with the `md` filter
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
)
_env.filters["md"] = escape
_env.filters["html"] = html.escape  # text inside a raw HTML block, where Markdown escapes are not read
_env.filters["cn"] = int_to_chinese
_env.filters["cn_date"] = cn_date


def render(template: str, **context) -> str:
    return _env.get_template(template).render(**context)


def year_index(here: str, title: str, collection: str, items: list[tuple[int, str, str]]) -> Page:
    """The index of a type of one record per year: (year, title, page source), oldest first."""
    rows = [{"year": year, "title": t, "link": rel(here, target)} for year, t, target in reversed(items)]
    return Page(here, title, render("yearly_index.md.j2", title=title, rows=rows), page_meta(collection))
