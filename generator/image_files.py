"""What an image file must be before it is published: the format its name says, of a
size a build can handle, and for SVG, a drawing and nothing else.

Checked from the file's bytes (read once by `content_files`), never from its name alone.
SVG is parsed as XML by defusedxml (entity declarations and external DTDs refused) and
every element and attribute is looked at: a script, embedded web content, an event
handler or a reference to another file runs or loads something when the SVG is opened
by itself, so each is an error.
"""
from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass
from xml.etree.ElementTree import TreeBuilder

from PIL import Image, PngImagePlugin, UnidentifiedImageError
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError

RASTER_FORMATS = {".png": ("PNG",), ".jpg": ("JPEG", "MPO"), ".jpeg": ("JPEG", "MPO"), ".gif": ("GIF",), ".webp": ("WEBP",)}
FORMAT_NAMES = {"PNG": "PNG", "JPEG": "JPEG", "MPO": "JPEG", "GIF": "GIF", "WEBP": "WebP", "BMP": "BMP", "TIFF": "TIFF"}
IMAGE_SUFFIXES = frozenset({*RASTER_FORMATS, ".svg"})
DEFAULT_MAX_MEGAPIXELS = 50  # site.yml limits.max_image_megapixels


@dataclass(frozen=True)
class ImageInfo:
    width: float  # pixels; SVG: user units of its viewBox (or width/height)
    height: float
    vector: bool


class ImageProblem(Exception):
    """Why a file cannot be published as the image its name says (a Chinese sentence)."""


def is_image_name(name: str) -> bool:
    return "." + name.rsplit(".", 1)[-1].lower() in IMAGE_SUFFIXES if "." in name else False


def check_image(name: str, data: bytes, max_megapixels: float = DEFAULT_MAX_MEGAPIXELS) -> ImageInfo:
    """The image's size, or ImageProblem saying why `data` is not a usable image named `name`."""
    suffix = "." + name.rsplit(".", 1)[-1].lower()
    if suffix == ".svg":
        return check_svg(data)
    if suffix not in RASTER_FORMATS:
        raise ImageProblem("网页和 PDF 都不能使用这种格式的图片，请另存为 JPG 或 PNG")
    limit = int(max_megapixels * 1_000_000)
    previous = Image.MAX_IMAGE_PIXELS, PngImagePlugin.MAX_TEXT_CHUNK
    try:
        Image.MAX_IMAGE_PIXELS = limit  # Pillow itself refuses far larger ones before reading them
        # Photoshop's XMP metadata can exceed Pillow's 1 MB for a text chunk; the file itself is at most max_file_mb
        PngImagePlugin.MAX_TEXT_CHUNK = max(previous[1], len(data) * 4)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind, width, height = image.format, image.width, image.height
                if width * height > limit:
                    raise ImageProblem(_too_large(width, height, max_megapixels))
                image.verify()
    except Image.DecompressionBombError:
        raise ImageProblem(f"像素太多（超过 {max_megapixels:g} 百万像素，site.yml 的 limits.max_image_megapixels），请缩小后再用") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        expected = FORMAT_NAMES[RASTER_FORMATS[suffix][0]]
        raise ImageProblem(f"不是能读取的 {expected} 图片（文件内容不是图片，或已损坏）；请用图片软件重新另存") from None
    finally:
        Image.MAX_IMAGE_PIXELS, PngImagePlugin.MAX_TEXT_CHUNK = previous
    if kind not in RASTER_FORMATS[suffix]:
        actual = FORMAT_NAMES.get(kind, kind or "未知")
        raise ImageProblem(f"文件名是 {suffix}，内容却是 {actual} 图片；请改正扩展名，或另存为 {suffix[1:].upper()}")
    return ImageInfo(float(width), float(height), vector=False)


def _too_large(width: int, height: int, max_megapixels: float) -> str:
    return (
        f"有 {width}×{height} 像素（{width * height / 1e6:.0f} 百万像素），超过上限 {max_megapixels:g} 百万像素"
        "（site.yml 的 limits.max_image_megapixels）；请缩小后再用"
    )


# -- SVG ----------------------------------------------------------------------------
SVG_NS = "http://www.w3.org/2000/svg"
XHTML_NS = "http://www.w3.org/1999/xhtml"
_ACTIVE_NAMESPACES = {
    "http://www.w3.org/1998/Math/MathML": "MathML 元素",
    "http://www.w3.org/2001/xml-events": "XML 事件",
    "http://www.w3.org/1999/XSL/Transform": "XSLT 转换",
}
_ACTIVE_ELEMENTS = {"script": "脚本 <script>", "handler": "脚本 <handler>", "listener": "事件 <listener>"}
# Text in a foreignObject, as draw.io and other diagram tools write their labels: XHTML that
# only lays text out.  Nothing that runs, loads or submits.
_XHTML_TEXT = frozenset({
    "div", "span", "p", "br", "b", "i", "u", "s", "strong", "em", "font", "sub", "sup", "small", "big",
    "ul", "ol", "li", "table", "thead", "tbody", "tr", "td", "th", "hr", "pre", "code", "blockquote",
    "h1", "h2", "h3", "h4", "h5", "h6",
})  # fmt: skip
_ANIMATIONS = {"animate", "set", "animateMotion", "animateTransform", "animateColor"}
_EMBEDDED_RASTER = re.compile(r"data:image/(?:png|jpe?g|gif|webp);", re.IGNORECASE)
_LINK = re.compile(r"(?:https?:|mailto:|#)", re.IGNORECASE)  # where an <a> may point: it loads nothing
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)
_NOISE = re.compile(r"[\x00-\x20]+")


