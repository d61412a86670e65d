"""The MkDocs adapter: the only module that imports `mkdocs`.

The core (load, check, pages) knows nothing of MkDocs.  This module injects the
generated pages as virtual files (nothing is written into docs/ or content/),
installs the shared Markdown configuration and the navigation, and offers the two
entry points the CLI uses: `build_site` and `serve_site`.
"""
from __future__ import annotations

import errno
import html
import json
import logging
import signal
import sys
from concurrent.futures.process import BrokenProcessPool
from importlib import resources
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.commands.serve import serve as mkdocs_serve
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs import utils
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError, PluginError
from markupsafe import Markup
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage

from generator import markdown as shared_markdown
from generator import page_policy, sanitize
from generator.search import documents, indexing
from generator.pages import HOME_MARKER, SiteContent
from generator.incremental import PageReuse
from generator.output import describe_os_error
from generator.preview import Preview
from generator.project import SiteProblem, load_site_content, publishable
from generator.terminal import NoProgress

STYLESHEET = "assets/zhengxie.css"
SEARCH_SCRIPT = "assets/zhengxie-search.js"
log = logging.getLogger("mkdocs.plugins.zhengxie")


class ZhengxieConfig(Config):
    drafts = config_options.Type(bool, default=False)


class ZhengxiePlugin(BasePlugin[ZhengxieConfig]):
    # As it has on_startup, MkDocs makes this plugin once per process and hands the same
    # instance to every later load of mkdocs.yml: each rebuild of `serve` (self.config is
    # new each time) and each build_site().  What build_site() hands over lasts one build.
    # What a running `zhengxie serve` keeps between rebuilds; on the class, as serve_site() sets
    # it before MkDocs loads mkdocs.yml, when there may be no instance yet.
    preview: Preview | None = None

    def __init__(self) -> None:
        super().__init__()
        self.serving = False  # `mkdocs serve` (not --clean): drafts shown, preview policy
        self.dirty = False  # the builds skip the pages not modified
        self.preloaded: SiteContent | None = None  # handed over by build_site() for one build
        self.handed_reuse: PageReuse | None = None  # likewise
        self.content: SiteContent | None = None
        self.progress = NoProgress()  # a build's progress bar, set by build_site()
        self.reuse: PageReuse | None = None  # which pages to render, and the record of this build
        self.listings: str | None = None  # the tags plugin's listing directive
        self.root: Path | None = None
        self.documents: documents.DocumentWriter | None = None  # search documents, made beside rendering
        self.pages_read = None  # build_site()'s callback once every page body is rendered

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Once per command, before its first build, with the `dirty` its builds get.
        # `serve --clean` announces itself as "build" and builds as `build` does (no drafts).
        self.serving = command == "serve"
        self.dirty = dirty

    def on_shutdown(self) -> None:
        # `mkdocs serve` removes its temporary site right after this event: the preview's
        # indexing, which writes into that folder, is stopped first.
        if ZhengxiePlugin.preview is not None:
            ZhengxiePlugin.preview.close()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # Runs before files are collected, so the content, the Markdown configuration
        # and the navigation are in place for every later step and plugin.
        # MkDocs keeps this plugin across the rebuilds of `serve` (see the class): content is
        # loaded afresh for every build unless the CLI has just loaded and checked it.
        root = self.root = Path(config.config_file_path).parent
        self.content, self.preloaded = self.preloaded, None
        handed, self.handed_reuse = self.handed_reuse, None
        if self.content is None:
            drafts = self.config.drafts or self.serving
            try:
                self.content = load_site_content(root, drafts=drafts, strict=not self.serving)
            except SiteProblem as problem:
                raise PluginError(str(problem)) from None
        # content/site.yml is the editors' one place for the committee's name.
        config.site_name = self.content.site_name
        config.site_description = config.site_description or self.content.site_description
        config.markdown_extensions = shared_markdown.extensions()
        config.mdx_configs = dict(shared_markdown.EXTENSION_CONFIGS)
        if not config.nav:
            config.nav = self.content.nav
        # The nav lists collections and years by design; the pages under them are expected.
        config.validation.nav.omitted_files = logging.DEBUG
        config.extra_css.append(STYLESHEET)
        config.extra_javascript.append(SEARCH_SCRIPT)
        # The tags index in a layout of the generator's own (theme/fragments/tags/zhengxie/): with
        # the theme's templates escaping, the default layout would escape its headings twice.
        config.theme.dirs.append(str(resources.files("generator") / "theme"))
        tags = config.plugins.get("material/tags") or config.plugins.get("tags")
        if tags is not None:
            tags.config.listings_layout = "zhengxie"
        self.listings = tags.config.listings_directive if tags is not None and tags.config.enabled else None
        config.watch.append(str(root / "content"))
        self.theme_outputs = set(config.theme.static_templates)
        if ZhengxiePlugin.preview is not None:
            self.reuse = ZhengxiePlugin.preview.pages_for(Path(config.site_dir))
            if self.reuse.same_layout(self.content):
                config.theme.static_templates.clear()  # 404 page and sitemap are as the last rebuild left them
        elif handed is not None:
            self.reuse = handed
        else:  # MkDocs run by itself: every page rendered, still recorded
            self.reuse = PageReuse(root, None, Path(config.site_dir), shares_old_files=False)
        self.documents = documents.DocumentWriter(root, self.reuse.environment)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        # docs/' own files are copied as they are: only those check allows (a document or an
        # image inside docs/), so that a bare `mkdocs build` publishes no more than `zhengxie build`.
        for file in [f for f in files if f.generated_by is None and not f.is_documentation_page()]:
            if file.abs_src_path and Path(file.abs_src_path).is_relative_to(Path(config.docs_dir)):
                if publishable(Path(config.docs_dir), file.src_uri) is not None:
                    files.remove(file)
        # Generated pages are virtual files: docs/ and content/ stay as the editor left them.
        for page in self.content.pages:
            if files.get_file_from_path(page.src_uri) is not None:
                raise PluginError(f"docs/{page.src_uri} 与自动生成的页面同名，请改名或删除")
            files.append(File.generated(config, page.src_uri, content=page.text()))
        # The bytes the check read and kept, not the file in content/ (which may have changed since).
        # None takes the place of a page or of the site's own files (content_files keeps them in
        # the collections' folders; this is the last word).
        taken = {file.dest_uri for file in files}
        for asset, stored in self.content.assets.items():
            file = File.generated(config, asset, abs_src_path=str(stored))
            if file.dest_uri in taken:
                raise PluginError(f"content/{asset}: 错误: 这个文件会占用网站自己的文件 {file.dest_uri}，请改名")
            files.append(file)
        outputs = [Path(config.site_dir, name) for name in config.theme.static_templates]
        outputs += [p.with_name(p.name + ".gz") for p in outputs]
        self.reuse.mark(self.content, files, outputs, listings=self.listings)
        # The search box's script lives with the rest of search (generator/search/), published beside the stylesheet.
        sources = {STYLESHEET: resources.files("generator") / "assets", SEARCH_SCRIPT: resources.files("generator.search")}
        for name, folder in sources.items():
            files.append(File.generated(config, name, content=(folder / name.split("/")[-1]).read_bytes()))
        return files

    @event_priority(-100)  # last: MkDocs reads the pages after every plugin's on_nav
    def on_nav(self, nav, *, config: MkDocsConfig, files: Files):
        self.progress.start(2 * len(self.reuse.rendered))  # each page is rendered, then written
        if not self.dirty:
            return nav  # MkDocs takes every page through every event itself
        # A page a dirty build skips still goes through what MkDocs does to a page before
        # rendering it (mkdocs/commands/build.py, _populate_page): on_pre_page, reading,
        # on_page_markdown.  Other plugins see every page (the tags plugin collects its tags),
        # so the nav and listings of the pages rendered come out as in a full build; only
        # the costly rendering is skipped.
        inclusion = InclusionLevel.is_in_serve if self.serving else InclusionLevel.is_included  # as build() picks
        for file in files.documentation_pages(inclusion=inclusion):
            if file.is_modified():
                continue  # MkDocs does it
            if file.page is None:  # not_in_nav, or a draft: build() makes its Page right after on_nav
                MkDocsPage(None, file, config)
            page = config.plugins.on_pre_page(file.page, config=config, files=files)
            page.read_source(config)
            page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
        return nav

    @event_priority(150)  # before the tags plugin renders its listings with this environment
    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        # MkDocs has rendered every page this build renders (on_page_content has seen each
        # one) and is about to write the pages out through the theme.  From here every string
        # the theme inserts is escaped unless it is Markup: page bodies (sanitized below),
        # MkDocs' own script tags and the theme's macros.
        env.autoescape = True
        self.inline_scripts = {}
        self.outputs = {file.dest_uri for file in files}
        if self.pages_read is not None:
            self.pages_read(self.reuse.state, self.documents.submitted())
        if ZhengxiePlugin.preview is not None:
            env.bytecode_cache = ZhengxiePlugin.preview.templates  # theme templates compiled once
        return env

    def on_page_markdown(self, markdown: str, *, page: MkDocsPage, **kwargs) -> str:
        if HOME_MARKER in markdown:
            return markdown.replace(HOME_MARKER, self.content.home)
        return markdown

    @event_priority(-100)  # last: what any plugin put in the body is sanitized too
    def on_page_content(self, html: str, *, page: MkDocsPage, **kwargs) -> Markup:
        # The body as published: the allow-list applied, whatever the source.  `check` has
        # told the editor about everything it removes; finding more here stops the build.
        body = sanitize.clean(html)
        removed = sanitize.removals(html, body)
        if removed:
            where = _source_of(page)
            raise PluginError(f"{where}: 错误: {sanitize.message(removed[0])}（生成的页面 {page.file.src_uri} 中）")
        _plain_titles(page)
        # Only the page body is indexed (not nav or header), with the filters the core wrote.
        self.progress.advance()
        try:
            key = self.documents.add(page.file.dest_uri, body, page.title or "", page.meta.get("zhengxie"))
        except BrokenProcessPool:
            raise PluginError(_WORKER_DIED) from None
        self.reuse.add_search_document(page.file.dest_uri, key)
        return Markup(body)

    def on_page_context(self, context, *, page: MkDocsPage, **kwargs):
        # The tags plugin rewrites a listing page's body in its on_env, after every
        # on_page_content, with the theme's (escaping) templates: what it gives back is the
        # theme's markup, as a plain str.
        if not isinstance(page.content, Markup) and page.content is not None:
            page.content = Markup(page.content)
        return context

    def on_template_context(self, context, *, template_name: str, **kwargs):
        self.template_base = context.get("base_url", "")
        return context

    @event_priority(-100)  # last: the page exactly as it is written out
    def on_post_page(self, output: str, *, page: MkDocsPage, config: MkDocsConfig) -> str:
        self.progress.advance()
        return self._policy(output, utils.get_relative_url(".", page.url), config)

    def on_post_template(self, output: str, *, template_name: str, config: MkDocsConfig) -> str:
        if not template_name.endswith(".html"):
            return output
        return self._policy(output, self.template_base, config)

    def _policy(self, output: str, base_url: str, config: MkDocsConfig) -> str:
        """The CSP <meta>, the search box's collections, and the theme's inline scripts (as its
        partials write them here) moved to files."""
        output = _with_collections(output, self.content.collections)
        if base_url not in self.inline_scripts:
            env = config.theme.get_env()
            env.autoescape = True
            context = {"config": config, "base_url": base_url, "features": config.theme.get("features") or [], "page": None}
            self.inline_scripts[base_url] = page_policy.theme_scripts(env, context)
        try:
            policy = page_policy.PREVIEW_POLICY if self.serving else page_policy.POLICY
            return page_policy.apply(output, Path(config.site_dir), self.inline_scripts[base_url], policy)
        except page_policy.InlineScript as script:
            raise PluginError(f"内部错误：页面中有不是主题写的内联脚本（{script}），未发布") from None

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        try:
            self.documents.finish()
        except OSError as exc:
            raise PluginError(f"无法写入搜索文档（{documents.STORE}）：{describe_os_error(exc, self.root)}") from None
        except BrokenProcessPool:
            raise PluginError(_WORKER_DIED) from None
        # `zhengxie build` indexes the finished site itself; a preview indexes on every rebuild.
        if ZhengxiePlugin.preview is not None:
            # A preview rebuilds into the same folder: what this build no longer makes (a
            # deleted or renamed file's page) must not go on answering.
            ZhengxiePlugin.preview.prune(Path(config.site_dir), self.outputs | self.theme_outputs)
            ZhengxiePlugin.preview.built(Path(config.site_dir))
        elif self.serving:
            _, problem = indexing.index_documents(self.root, self.reuse.state.search_docs, Path(config.site_dir))
            if problem:
                log.warning(f"搜索索引生成失败：{problem}")

    def on_build_error(self, *, error: Exception) -> None:
        if self.documents is not None:  # None: the build failed before it began (content errors)
            self.documents.abandon()


