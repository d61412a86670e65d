"""`zhengxie serve`: the local preview, drafts included, rebuilt on save."""
from __future__ import annotations

import sys
from pathlib import Path


def serve(root: Path, address: str) -> int:
    from generator.mkdocs_plugin import serve_site

    problem = serve_site(root, address)
    if problem:
        print(f"zhengxie: {problem}", file=sys.stderr)
        return 1
    return 0
