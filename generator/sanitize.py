"""The allow-list every HTML fragment made from content passes before it is published.

Safety does not depend on recognising bad input: a page body is parsed by nh3 (the
binding of Rust's ammonia, an HTML5 parser) and only the tags, attributes, classes and
URL schemes listed here survive, however the source spelled them.  `removals()` says
what the allow-list takes away (the same parse, once strict and once permissive, and the
two results compared), so that `check` can tell the editor instead of dropping it
silently.
"""
from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

import nh3
from pygments.token import STANDARD_TYPES

_SVG = {"svg", "g", "rect", "text"}  # the build's own bar charts (pages/charts.py); not <title>, hidden in HTML
TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "details",
    "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "nav", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
    "ruby", "rt", "rp", "rb", "center", "font",  # 注音 of rare characters; what Word and old pages paste
    *_SVG,
})  # fmt: skip
# Removed with everything inside them; other tags not allowed are removed, their text kept.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "textarea", "select", "option", "xmp", "noembed", "noframes"})

# Presentational attributes Word and older pages write (align, valign, width, border…) only
# lay out; none loads or runs anything.
_CELL = {"align", "valign", "colspan", "rowspan", "width", "height", "nowrap"}
_ALIGNED = {"align"}
ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "download", "name", "target", "rel"},
    "img": {"src", "alt", "width", "height", "align", "loading"},
    "ol": {"start", "type", "reversed"}, "ul": {"type"}, "li": {"type", "value"},
    "p": _ALIGNED, "div": {"align", "markdown"}, "h1": _ALIGNED, "h2": _ALIGNED, "h3": _ALIGNED,
    "h4": _ALIGNED, "h5": _ALIGNED, "h6": _ALIGNED, "caption": _ALIGNED, "hr": {"align", "width", "size", "noshade"},
    "table": {"align", "width", "border", "cellspacing", "cellpadding", "summary"},
    "tr": {"align", "valign", "height"}, "tbody": {"align", "valign"}, "thead": {"align", "valign"},
    "td": _CELL, "th": _CELL | {"scope"}, "col": {"span", "width"}, "colgroup": {"span", "width"},
    "font": {"color", "face"},
    "details": {"open"},
    "time": {"datetime"},
    "svg": {"viewBox", "width", "height", "role", "aria-label", "xmlns"},
    "rect": {"x", "y", "width", "height", "rx", "data-label", "data-value"},
    "text": {"x", "y", "text-anchor"},
}  # fmt: skip
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})  # and relative URLs

# Admonition (!!! note) and details (??? tip) types that the theme draws.
ADMONITIONS = frozenset({
    "note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important", "success", "check",
    "done", "question", "help", "faq", "warning", "caution", "attention", "failure", "fail", "missing",
    "danger", "error", "bug", "example", "quote", "cite",
})  # fmt: skip
COMMON_ADMONITIONS = ("note", "info", "tip", "success", "question", "warning", "danger", "example", "quote")
# Classes the generated pages use.  Not every zx- class: the search dialog's full-screen
# scrim, for one, is not something a body may borrow.
CLASSES = frozenset({
    "admonition", "admonition-title", "footnote", "footnote-ref", "footnote-backref", "headerlink", "toc",
    "highlight", "highlighttable", "linenos", "linenodiv", "filename", "grid", "cards", *ADMONITIONS,
    "zx-badge", "zx-badge--current", "zx-badge--trial", "zx-badge--revised", "zx-badge--repealed", "zx-byline",
    "zx-chart", "zx-chart-box", "zx-chart__bar", "zx-chart__label", "zx-chart__value", "zx-contents", "zx-date",
    "zx-editor-note", "zx-editor-note__label", "zx-figure", "zx-figure--omitted", "zx-home", "zx-kind",
    "zx-masthead", "zx-masthead__date", "zx-masthead__marking", "zx-masthead__number", "zx-masthead__office", "zx-masthead__title",
    "zx-meta", "zx-omitted", "zx-pager", "zx-pager__index", "zx-pager__next", "zx-pager__prev", "zx-pdf",
    "zx-plan-summary", "zx-status", "zx-status--done", "zx-subtitle", "zx-tiao",
})  # fmt: skip
_PYGMENTS = frozenset(STANDARD_TYPES.values()) - {""}