_WORKER_DIED = "生成搜索文档的进程意外结束（可能是内存不足或被终止）"
COLLECTIONS_META = "zhengxie:collections"  # read by search/zhengxie-search.js


def _with_collections(output: str, collections: list[str]) -> str:
    """The page with the search box's collections in a <meta> at the end of its <head>: data,
    not script, so the page's CSP (no inline script) holds."""
    value = html.escape(json.dumps(collections, ensure_ascii=False, separators=(",", ":")), quote=True)
    meta = f'<meta name="{COLLECTIONS_META}" content="{value}">'
    at = output.find("</head>")
    return output if at < 0 else output[:at] + meta + output[at:]


def _source_of(page: MkDocsPage) -> str:
    """The file an editor would open for a generated or hand-written page."""
    if page.file.generated_by is not None:
        return f"content/{page.file.src_uri}"
    return f"docs/{page.file.src_uri}"


def _plain_titles(page: MkDocsPage) -> None:
    """Titles the theme inserts (escaping them) as text: MkDocs keeps the table of
    contents and a title taken from the first heading as HTML."""
    for item in _toc_items(page.toc):
        item.title = sanitize.text(item.title)
    if "title" not in page.meta and page.title:
        page.meta["title"] = sanitize.text(page.title)


def _toc_items(items):
    for item in items:
        yield item
        yield from _toc_items(item.children)


