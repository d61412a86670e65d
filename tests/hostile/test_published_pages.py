"""What a browser gets: every built page read back with an HTML parser, and hostile pages in Chromium.

The allow-list is asserted on the pages themselves (no event attribute, no script URL after
entity decoding, no script but the site's own files, no style attribute from content), over
the sample, a generated corpus and a site made from every hostile body of `test_payloads`.
That last site is built with `check` bypassed (as if an editor ignored it), and once more
with the raw, unsanitized payloads written into its pages, to show that the
Content-Security-Policy alone stops them.
"""
from __future__ import annotations

import html
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import REPO, copy_project, zhengxie
from test_payloads import BODIES

from generator import page_policy

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "background", "srcset", "ping"}
BANNED_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"}
BANNED_IN_BODY = {"form", "input", "button", "textarea", "select", "meta", "link", "style", "script"}
# Page payloads: everything of test_payloads but the files and bytes (which stop loading itself).
PAGE_PAYLOADS = {
    name: text for name, (text, _) in BODIES.items()
    if not name.startswith(("image", "link to", "missing", "NUL", "escape character", "a NUL", "a page of", "a PDF of"))
}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str], bool]] = []  # tag, attributes, inside the article
        self.scripts: list[tuple[dict[str, str], str]] = []
        self.depth = 0
        self._script: dict[str, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "article":
            self.depth += 1
        self.tags.append((tag, attributes, self.depth > 0))
        if tag == "script":
            self._script, self._text = attributes, []

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth -= 1
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._text)))
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._text.append(data)


def _scheme(value: str) -> str | None:
    plain = re.sub(r"[\t\n\r]", "", html.unescape(value)).strip("".join(map(chr, range(0x21))))
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", plain)
    return match[1].lower() if match else None


def allow_list_violations(site: Path) -> list[str]:
    """Everything in the built pages that the allow-list and the page policy forbid."""
    found = []
    for file in sorted(site.rglob("*.html")):
        where = file.relative_to(site).as_posix()
        parser = _Page()
        parser.feed(file.read_text(encoding="utf-8"))
        metas = [a for t, a, _ in parser.tags if t == "meta" and a.get("http-equiv")]
        if [m.get("content") for m in metas] != [page_policy.POLICY]:
            found.append(f"{where}: Content-Security-Policy meta {metas}")
        first_script = next((i for i, (t, _, _) in enumerate(parser.tags) if t == "script"), None)
        csp_at = next((i for i, (t, a, _) in enumerate(parser.tags) if t == "meta" and a.get("http-equiv")), None)
        if first_script is not None and (csp_at is None or csp_at > first_script):
            found.append(f"{where}: the policy comes after a script")
        for tag, attributes, in_article in parser.tags:
            if tag in BANNED_TAGS or (in_article and tag in BANNED_IN_BODY):
                found.append(f"{where}: <{tag}>")
            for name, value in attributes.items():
                if name.startswith("on"):
                    found.append(f"{where}: <{tag} {name}>")
                if name in URL_ATTRIBUTES and _scheme(value) in ("javascript", "vbscript", "data", "file"):
                    found.append(f"{where}: <{tag} {name}={value!r}>")
                if name == "style" and in_article:
                    found.append(f"{where}: <{tag} style> in the page body")
        for attributes, body in parser.scripts:
            src = attributes.get("src")
            if src is None:
                if attributes.get("type") != "application/json":
                    found.append(f"{where}: inline script {body[:40]!r}")
            elif _scheme(src) or src.startswith("//"):
                found.append(f"{where}: script from elsewhere {src}")
            elif not (file.parent / src.split("?")[0]).resolve().is_file() and not src.startswith("/"):
                found.append(f"{where}: script {src} is not a file of the site")
    return found


def test_every_page_of_the_sample_keeps_to_the_allow_list(built_site):
    assert allow_list_violations(built_site) == []


def test_every_page_of_a_generated_corpus_keeps_to_the_allow_list(tmp_path):
    root = tmp_path / "corpus"
    subprocess.run([sys.executable, str(REPO / "bench/make_corpus.py"), "300", str(root)], check=True, capture_output=True)
    result = zhengxie(root, "build", "--no-pdf")
    assert result.code == 0, result.output
    assert allow_list_violations(root / "site") == []


def test_readme_sends_the_same_policy_as_a_header():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f'add_header Content-Security-Policy "{page_policy.HEADER_POLICY}" always;' in readme
    assert page_policy.HEADER_POLICY.startswith(page_policy.POLICY)