def allowed_class(name: str) -> bool:
    if name in CLASSES or name in _PYGMENTS:
        return True
    # code highlighting: a token type's class and its subtypes (l-Scalar-Plain), language-python
    head, _, rest = name.partition("-")
    if head in _PYGMENTS and rest and all(part[:1].isupper() for part in rest.split("-")):
        return True
    return head == "language" and bool(re.fullmatch(r"[a-z0-9+#._]{1,30}", rest))


_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_URL_NOISE = re.compile(r"[\t\n\r]+")  # what browsers remove anywhere in a URL


_TRIMMED = "".join(map(chr, range(0x21)))  # C0 controls and space, trimmed from both ends


def _as_browser_reads(value: str) -> str:
    """A URL attribute as a browser parses it: entities decoded, tabs and newlines gone, ends trimmed."""
    return _URL_NOISE.sub("", html.unescape(value)).strip(_TRIMMED)


def url_scheme(value: str) -> str | None:
    """The scheme a browser sees in a URL attribute (entities decoded, tabs and spaces dropped)."""
    match = _SCHEME.match(_as_browser_reads(value))
    return match[1].lower() if match else None


def local_target(value: str) -> bool:
    """A relative URL: no scheme, not from the server's root or another host."""
    plain = _as_browser_reads(value)
    return url_scheme(value) is None and not plain.startswith(("/", "\\"))


def allowed_url(value: str) -> bool:
    """A link the allow-list keeps: http, https, mailto or relative."""
    scheme = url_scheme(value)
    return scheme is None or scheme in URL_SCHEMES


def _attribute(element: str, attribute: str, value: str) -> str | None:
    if attribute == "class":
        kept = [name for name in value.split() if allowed_class(name)]
        return " ".join(kept) or None
    if attribute in ("id", "name") and value.startswith("__"):
        return None  # the theme's own elements (__config, __drawer, ...) must stay the first of their id
    if attribute == "target" and value not in ("_blank", "_self"):
        return None  # a named frame or window of another page
    if element == "img" and attribute == "src" and not local_target(value):
        return None  # nothing is fetched from elsewhere
    return value


_STRICT = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
    attribute_filter=_attribute,
    link_rel=None,
    url_schemes=set(URL_SCHEMES),
    strip_comments=True,
)


def clean(fragment: str) -> str:
    """The fragment with everything outside the allow-list removed."""
    return _STRICT.clean(fragment)


_TEXT_ONLY = nh3.Cleaner(tags=set(), attributes={}, link_rel=None, strip_comments=True)


def text(fragment: str) -> str:
    """The text of an HTML fragment, tags gone and entities decoded (to be escaped where it goes)."""
    return html.unescape(_TEXT_ONLY.clean(fragment))


# -- what the allow-list removes ------------------------------------------------
_TAG_NAME = re.compile(r"<\s*([a-zA-Z][^\s/>]*)")
_ANY_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_KNOWN_SCHEMES = frozenset({"javascript", "vbscript", "data", "file", "ftp", "blob", "tel", "about", "chrome"})


# SVG's element names as the HTML parser spells them (<foreignobject> becomes foreignObject):
# the permissive side must keep them to see them go.
_SVG_CAMEL_CASE = frozenset({
    "altGlyph", "altGlyphDef", "altGlyphItem", "animateColor", "animateMotion", "animateTransform", "clipPath",
    "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feConvolveMatrix", "feDiffuseLighting",
    "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR",
    "feGaussianBlur", "feImage", "feMerge", "feMergeNode", "feMorphology", "feOffset", "fePointLight",
    "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence", "foreignObject", "glyphRef", "linearGradient",
    "radialGradient", "textPath",
})  # fmt: skip


@lru_cache(maxsize=64)
def _permissive(tags: frozenset[str], schemes: frozenset[str]) -> nh3.Cleaner:
    """The same parse and serialisation, keeping every tag, attribute and URL given."""
    return nh3.Cleaner(
        tags=set(tags), clean_content_tags=set(), attributes={}, generic_attribute_prefixes={""},
        link_rel=None, url_schemes=set(schemes), strip_comments=True,
    )


def as_written(fragment: str) -> str:
    """The fragment parsed and written out again with nothing removed (to compare with `clean`)."""
    tags = frozenset({name.lower() for name in _TAG_NAME.findall(fragment)}) | TAGS | _SVG_CAMEL_CASE
    decoded = _URL_NOISE.sub("", html.unescape(fragment))  # every scheme written, however spelled
    schemes = frozenset(s.lower() for s in _ANY_SCHEME.findall(decoded)) | URL_SCHEMES | _KNOWN_SCHEMES
    return _permissive(tags, schemes).clean(fragment)


