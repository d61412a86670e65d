"""`zhengxie fmt`: Chinese punctuation and spacing, checked or fixed with the site's spacing rule."""
from __future__ import annotations

import argparse
from pathlib import Path

from generator.commands.common import print_diagnostics


def fmt(root: Path, args: argparse.Namespace) -> int:
    from generator.load.site import load_site
    from generator.typography.command import run

    site, problems = load_site(root)
    if site is None:
        print_diagnostics(problems)
        return 1
    return run(root, args.paths, fix=args.fix, spacing=site.spacing)
