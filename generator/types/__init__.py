"""The content types, one module each, and the registry the pipeline iterates.

The order of REGISTRY is the order of the nav, the search filters and `zhengxie new`.
The built-in types are registered on first use, not on import: their modules use the
references, pages and print modules, which themselves ask the registry.
"""
from __future__ import annotations

from generator.types.base import ContentType

_registry: list[ContentType] = []
_builtin_loaded = False


def registry() -> list[ContentType]:
    global _builtin_loaded
    if not _builtin_loaded:
        _builtin_loaded = True
        from generator.types import briefing, plan, report, rule, wenshi

        _registry[:0] = [module.TYPE for module in (briefing, wenshi, rule, plan, report)]
    return _registry


def __getattr__(name: str):
    if name == "REGISTRY":  # types.REGISTRY: the registered types, built-in ones first
        return registry()
    raise AttributeError(name)


def register(content_type: ContentType) -> ContentType:
    if any(t.key == content_type.key or t.folder == content_type.folder for t in registry()):
        raise ValueError(f"content type {content_type.key} ({content_type.folder}) is registered already")
    _registry.append(content_type)
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