def _mkdocs_logging(level: int) -> None:
    """Show MkDocs' messages from `level` up: a build shows warnings and errors, a preview its progress too."""
    logger = logging.getLogger("mkdocs")
    logger.setLevel(level)
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("MkDocs %(levelname)s: %(message)s"))
        logger.addHandler(handler)


def build_site(
    root: Path, site_dir: Path, content: SiteContent, progress=None, reuse: PageReuse | None = None,
    incremental: bool = False, pages_read=None,
) -> str | None:
    """Build the site into `site_dir`; returns None on success, else MkDocs' message.

    `progress` (a terminal.Stage) advances twice per page rendered: rendered, then written.
    `reuse` records each page's digest; with `incremental`, `site_dir` already holds the
    previous build's output and only changed pages are rendered.  `pages_read(state,
    made)` is called once every page's body is rendered, before the pages are written out:
    `state` is `reuse.state` with every page's search document key, `made` the futures of
    the documents still being made.
    """
    from mkdocs.config import load_config

    _mkdocs_logging(logging.WARNING)
    errors = _BuildErrors()
    build_log = logging.getLogger("mkdocs.commands.build")
    build_log.addFilter(errors)
    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
        plugin = config.plugins.get("zhengxie")
        if plugin is None:
            return "mkdocs.yml 的 plugins 中缺少 zhengxie"
        # The events `mkdocs build` runs around a build (mkdocs/__main__.py, build_command).
        config.plugins.on_startup(command="build", dirty=incremental)
        plugin.preloaded = content
        plugin.handed_reuse = reuse
        plugin.progress = progress or NoProgress()
        plugin.pages_read = pages_read
        try:
            mkdocs_build(config, dirty=incremental)
        finally:
            # The plugin outlives this build (see ZhengxiePlugin): what it was handed is for this one only.
            plugin.preloaded = plugin.handed_reuse = plugin.pages_read = None
            plugin.progress = NoProgress()
            config.plugins.on_shutdown()
    except Abort as exc:  # the error it stands for was logged; "Aborted with …" says nothing more
        return "；".join(errors.messages) or str(exc)
    except (ConfigurationError, PluginError) as exc:
        return str(exc)
    finally:
        build_log.removeFilter(errors)
        logging.getLogger("mkdocs").handlers.clear()
    return None


