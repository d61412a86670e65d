"""The content types, one module each, and the registry the pipeline iterates.

Every module of this package with a `TYPE` is a built-in type, so adding one adds no line
elsewhere.  REGISTRY holds them, and those `register()` adds, by their `order` (the nav's,
the search filters' and `zhengxie new`'s).  The built-in types are found on first use, not
on import: their modules use the references, pages and print modules, which themselves ask
the registry.
"""
from __future__ import annotations

import importlib
import pkgutil

from generator.types.base import ContentType

_registry: list[ContentType] = []
_builtin_loaded = False


def registry() -> list[ContentType]:
    global _builtin_loaded
    if not _builtin_loaded:
        _builtin_loaded = True
        modules = [importlib.import_module(f"{__name__}.{m.name}") for m in pkgutil.iter_modules(__path__)]
        found = [m.TYPE for m in modules if isinstance(getattr(m, "TYPE", None), ContentType)]
        _registry[:0] = sorted(found, key=lambda t: t.order)
    return _registry


def __getattr__(name: str):
    if name == "REGISTRY":  # types.REGISTRY: the registered types, built-in ones first
        return registry()
    raise AttributeError(name)


def register(content_type: ContentType) -> ContentType:
    if any(t.key == content_type.key or t.folder == content_type.folder for t in registry()):
        raise ValueError(f"content type {content_type.key} ({content_type.folder}) is registered already")
    _registry.append(content_type)
    _registry.sort(key=lambda t: t.order)  # stable: among equals, the order of registration
    return content_type


def unregister(content_type: ContentType) -> None:
    _registry.remove(content_type)


def get(key: str) -> ContentType:
    return next(t for t in registry() if t.key == key)


def by_word(word: str) -> ContentType | None:
    """The type a reference's kind names: its key or one of its aliases."""
    return next((t for t in registry() if word == t.key or word in t.aliases), None)


def folders() -> tuple[str, ...]:
    return tuple(t.folder for t in registry())
