"""content/ -> Corpus + diagnostics.  Loading never raises on bad content."""
from __future__ import annotations

from pathlib import Path

from generator.diagnostics import Diagnostic, warning
from generator.load.briefings import load_briefings
from generator.load.common import relative
from generator.load.site import load_site
from generator.load.rules import load_rules
from generator.load.wenshi import load_volumes
from generator.load.yearly import load_plans, load_reports
from generator.model import Corpus

SOURCE_SUFFIXES = {".md", ".yml", ".yaml"}
_KNOWN_TOP = {"briefings", "wenshi", "rules", "plans", "reports", "fonts", "site.yml"}


def load_corpus(root: Path) -> tuple[Corpus, list[Diagnostic]]:
    content = root / "content"
    problems: list[Diagnostic] = []
    site, found = load_site(root)
    problems += found
    corpus = Corpus(site=site)
    for name, loader, target in (
        ("briefings", load_briefings, corpus.briefings),
        ("wenshi", load_volumes, corpus.volumes),
        ("rules", load_rules, corpus.rules),
        ("plans", load_plans, corpus.plans),
        ("reports", load_reports, corpus.reports),
    ):
        folder = content / name
        if folder.is_dir():
            records, found = loader(root, folder)
            target.extend(records)
            problems += found
    if content.is_dir():
        for entry in sorted(content.iterdir()):
            if entry.name not in _KNOWN_TOP and not entry.name.startswith("."):
                problems.append(
                    warning(relative(root, entry), 0, f"content/ 下的“{entry.name}”不属于任何栏目，将被忽略")
                )
    corpus.assets.extend(find_assets(root))
    return corpus, problems


def find_assets(root: Path) -> list[str]:
    """Content files that are published as they are (images and other attachments)."""
    content = root / "content"
    assets = []
    for top in ("briefings", "wenshi", "rules", "plans", "reports"):
        for file in sorted((content / top).rglob("*")):
            if file.is_file() and file.suffix.lower() not in SOURCE_SUFFIXES and not _hidden(file, content):
                assets.append(file.relative_to(content).as_posix())
    return assets


def _hidden(file: Path, content: Path) -> bool:
    return any(part.startswith(".") for part in file.relative_to(content).parts)

