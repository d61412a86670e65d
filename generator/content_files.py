"""The one way a file under content/ is opened: inside content/, a regular file, read once.

A path is resolved (symlinks included) and must land inside content/; the file is then
opened by walking from content/ one folder at a time without following any symlink
(`O_NOFOLLOW`), so a link swapped in after the check cannot lead elsewhere.  Devices,
pipes and folders are refused, and so are files over the size limit.

Files that bodies use (images, attachments) are read here once per build; their bytes,
kept under `.cache/files/` by digest, are what the site copies, what a PDF embeds and
what the print cache is keyed by.
"""
from __future__ import annotations

import difflib
import errno
import hashlib
import os
import posixpath
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic, error, warning
from generator.image_files import ImageInfo, ImageProblem, check_image, is_image_name
from generator.output import write_file, write_file_in

STORE = Path(".cache") / "files"
# What a body may link to as an attachment: documents a browser downloads or shows as they
# are.  Not web pages, scripts, style sheets or XML, which would run in the site's name.
ATTACHMENTS = frozenset({
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".et", ".dps", ".odt", ".ods", ".odp",
    ".ofd", ".rtf", ".txt", ".csv", ".caj", ".ceb", ".epub", ".xps", ".djvu", ".dwg", ".kmz",
    ".zip", ".rar", ".7z", ".gz", ".tgz", ".bz2", ".xz", ".tar",
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".tif", ".tiff", ".bmp", ".heic", ".heif",
    ".mp3", ".m4a", ".wav", ".aac", ".amr", ".ogg", ".flac", ".wma",
    ".mp4", ".m4v", ".webm", ".mov", ".avi", ".wmv", ".flv", ".mkv", ".3gp",
})  # fmt: skip
# Of the rest, what a browser would open as a page or run as a script in the site's name.
ACTIVE_TYPES = frozenset({
    ".html", ".htm", ".xhtml", ".xht", ".shtml", ".mht", ".mhtml", ".xml", ".xsl", ".xslt", ".svgz",
    ".js", ".mjs", ".css", ".json", ".wasm", ".swf", ".php", ".asp", ".aspx", ".jsp",
})  # fmt: skip
CONTROL = re.compile("[\x00-\x1f\x7f]")
MAX_SOURCE_BYTES = 256 * 1024 * 1024  # a ceiling for any content file, before site.yml's limit is known


class FileProblem(Exception):
    """Why a content file cannot be used (a Chinese sentence)."""