@dataclass(frozen=True)
class Removal:
    """One thing the allow-list takes out: a whole element, or one attribute (or class) of one."""

    tag: str
    attribute: str | None = None
    value: str = ""
    admonition: bool = False  # a class of a note box (!!! / ???): its type

    def needle(self) -> str:
        """What to look for in the source line that caused it."""
        if self.attribute is None:
            return self.tag.strip("+")
        if self.attribute == "class":
            return self.value
        return self.attribute


class _StartTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag


def start_tags(serialised: str) -> list[tuple[str, dict[str, str]]]:
    # Both sides come from nh3's serialiser, so html.parser reads them as a browser would.
    parser = _StartTags()
    parser.feed(serialised)
    parser.close()
    return parser.found


def removals(fragment: str, strict: str | None = None, written: str | None = None) -> list[Removal]:
    """What `clean` takes out of a fragment, in document order (empty: it passes as written).

    `strict` and `written`, when the caller has them already, are `clean(fragment)` and
    `as_written(fragment)`.
    """
    strict = clean(fragment) if strict is None else strict
    written = as_written(fragment) if written is None else written
    if strict == written:
        return []
    before, after = start_tags(written), start_tags(strict)
    found: list[Removal] = []
    matcher = difflib.SequenceMatcher(None, [t for t, _ in before], [t for t, _ in after], autojunk=False)
    for operation, i1, i2, j1, _ in matcher.get_opcodes():
        if operation == "equal":
            for (tag, attrs), (_, kept) in zip(before[i1:i2], after[j1 : j1 + (i2 - i1)]):
                found += _attribute_removals(tag, attrs, kept)
        else:
            found += [Removal(tag) for tag, _ in before[i1:i2]]
    return found or [Removal("#text")]  # the parse changed something no tag shows