class _Builder(TreeBuilder):
    """The element tree, and every processing instruction met, inside the root or not (the parser
    reads the file in whatever encoding it declares, so a byte pattern would not do)."""

    def __init__(self) -> None:
        super().__init__()
        self.instructions: list[str] = []

    def pi(self, target, text=None):
        self.instructions.append(target)
        return super().pi(target, text)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _namespace(name: str) -> str:
    return name[1:].split("}", 1)[0] if name.startswith("{") else ""


def check_svg(data: bytes) -> ImageInfo:
    """An SVG that only draws: no script, no event handler, no reference outside itself."""
    builder = _Builder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException:
        raise ImageProblem(
            "SVG 中有实体声明（<!ENTITY>）或外部引用，出于安全考虑不能使用；请在绘图软件中另存为普通 SVG"
            "（Illustrator：另存时不选“保留 Illustrator 编辑功能”）"
        ) from None
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else 0
        raise ImageProblem(f"不是有效的 SVG 文件（第 {line} 行的 XML 有错）") from None
    if builder.instructions:
        raise ImageProblem("SVG 中有处理指令（如 <?xml-stylesheet?>，可引用外部样式表或转换），出于安全考虑不能使用；请在绘图软件中另存为普通 SVG")
    if root.tag != f"{{{SVG_NS}}}svg":
        raise ImageProblem("不是 SVG 图片（最外层不是 <svg>）")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        namespace, name = _namespace(element.tag), _local(element.tag)
        if namespace in _ACTIVE_NAMESPACES:
            raise ImageProblem(f"SVG 中有{_ACTIVE_NAMESPACES[namespace]}，出于安全考虑不能使用")
        if namespace == XHTML_NS and name not in _XHTML_TEXT:
            raise ImageProblem(f"SVG 中嵌入了网页元素 <{name}>，出于安全考虑不能使用（只能有文字排版用的元素）；请在绘图软件中把文字导出为 SVG 文字")
        if namespace == SVG_NS and name in _ACTIVE_ELEMENTS:
            raise ImageProblem(f"SVG 中有{_ACTIVE_ELEMENTS[name]}，出于安全考虑不能使用；请删去")
        for attribute, value in element.attrib.items():
            if _namespace(attribute) in _ACTIVE_NAMESPACES:
                raise ImageProblem(f"SVG 中有{_ACTIVE_NAMESPACES[_namespace(attribute)]}，出于安全考虑不能使用")
            _check_attribute(namespace, name, _local(attribute), value)
        if namespace in (SVG_NS, XHTML_NS) and name == "style":
            _check_css("".join(element.itertext()))
    return _svg_size(root)


def _check_attribute(namespace: str, element: str, attribute: str, value: str) -> None:
    plain = _NOISE.sub("", value).lower()
    if attribute.lower().startswith("on"):
        raise ImageProblem(f"SVG 中有事件属性 {attribute}，出于安全考虑不能使用；请删去")
    if "javascript:" in plain or "vbscript:" in plain:
        raise ImageProblem("SVG 中有 javascript: 链接，出于安全考虑不能使用；请删去")
    if namespace == SVG_NS and element in _ANIMATIONS and attribute == "attributeName" and value.rsplit(":", 1)[-1].strip() in ("href", "src"):
        raise ImageProblem(f"SVG 的动画 <{element}> 会改写链接，出于安全考虑不能使用；请删去")
    if attribute in ("href", "src"):
        loads = not (element == "a" and namespace == SVG_NS)  # <use>, <image>, gradients…: what they name is loaded
        allowed = plain.startswith("#") or (element == "image" and _EMBEDDED_RASTER.match(plain)) or (not loads and _LINK.match(plain))
        if not allowed:
            raise ImageProblem(f"SVG 中引用了别的文件或网址“{value[:60]}”，出于安全考虑不能使用；请把它嵌入 SVG，或在绘图软件中另存时不引用外部文件")
    if attribute == "style":
        _check_css(value)
    else:  # fill="url(…)", filter, mask, clip-path, marker…: presentation attributes take URLs too
        _check_urls(value)


def _check_css(css: str) -> None:
    if "\\" in css:  # CSS escapes can spell url( and @import in ways a pattern does not see
        raise ImageProblem("SVG 的样式中有反斜杠转义（\\），无法确认它是否引用别的文件；请在绘图软件中另存为普通 SVG")
    if "@import" in css.lower():
        raise ImageProblem("SVG 的样式中有 @import，出于安全考虑不能使用；请删去")
    _check_urls(css)


def _check_urls(value: str) -> None:
    for target in _CSS_URL.findall(value):
        if target and not target.startswith("#") and not _EMBEDDED_RASTER.match(target):
            raise ImageProblem(f"SVG 中引用了别的文件或网址“{target[:60]}”，出于安全考虑不能使用；请删去")


_NUMBER = re.compile(r"^\s*([\d.]+)")


def _svg_size(root) -> ImageInfo:
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4:
        try:
            return ImageInfo(float(box[2]), float(box[3]), vector=True)
        except ValueError:
            pass
    width, height = _NUMBER.match(root.get("width") or ""), _NUMBER.match(root.get("height") or "")
    if width and height:
        try:
            return ImageInfo(float(width[1]), float(height[1]), vector=True)
        except ValueError:
            pass
    return ImageInfo(0.0, 0.0, vector=True)
