"""Print fonts: which configured families exist, and which characters they cannot print."""
from __future__ import annotations

import hashlib
import json
import os
import unicodedata
from functools import lru_cache
from pathlib import Path

import typst
from fontTools.ttLib import TTFont

from generator.content_files import MAX_SOURCE_BYTES, FileProblem, read_inside
from generator.diagnostics import Diagnostic, error
from generator.model import PRINT_FONT_ROLES, Site
from generator.output import write_file

ROLE_NAMES = {"title": "标题", "body": "正文", "heading": "小标题", "kai": "楷体", "folio": "页码"}


FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
KEPT_FONTS = Path(".cache") / "content-fonts"


def font_paths(root: Path) -> list[str]:
    """content/fonts/ (a committee's own licensed fonts) joins the system fonts.

    Typst is given copies of its font files, each read once through `content_files` (so a
    symlink leading out of content/ never reaches a PDF), in a folder named by their digest.
    """
    folder = root / "content" / "fonts"
    if not folder.is_dir():
        return []
    stamp = []
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() in FONT_SUFFIXES and not path.is_symlink() and path.is_file():
            status = path.stat()
            stamp.append((path.relative_to(folder).as_posix(), status.st_size, status.st_mtime_ns, status.st_ino))
    return [_kept_fonts(root, tuple(stamp))] if stamp else []


@lru_cache(maxsize=8)
def _kept_fonts(root: Path, stamp: tuple) -> str:
    fonts = {}
    for name, *_ in stamp:
        try:
            fonts[name] = read_inside(root / "content", f"fonts/{name}", MAX_SOURCE_BYTES)
        except FileProblem:
            continue  # check says why (a link out of content/)
    digest = hashlib.sha256(b"".join(hashlib.sha256(n.encode() + b"\0" + d).digest() for n, d in sorted(fonts.items())))
    kept = root / KEPT_FONTS / digest.hexdigest()[:24]
    for name, data in fonts.items():
        if not (kept / name).is_file():
            write_file(kept / name, data)
    return str(kept)


@lru_cache(maxsize=8)
def _catalogue(paths: tuple[str, ...]) -> dict[str, list[tuple[str, int]]]:
    """family -> [(file, index in collection)], as Typst sees them."""
    families: dict[str, list[tuple[str, int]]] = {}
    for info in typst.Fonts(font_paths=list(paths)).fonts():
        if info.path:
            families.setdefault(info.family, []).append((info.path, info.index))
    return families


@lru_cache(maxsize=8)
def _other_names(paths: tuple[str, ...]) -> dict[str, str]:
    """Every family name a font gives itself -> the family as Typst names it.

    Typst knows a font by its English name (FZFangSong-Z02S); an editor knows it by the name
    Word lists (方正仿宋_GBK), which the font also carries.  Read only when a name is not found.
    """
    names: dict[str, str] = {}
    for family, faces in _catalogue(paths).items():
        for file, index in faces:
            font = TTFont(file, fontNumber=index, lazy=True)
            try:
                for record in font["name"].names if "name" in font else ():
                    if record.nameID in (1, 16):
                        names.setdefault(record.toUnicode(errors="replace").strip(), family)
            finally:
                font.close()
    return names


def _family(name: str, paths: tuple[str, ...]) -> str | None:
    if name in _catalogue(paths):
        return name
    return _other_names(paths).get(name)


def resolve(root: Path, site: Site) -> tuple[dict[str, str], list[Diagnostic]]:
    """The family used for each role; a configured family that is missing is an error."""
    paths = tuple(font_paths(root))
    catalogue = _catalogue(paths)
    chosen: dict[str, str] = {}
    problems: list[Diagnostic] = []
    for role in PRINT_FONT_ROLES:
        candidates = site.print.fonts[role]
        found = next((family for family in (_family(c, paths) for c in candidates) if family), None)
        if found:
            chosen[role] = found
            continue
        line = site.print.font_lines.get(role, 0)
        wanted = "、".join(f"“{c}”" for c in candidates)
        similar = [f for f in catalogue if any(part in f for part in candidates[0].split()[:1])][:3]
        hint = f"已安装的相近字体：{'、'.join(similar)}" if similar else "可把字体文件放进 content/fonts/"
        where = "content/site.yml 的 print.fonts." + role if line else f"默认的{ROLE_NAMES[role]}字体"
        problems.append(
            error("content/site.yml", line, f"找不到印刷用{ROLE_NAMES[role]}字体 {wanted}（{where}）；{hint}")
        )
    return chosen, problems


@lru_cache(maxsize=32)
def _cmap(file: str, index: int) -> frozenset[int]:
    font = TTFont(file, fontNumber=index, lazy=True)
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


def coverage(root: Path, families: dict[str, str], cache_dir: Path | None = None) -> frozenset[int]:
    """Code points that at least one face of the chosen families can print.

    With `cache_dir`, each face's code points are kept there (keyed by file, size and
    modification time), so a build does not decode the same large CJK fonts again.
    """
    catalogue = _catalogue(tuple(font_paths(root)))
    covered: set[int] = set()
    for family in set(families.values()):
        for file, index in catalogue.get(family, []):
            covered |= _cmap_kept(file, index, cache_dir) if cache_dir else _cmap(file, index)
    return frozenset(covered)


def _cmap_kept(file: str, index: int, cache_dir: Path) -> frozenset[int]:
    status = os.stat(file)
    key = hashlib.blake2b(f"{file}\0{index}\0{status.st_size}\0{status.st_mtime_ns}".encode(), digest_size=16)
    kept = cache_dir / f"{key.hexdigest()}.json"
    try:
        return frozenset(json.loads(kept.read_text(encoding="ascii")))
    except (OSError, ValueError):
        codes = _cmap(file, index)
        write_file(kept, json.dumps(sorted(codes)).encode("ascii"))
        return codes


def uncovered(text: str, covered: frozenset[int]) -> list[str]:
    """Characters of `text` that no chosen font has (spaces and controls aside), in order."""
    missing = [
        char for char in set(text)
        if ord(char) not in covered and not char.isspace() and not unicodedata.category(char).startswith(("C", "Z"))
    ]
    return sorted(missing, key=text.index)


def files_of(root: Path, families: dict[str, str]) -> list[str]:
    """The font files behind the chosen families (their identity is part of the PDF cache key)."""
    catalogue = _catalogue(tuple(font_paths(root)))
    return sorted({file for family in set(families.values()) for file, _ in catalogue.get(family, [])})