class _Text(HTMLParser):
    """What a reader sees of some HTML: its text, outside script and style, spaces collapsed."""

    HIDDEN = {"script", "style", "template", "noscript", "textarea", "title", "xmp", "noembed", "noframes"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in self.HIDDEN

    def handle_endtag(self, tag):
        self.hidden -= tag in self.HIDDEN and self.hidden > 0

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


_INVISIBLE = re.compile("[\x00-\x1f\x7f\ufffd\\s]+")  # spaces, and what parsers replace control characters with


def visible_text(fragment: str) -> str:
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    return _INVISIBLE.sub("", "".join(parser.parts))


def text_lost(fragment: str, strict: str | None = None) -> bool:
    """Whether text a lenient reading of `fragment` shows is missing once it is cleaned (an
    element the HTML parser moves or drops, such as markup inside an SVG <title>)."""
    return visible_text(fragment) != visible_text(clean(fragment) if strict is None else strict)


_CONTAINERS = frozenset({"div", "section", "article", "aside", "nav", "details", "blockquote", "figure", "table", "ul", "ol", "dl"})


class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.stray: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _CONTAINERS:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag not in _CONTAINERS:
            return
        if tag in self.open:
            while self.open.pop() != tag:
                pass
        else:
            self.stray.append(tag)


def unbalanced(fragment: str) -> list[Removal]:
    """Block elements a body closes without opening them, or leaves open: either one moves the
    page's own boxes (a 编者按's frame, the page's end) when the body is set inside them."""
    parser = _Balance()
    parser.feed(fragment)
    parser.close()
    return [Removal(f"/{tag}") for tag in parser.stray] + [Removal(f"{tag}+") for tag in parser.open]


def _attribute_removals(tag: str, attrs: dict[str, str], kept: dict[str, str]) -> list[Removal]:
    stray = next((name for name in attrs if not name.isascii()), None)
    if stray is not None:  # "a<b 且 b>c": text taken for a tag and its attributes, said once
        return [Removal(tag, stray)]
    found = []
    for name, value in attrs.items():
        if name == "class":
            still = set(kept.get("class", "").split())
            box = tag == "details" or "admonition" in value.split()
            found += [Removal(tag, "class", c, box) for c in value.split() if c not in still]
        elif kept.get(name) != value:
            found.append(Removal(tag, name, value))
    return found


# -- messages -------------------------------------------------------------------
_FRAMES = {"iframe", "frame", "frameset", "object", "embed", "applet", "portal", "fencedframe"}
_FORMS = {"form", "input", "button", "textarea", "select", "option", "label", "fieldset", "output"}
_HEAD = {"base", "meta", "link", "title", "head", "html", "body"}
# Names a browser acts on: what makes "<name" in a title or setting HTML rather than text (x<y).
HTML_NAMES = frozenset(
    TAGS | DROPPED_WITH_CONTENT | _FRAMES | _FORMS | _HEAD
    | {"math", "video", "audio", "source", "track", "picture", "canvas", "dialog", "marquee", "area", "map", "svg", "image", "animate", "set", "use", "foreignobject"}
)


def message(removal: Removal) -> str:
    """What the editor is told (in Chinese) about one removal."""
    tag, name, value = removal.tag, removal.attribute, removal.value
    if name is None:
        if tag.startswith("/"):
            return f"多余的结束标记 <{tag}>（前面没有对应的开始标记），会打乱页面的版式；请删去"
        if tag.endswith("+"):
            return f"<{tag[:-1]}> 没有对应的结束标记 </{tag[:-1]}>，会打乱页面的版式；请补上或删去"
        if tag == "#text":
            return "这里的 HTML 写法会让一部分文字在网页上丢失（如 SVG 中的文字、不完整的标记）；请检查尖括号和引号是否配对，或改用 Markdown 写法"
        if tag == "script":
            return "出于安全考虑，正文中不能使用 <script> 标记（网站不运行正文中的脚本）；请删去"
        if tag == "style":
            return "不能使用 <style> 标记：样式由网站统一设定；请删去"
        if tag in _FRAMES:
            return f"出于安全考虑，正文中不能使用 <{tag}> 标记（不嵌入其他网页或插件）；请删去"
        if tag in _FORMS:
            return f"正文中不能使用 <{tag}> 标记（网站不收集任何输入）；请删去"
        if tag in _HEAD:
            return f"正文中不能使用 <{tag}> 标记（它属于网页头部）；请删去"
        return f"正文中不能使用 <{tag}> 标记，发布时会被去掉；请删去或改用 Markdown 写法"
    if not name.isascii():
        return f"这里的“<{tag}”被当成了 HTML 标记的开头（如“a<b”），后面的文字会丢失；请在“<”后加空格，或写成 &lt;"
    if name.startswith("on"):
        return f"出于安全考虑，HTML 标记中不能有 {name} 这类事件属性（网站不运行正文中的脚本）；请删去"
    if name == "style":
        return "不能使用 style 属性：样式由网站统一设定；请删去"
    if name == "class":
        if removal.admonition:
            return f"提示框类型“{value}”网站不认识：可用 {'、'.join(COMMON_ADMONITIONS)} 等；请改用其中之一"
        return f"样式名（class）“{value}”不能使用（网站只认自己的样式名）；请删去"
    if name == "id":
        return f"id“{value}”以两个下划线开头，与网站自身的元素冲突；请改名"
    scheme = url_scheme(value)
    if tag == "img" and name == "src":
        return f"图片“{value}”{image_problem(value)}"
    if scheme in ("javascript", "vbscript", "data", "file", "blob"):
        return f"出于安全考虑，链接不能以 {scheme}: 开头；请删去这个链接"
    if scheme is not None:
        return f"链接以 {scheme}: 开头，网站只保留 http、https、mailto、tel 链接和本站的链接；请改写或删去"
    if name == "target":
        return f"链接的 target“{value}”不能使用，只能是 _blank（在新窗口打开）；请改正或删去"
    return f"<{tag}> 标记不能有 {name} 属性，发布时会被去掉；请删去"


def image_problem(target: str) -> str:
    """Why an image target is not a file beside the content (for remote and absolute targets)."""
    plain = _as_browser_reads(target)
    scheme = url_scheme(target)
    if scheme in ("http", "https", "ftp") or plain.startswith("//"):
        return "在别的网站上：生成时不下载任何东西，请把图片文件放到本文件旁边，写相对路径"
    if scheme is not None and not re.fullmatch(r"[a-z]", scheme):
        return "不是文件路径：请把图片文件放到本文件旁边，写相对路径"
    return "是绝对路径：请把图片文件放到本文件旁边，写相对路径"
