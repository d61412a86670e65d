"""Chinese typography for content files: fix text, and describe what a fix would change.

`fix_markdown` fixes a Markdown body; `fix_source` fixes a whole content file (front
matter text values and body, or a YAML file's text values).  A fix changes only
punctuation and whitespace, never the line count; `unchanged_words` is the invariant
the tests assert.
"""
from __future__ import annotations

import re
import unicodedata

import yaml

from generator.typography import rules
from generator.typography.mask import mask, unmask


def unchanged_words(text: str) -> str:
    """`text` without punctuation and whitespace: what a fix must leave identical."""
    return "".join(c for c in text if not (unicodedata.category(c)[0] in "PZ" or c.isspace()))


def fix_markdown(text: str, spacing: str = "remove") -> str:
    """Fix the prose of a Markdown body; code, links, references and HTML are untouched."""
    masked = mask(text)
    return _only_punctuation_changed(text, unmask(rules.apply(masked.text, spacing), masked))


def fix_plain(text: str, spacing: str = "remove") -> str:
    """Fix a plain text value (a title, a summary): the same rules without Markdown."""
    return _only_punctuation_changed(text, rules.apply(text, spacing))


def _only_punctuation_changed(original: str, fixed: str) -> str:
    if unchanged_words(fixed) != unchanged_words(original) or fixed.count("\n") != original.count("\n"):
        raise AssertionError("typography changed more than punctuation and spacing")
    return fixed


_FRONT_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)


def _text_scalars(node: yaml.Node):
    """Value scalars (never keys) that hold Chinese text and can be edited in place."""
    if isinstance(node, yaml.MappingNode):
        for _key, value in node.value:
            yield from _text_scalars(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _text_scalars(item)
    elif isinstance(node, yaml.ScalarNode) and rules.HAN_CHAR.search(node.value):
        yield node


def _editable_span(source: str, node: yaml.ScalarNode) -> tuple[int, int] | None:
    start, end = node.start_mark.index, node.end_mark.index
    raw = source[start:end]
    if node.style in (None, ""):
        return start, end
    if node.style == "'" and "''" not in raw[1:-1]:
        return start + 1, end - 1
    if node.style == '"' and "\\" not in raw:
        return start + 1, end - 1
    if node.style in ("|", ">"):
        first_break = raw.find("\n")
        return (start + first_break + 1, end) if first_break >= 0 else None
    return None


def fix_yaml(source: str, spacing: str = "remove") -> str:
    """Fix the Chinese text values of a YAML document; keys and structure stay as they are."""
    try:
        root = yaml.compose(source, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, RecursionError):
        return source  # `check` reports broken YAML; nothing to fix safely
    if root is None:
        return source
    edits = []
    for node in _text_scalars(root):
        span = _editable_span(source, node)
        if span is not None:
            piece = source[span[0] : span[1]]
            fixed = fix_plain(piece, spacing)
            if fixed != piece:
                edits.append((span, fixed))
    result = source
    for (start, end), fixed in sorted(edits, reverse=True):
        result = result[:start] + fixed + result[end:]
    try:
        if result != source and yaml.safe_load(result) is None:
            return source
    except yaml.YAMLError:
        return source
    return result


def fix_source(text: str, suffix: str, spacing: str = "remove") -> str:
    """Fix a whole content file: `.md` (front matter and body) or `.yml`."""
    if suffix in (".yml", ".yaml"):
        return fix_yaml(text, spacing)
    fences = list(_FRONT_FENCE.finditer(text))
    if text.startswith("---") and len(fences) >= 2 and fences[0].start() == 0:
        head_end = fences[1].end()
        front = text[fences[0].end() : fences[1].start()]
        return text[: fences[0].end()] + fix_yaml(front, spacing) + text[fences[1].start() : head_end] + fix_markdown(text[head_end:], spacing)
    return fix_markdown(text, spacing)