def inside(path: str, folder: str) -> bool:
    """Whether `path` is `folder` or below it (both resolved, as strings)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _walk_to(base: str, parts: tuple[str, ...]) -> int:
    """A descriptor of the folder `base/parts...`, each step taken without following a symlink."""
    flags = os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_DIRECTORY
    folder = os.open(base, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for part in parts:
            inner = os.open(part, flags, dir_fd=folder)
            os.close(folder)
            folder = inner
    except BaseException:
        os.close(folder)
        raise
    return folder


def _problem_of(exc: OSError) -> FileProblem:
    if isinstance(exc, FileNotFoundError):
        return FileProblem("不存在")
    if exc.errno in (errno.ELOOP, errno.ENOTDIR):  # a link or a file swapped in after the path was resolved
        return FileProblem("在检查时被换成了符号链接或别的东西，出于安全考虑不能使用")
    return FileProblem(f"无法读取：{exc.strerror or exc}")


def _resolved_parts(content: Path, relative: str) -> tuple[str, tuple[str, ...]]:
    base = os.path.realpath(content)
    real = os.path.realpath(os.path.join(base, relative))
    if not inside(real, base):
        raise FileProblem("指向 content/ 之外（符号链接），出于安全考虑不能使用；请换成文件本身")
    parts = Path(real).relative_to(base).parts
    if not parts:
        raise FileProblem("是 content/ 文件夹本身，不是文件")
    return base, parts


def open_inside(content: Path, relative: str) -> int:
    """A read-only descriptor of the regular file `content/relative`, reached without
    following a symlink out of content/ (the caller closes it)."""
    base, parts = _resolved_parts(content, relative)
    try:
        folder = _walk_to(base, parts[:-1])
    except OSError as exc:
        raise _problem_of(exc) from None
    try:
        # O_NONBLOCK: a pipe put here must not keep the build waiting for a writer
        handle = os.open(parts[-1], os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=folder)
    except OSError as exc:
        raise _problem_of(exc) from None
    finally:
        os.close(folder)
    try:
        status = os.fstat(handle)
        if stat.S_ISDIR(status.st_mode):
            raise FileProblem("是文件夹，不是文件")
        if not stat.S_ISREG(status.st_mode):
            raise FileProblem("不是普通文件（是设备、管道或套接字），不能使用")
    except BaseException:
        os.close(handle)
        raise
    return handle


def replace_inside(content: Path, relative: str, data: bytes) -> None:
    """Replace the regular file `content/relative` with `data` (`zhengxie fmt --fix`): its
    folder is reached without following symlinks, and a symlink is never written through."""
    parts = Path(relative).parts
    try:
        folder = _walk_to(os.path.realpath(content), parts[:-1])
    except OSError as exc:
        raise _problem_of(exc) from None
    try:
        status = os.stat(parts[-1], dir_fd=folder, follow_symlinks=False)
        if not stat.S_ISREG(status.st_mode):
            raise FileProblem("不是普通文件（可能是符号链接），未修改")
        try:
            write_file_in(folder, parts[-1], data, status.st_mode)
        except OSError as exc:  # named by the file meant, not the temporary one
            raise OSError(exc.errno, exc.strerror, str(content / relative)) from None
    finally:
        os.close(folder)


def _read_all(handle: int, max_bytes: int) -> bytes:
    size = os.fstat(handle).st_size
    if size > max_bytes:
        raise FileProblem(f"有 {size / 1024 / 1024:.1f} MB，超过上限 {max_bytes / 1024 / 1024:g} MB（site.yml 的 limits.max_file_mb）")
    chunks, size = [], 0
    while size <= max_bytes:  # read to the end, whatever the size said (a file may grow meanwhile)
        chunk = os.read(handle, min(1 << 20, max_bytes + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > max_bytes:
        raise FileProblem(f"超过上限 {max_bytes / 1024 / 1024:g} MB（site.yml 的 limits.max_file_mb）")
    return b"".join(chunks)


def read_inside(content: Path, relative: str, max_bytes: int) -> bytes:
    """The bytes of `content/relative`, opened as `open_inside` opens it."""
    handle = open_inside(content, relative)
    try:
        return _read_all(handle, max_bytes)
    finally:
        os.close(handle)


def read_source(file: Path, path: str, max_bytes: int = MAX_SOURCE_BYTES) -> bytes:
    """A source file found under content/ (`path` starts with content/), read as `read_inside` reads."""
    parts = Path(path).parts
    if parts[:1] != ("content",) or len(parts) < 2:
        return file.read_bytes()
    return read_inside(file.parents[len(parts) - 2], "/".join(parts[1:]), max_bytes)


@dataclass(frozen=True)
class ContentFile:
    """A file bodies use, checked and kept: `stored` holds the bytes that are published."""

    path: str  # project-relative, e.g. content/wenshi/14/photo.jpg
    stored: Path  # .cache/files/<sha256 of the bytes><suffix>
    image: ImageInfo | None

    @property
    def published(self) -> str:
        """Its path in the site (and in docs' terms): content/ left off."""
        return self.path.removeprefix("content/")


@dataclass(frozen=True)
class Use:
    """One place that uses a file: the record's source path, its line, and the file's path."""

    source: str
    line: int
    target: str  # as written
    path: str  # project-relative, resolved against the record's folder
    kind: str  # image | link


# Files already read and checked, by what identifies their bytes on disk: a preview's
# rebuild reads again only the files that changed (a changed file has a new ctime).
_seen: dict[tuple, ContentFile] = {}


class ContentFiles:
    """Every file the records use, each read once; reused by (path, inode, size, times)
    across the rebuilds of a preview."""

    def __init__(self, root: Path, max_bytes: int, max_megapixels: float, keep: bool, folders: tuple[str, ...]) -> None:
        self.root = root
        self.folders = folders  # the collections' folders: only files in them are published
        self.max_bytes = max_bytes
        self.max_megapixels = max_megapixels
        self.keep = keep  # write the bytes to the store (a build); `check` only looks
        self.files: dict[str, ContentFile] = {}
        self.problems: dict[str, str] = {}
        self.as_images: set[str] = set()  # files some record shows as an image

    def check(self, uses: list[Use]) -> list[Diagnostic]:
        """Errors at each use of a file that is missing, outside content/ or not what it says."""
        self.as_images = {use.path for use in uses if use.kind == "image"}
        found = []
        for use in uses:
            problem = self._problem(use)
            if problem:
                found.append(error(use.source, use.line, problem))
        return found

    def _problem(self, use: Use) -> str | None:
        what = "图片" if use.kind == "image" else "链接的文件"
        if CONTROL.search(use.target):
            return f"{what}“{use.target!r}”的文件名中有不可见的控制字符（如 %00），请改正"
        if not use.path.startswith("content/"):
            return f"{what}“{use.target}”在 content/ 之外，请放到本文件旁边"
        if Path(use.path).parts[1] not in self.folders:
            # the site's own files (the theme's scripts, the PDFs, the search index) live outside them
            return f"{what}“{use.target}”不在任何栏目的文件夹中（{use.path}），请放到本文件旁边"
        suffix = posixpath.splitext(use.path)[1].lower()
        if use.kind == "link" and suffix not in ATTACHMENTS:
            if suffix in ACTIVE_TYPES:
                return f"链接的文件“{use.target}”是 {suffix} 文件，不能作为附件发布：读者的浏览器会把它当作网页或脚本运行；请改为 PDF，或压缩成 .zip 再链接"
            return (
                f"链接的文件“{use.target}”{'是 ' + suffix + ' 文件' if suffix else '没有扩展名'}，不是可以发布的附件类型"
                "（可用 PDF、Word、WPS、Excel、PowerPoint、OFD、CAJ、文本、CSV、压缩包、图片、音频和视频）；如确需发布，请压缩成 .zip 再链接"
            )
        if use.path not in self.files and use.path not in self.problems:
            self._load(use.path, as_image=use.path in self.as_images)
        problem = self.problems.get(use.path)
        if problem is None:
            return None
        if problem == "不存在":
            return f"找不到{what}“{use.target}”（应在 {use.path}）{self._nearest(use.path)}"
        return f"{what}“{use.target}”（{use.path}）{problem}"

    def _load(self, path: str, as_image: bool) -> None:
        relative = path.removeprefix("content/")
        try:
            handle = open_inside(self.root / "content", relative)
        except FileProblem as problem:
            self.problems[path] = str(problem)
            return
        try:
            status = os.fstat(handle)
            stamp = (self.root, path, status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns,
                     status.st_ctime_ns, self.max_bytes, self.max_megapixels, as_image)
            known = _seen.get(stamp)
            if known is None or (self.keep and not known.stored.is_file()):
                known = self._read(path, handle, as_image)
        except (FileProblem, ImageProblem) as problem:
            self.problems[path] = str(problem)
            return
        finally:
            os.close(handle)
        _seen[stamp] = known
        self.files[path] = known

    def _read(self, path: str, handle: int, as_image: bool) -> ContentFile:
        data = _read_all(handle, self.max_bytes)
        image = check_image(path, data, self.max_megapixels) if as_image or is_image_name(path) else None
        digest = hashlib.sha256(data).hexdigest()
        stored = self.root / STORE / f"{digest}{posixpath.splitext(path)[1].lower()}"
        if self.keep and not stored.is_file():
            write_file(stored, data)
        return ContentFile(path, stored, image)

    def _nearest(self, path: str) -> str:
        folder = self.root / posixpath.dirname(path)
        try:
            names = [p.name for p in folder.iterdir() if p.is_file()]
        except OSError:
            return ""
        wanted = posixpath.basename(path)
        same = [n for n in names if n.lower() == wanted.lower()]
        close = same or difflib.get_close_matches(wanted, names, n=1, cutoff=0.6)
        return f"；您是否想写“{close[0]}”？（文件名区分大小写）" if same else (f"；您是否想写“{close[0]}”？" if close else "")


# Files the editors' programs leave beside what they save: never content, never a warning.
_TEMPORARY_PREFIXES = ("~$", ".~", "~", ".#")
_TEMPORARY_SUFFIXES = (".tmp", ".temp", ".swp", ".swo", ".swx", ".bak~", "~", ".crdownload", ".part")
SOURCE_SUFFIXES = (".md", ".yml", ".yaml")


def is_temporary(name: str) -> bool:
    """A lock, swap or backup file an editor or office program writes beside a document."""
    lower = name.lower()
    return lower.startswith(_TEMPORARY_PREFIXES) or lower.endswith(_TEMPORARY_SUFFIXES) or lower.startswith(".")


def unused_files(root: Path, used: set[str], folders: tuple[str, ...]) -> list[Diagnostic]:
    """A warning for each file in the collections' folders that no record uses (it is not published)."""
    found = []
    for top in folders:
        for folder, names, files in os.walk(root / "content" / top):
            names[:] = sorted(n for n in names if not is_temporary(n))
            for name in sorted(files):
                if is_temporary(name) or name.lower().endswith(SOURCE_SUFFIXES):
                    continue
                path = Path(folder, name).relative_to(root).as_posix()
                if path not in used:
                    found.append(warning(path, 0, "没有任何内容引用这个文件，它不会发布到网站上（如需发布，请在正文中用图片或链接引用它）"))
    return found