# -- hostile pages in Chromium ----------------------------------------------------------
def _payload_project(root: Path) -> dict[str, str]:
    """One briefing per payload; {payload name: page path}."""
    folder = root / "content/briefings/2030"
    folder.mkdir(parents=True)
    pages = {}
    for number, (name, text) in enumerate(PAGE_PAYLOADS.items(), start=1):
        body = text.replace("\u2063", "")
        (folder / f"{number:02d}.md").write_text(
            f"---\nnumber: {number}\ndate: 2030-01-{min(number, 28):02d}\n---\n\n## 载荷 {number}\n\n{body}\n\n正文到此为止。\n",
            encoding="utf-8",
        )
        pages[name] = f"briefings/2030/{number:02d}/"
    return pages


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """The payload briefings built with `check`'s findings ignored: what the sanitizer alone publishes."""
    root = copy_project(tmp_path_factory.mktemp("payloads") / "project")
    pages = _payload_project(root)
    script = (
        "import sys\n"
        "from generator import mkdocs_plugin, published\n"
        "from generator.commands import build\n"
        "from generator.load import common\n"
        "root = build.Path(sys.argv[1])\n"
        "def quiet(path, body, line):\n"  # check reports nothing; missing files are left out
        "    files = published.inspect(path, body, line).files\n"
        "    here = (root / path).parent\n"
        "    return published.Inspection(tuple(f for f in files if (here / f.target).is_file()), ())\n"
        "common.inspect = quiet\n"
        "mkdocs_plugin.sanitize.removals = lambda *args, **kwargs: []\n"  # and the build does not stop on what it removes
        "sys.exit(build.build(build.Path(sys.argv[1]), build.Path(sys.argv[1]) / 'site', pdf=False))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(root)], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    return root / "site", pages


def test_the_sanitized_payload_pages_keep_to_the_allow_list(hostile_site):
    site, _ = hostile_site
    assert allow_list_violations(site) == []


def _raw_payload_site(site: Path, pages: dict[str, str], target: Path) -> None:
    """A copy of the site with each payload's unsanitized HTML put back into its page: what
    would be published if the sanitizer missed everything."""
    import shutil

    from generator.markdown import render

    shutil.copytree(site, target)
    for name, page in pages.items():
        file = target / page / "index.html"
        text = file.read_text(encoding="utf-8")
        raw = render(PAGE_PAYLOADS[name].replace("\u2063", ""))
        file.write_text(text.replace("正文到此为止。", "正文到此为止。</p>" + raw + "<p>", 1), encoding="utf-8")


def _visit(context, url: str) -> tuple[list[str], set[str], bool]:
    """Open a page, hover, focus and click everything in it: the dialogs it opened, the hosts
    it asked and whether it went to another page by itself."""
    from urllib.parse import urlsplit

    from playwright.sync_api import Error

    page = context.new_page()
    dialogs, hosts = [], set()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: hosts.add(urlsplit(r.url).hostname))
    page.goto(url)
    try:
        page.evaluate(
            """() => {
            for (const el of document.querySelectorAll('article *')) {
              for (const kind of ['mouseover', 'mouseenter', 'focus', 'toggle', 'load', 'error']) el.dispatchEvent(new Event(kind));
              if (el.tagName === 'A' && /^\\s*(javascript|vbscript|data):/i.test(el.getAttribute('href') || '')) el.click();
              if (el.onclick || el.getAttribute('onclick')) el.click();
            }
          }"""
        )
        page.wait_for_timeout(100)
        navigated = page.url != url
    except Error:  # the page went elsewhere while it was being looked at
        navigated = True
    page.close()
    return dialogs, hosts, navigated


@pytest.fixture(scope="module")
def browser():
    from browser import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright  # a test requirement: missing fails, never skips

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


# Payloads whose raw form navigates or fetches rather than runs script (a meta refresh, a
# plain link elsewhere): the policy is about script, so only their dialogs are counted.
_NAVIGATES = {"meta refresh", "full-page overlay by style", "iframe", "SCRIPT with src", "base"}


def test_no_payload_runs_in_chromium_sanitized_or_not(browser, hostile_site, tmp_path):
    from browser import SiteServer

    site, pages = hostile_site
    raw = tmp_path / "raw-site"
    _raw_payload_site(site, pages, raw)
    ran = []
    for folder in (site, raw):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        with SiteServer(folder) as server:
            for name, page in pages.items():
                dialogs, hosts, navigated = _visit(context, server.url + page)
                if dialogs:
                    ran.append(f"{folder.name} {name}: dialog {dialogs}")
                if folder == site and navigated:
                    ran.append(f"{folder.name} {name}: went to another page")
                if hosts - {"127.0.0.1", None} and (folder == site or name not in _NAVIGATES):
                    ran.append(f"{folder.name} {name}: asked {hosts - {'127.0.0.1', None}}")
        context.close()
    assert ran == []
    # The raw pages hold live payloads: with the policy taken out, one runs.
    probe = raw / pages["img/src/onerror without spaces"] / "index.html"
    meta = f'<meta http-equiv="Content-Security-Policy" content="{page_policy.POLICY}">'
    probe.write_text(probe.read_text(encoding="utf-8").replace(meta, ""), encoding="utf-8")
    context = browser.new_context()
    with SiteServer(raw) as server:
        dialogs, _, _ = _visit(context, server.url + pages["img/src/onerror without spaces"])
    context.close()
    assert dialogs and set(dialogs) == {"1"}