class _BuildErrors(logging.Filter):
    """Keeps the errors MkDocs logs when a build fails (a plugin's own message among them)
    for the one line the build prints, instead of letting MkDocs print them in English."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR:
            self.messages.append(record.getMessage())
            return False
        return True


def serve_site(root: Path, address: str) -> str | None:
    """Live preview with drafts; content/ is watched, saving a file rebuilds and reloads.

    Returns None when stopped normally, else the reason it could not run.
    """
    # Before MkDocs loads mkdocs.yml (and so makes the plugin, or takes the one it has).
    preview = ZhengxiePlugin.preview = Preview(root)
    _mkdocs_logging(logging.INFO)
    # Stopped by a service manager (SIGTERM) as by Ctrl-C: MkDocs shuts its server down, and
    # the indexing under way is stopped before this process goes.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        mkdocs_serve(str(root / "mkdocs.yml"), dev_addr=address, livereload=True, build_type="dirty")
    except OSError as exc:
        if exc.errno in (errno.EADDRINUSE, errno.EADDRNOTAVAIL) or (exc.errno == errno.EACCES and exc.filename is None):
            return f"无法在 {address} 启动预览：{describe_os_error(exc)}（可用 --address 换一个端口，如 127.0.0.1:8001）"
        return f"预览未能运行：{describe_os_error(exc, root)}"
    except (Abort, ConfigurationError, PluginError) as exc:
        return str(exc)
    finally:
        signal.signal(signal.SIGTERM, previous)
        preview.close()
        ZhengxiePlugin.preview = None
    return None


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _quiet_build_messages(record: logging.LogRecord) -> bool:
    # Which pages are stale is decided by incremental.PageReuse, so MkDocs' caution about
    # dirty builds does not apply (and in strict mode it would count as a warning).  A page
    # that fails names only the page: the build says why, in Chinese, right after.
    message = record.getMessage()
    return "'dirty' build" not in message and not message.startswith(("Error reading page", "Error building page"))


logging.getLogger("mkdocs.commands.build").addFilter(_quiet_build_messages)
